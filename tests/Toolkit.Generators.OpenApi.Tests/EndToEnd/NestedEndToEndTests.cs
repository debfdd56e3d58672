using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using Toolkit.OpenApi.Tests.NestedApi;
using Range = Toolkit.OpenApi.Tests.NestedApi.Range;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// The generated client against a real Kestrel server: deepObject parameters that nest, content-based parameters in
/// every location and a form body with objects and arrays, on the wire exactly (and, for the form, as ASP.NET Core's
/// own form reader decodes it).
/// </summary>
public class NestedEndToEndTests(NestedServer server) : IClassFixture<NestedServer>
{
    private NestedClient Client() => new(new HttpClient(), new NestedClientOptions { BaseAddress = new Uri(server.BaseAddress, "/nested") });

    private static string[] Lines(string seen) => seen.Split('\n');

    [Fact]
    public async Task DeepObject_parameters_nest_by_key_and_index()
    {
        var filter = new Filter
        {
            Name = "a b",
            Range = new Range { Min = 1, Max = 5 },
            Tags = new[] { "x", "y" },
            Owner = new FilterOwner { Id = 7, Address = new Address { City = "Genève", Geo = new AddressGeo { Lat = 46.25, Lon = 6.5 }, Lines = new[] { "l1" } } },
        };
        var seen = Lines(await Client().DeepQueryAsync(filter, new[] { new LineItem { Price = "p_1", Quantity = 2 }, new LineItem { Price = "p&2" } }, new[] { "a", "b" }, new Filter { Name = "n", Range = new Range { Min = 1 } }));
        Assert.Equal(
            "/nested/query"
            + "?filter%5Bname%5D=a%20b&filter%5Brange%5D%5Bmin%5D=1&filter%5Brange%5D%5Bmax%5D=5&filter%5Btags%5D%5B0%5D=x&filter%5Btags%5D%5B1%5D=y"
            + "&filter%5Bowner%5D%5Bid%5D=7&filter%5Bowner%5D%5Baddress%5D%5Bcity%5D=Gen%C3%A8ve&filter%5Bowner%5D%5Baddress%5D%5Bgeo%5D%5Blat%5D=46.25"
            + "&filter%5Bowner%5D%5Baddress%5D%5Bgeo%5D%5Blon%5D=6.5&filter%5Bowner%5D%5Baddress%5D%5Blines%5D%5B0%5D=l1"
            + "&items%5B0%5D%5Bprice%5D=p_1&items%5B0%5D%5Bquantity%5D=2&items%5B1%5D%5Bprice%5D=p%262"
            + "&ids%5B0%5D=a&ids%5B1%5D=b"
            + "&name=n&range=%7B%22min%22%3A1%7D",
            seen[0]);

        // Nothing set: nothing sent.
        Assert.Equal("/nested/query", Lines(await Client().DeepQueryAsync(new Filter(), Array.Empty<LineItem>()))[0]);
    }

    [Fact]
    public async Task Content_parameters_are_json_encoded_for_their_location()
    {
        var seen = Lines(await Client().ContentParamsAsync(new ContentParamsRequest
        {
            Range = new Range { Min = 1, Max = 2 },
            Filter = new Filter { Name = "a&b=c", Tags = new[] { "t" } },
            Word = "hé",
            XRange = new Range { Min = 3 },
            Session = new Range { Max = 4 },
        }));
        Assert.Equal(
            "/nested/content/%7B%22min%22%3A1%2C%22max%22%3A2%7D"
            + "?filter=%7B%22name%22%3A%22a%26b%3Dc%22%2C%22tags%22%3A%5B%22t%22%5D%7D&word=%22h%C3%A9%22",
            seen[0]);
        Assert.Equal("{\"min\":3}", seen[1]);
        Assert.Equal("session={%22max%22:4}", seen[2]);
    }

    [Fact]
    public async Task Form_bodies_with_objects_and_arrays_follow_their_encoding()
    {
        var seen = Lines(await Client().CheckoutAsync(new Checkout
        {
            Mode = "pay",
            Notes = new Range { Min = 1, Max = 2 },
            Tags = new[] { "a", "b c" },
            Csv = new[] { 1, 2 },
            Shipping = new Address { City = "Z", Geo = new AddressGeo { Lat = 1.5 }, Lines = new[] { "x" } },
            LineItems = new[] { new LineItem { Price = "p", Quantity = 3 } },
            Expand = new[] { "e1", "e2" },
            Metadata = new Dictionary<string, string> { ["k"] = "v=1" },
            Extra = new Range { Min = 9 },
            Matrix = new[] { new[] { 1, 2 }, new[] { 3 } },
        }));
        Assert.Equal("application/x-www-form-urlencoded", seen[3]);
        Assert.Equal(
            "mode=pay&min=1&max=2&tags=a&tags=b%20c&csv=1,2&shipping%5Bcity%5D=Z&shipping%5Bgeo%5D%5Blat%5D=1.5&shipping%5Blines%5D%5B0%5D=x"
            + "&line_items%5B0%5D%5Bprice%5D=p&line_items%5B0%5D%5Bquantity%5D=3&expand%5B0%5D=e1&expand%5B1%5D=e2&metadata%5Bk%5D=v%3D1"
            + "&extra=%7B%22min%22%3A9%7D&matrix=%5B1%2C2%5D&matrix=%5B3%5D",
            seen[4]);
        Assert.Equal(
            new[]
            {
                "mode\tpay", "min\t1", "max\t2", "tags\ta", "tags\tb c", "csv\t1,2", "shipping[city]\tZ", "shipping[geo][lat]\t1.5", "shipping[lines][0]\tx",
                "line_items[0][price]\tp", "line_items[0][quantity]\t3", "expand[0]\te1", "expand[1]\te2", "metadata[k]\tv=1", "extra\t{\"min\":9}",
                "matrix\t[1,2]", "matrix\t[3]",
            },
            seen[5..]);
    }
}
