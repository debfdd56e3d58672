using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Toolkit.OpenApi.Tests.ShapesApi;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.OpenApi.Tests.EndToEnd;

/// <summary>
/// The generated client against a real Kestrel server with unions of objects told apart by their required members:
/// each branch goes out and comes back as itself, a mixed list is read branch by branch, and an object of no branch
/// is an ApiException naming the union and the byte.
/// </summary>
public class ShapesEndToEndTests(ShapesServer server) : IClassFixture<ShapesServer>
{
    private ShapesClient Client(string prefix = "/shapes") => new(new HttpClient(), new ShapesClientOptions { BaseAddress = new Uri(server.BaseAddress, prefix) });

    [Fact]
    public async Task Each_payment_branch_goes_out_and_comes_back_as_itself()
    {
        var card = new Card { Number = "4111 1111", Expiry = "12/30", Holder = "Ada" };
        var back = await Client().EchoPaymentAsync(new Payment(card));
        Assert.True(back.IsCard);
        Assert.Equal(card, back.AsCard());

        var bank = new BankAccount { Iban = "CH93 0076 2011 6238 5295 7", Holder = "Ada" };
        back = await Client().EchoPaymentAsync(new Payment(bank));
        Assert.True(back.TryGetBankAccount(out var account));
        Assert.Equal(bank, account);
        Assert.False(back.IsCard);
    }

    [Fact]
    public async Task An_order_with_every_kind_of_object_union_round_trips_through_the_server()
    {
        var order = new Order
        {
            Id = 7,
            Payment = new Payment(new BankAccount { Iban = "DE89" }),
            Refund = new OrderRefund(new Card { Number = "1", Expiry = "01/27" }),
            Source = new OrderSource(new OrderSourceOption2 { Path = "/tmp/a.pdf", Size = 10, Note = "n" }),
            History = new[] { new Payment(new Card { Number = "2", Expiry = "02/28" }), new Payment(new BankAccount { Iban = "FR76", Bic = "B" }) },
            Template = "https://example.org/t.html",
        };
        var back = await Client().EchoOrderAsync(order);
        Assert.Equal(ApiJson.Serialize(order), ApiJson.Serialize(back));
        Assert.Equal("/tmp/a.pdf", back.Source!.Value.AsOrderSourceOption2().Path);
        Assert.True(back.History![1].IsBankAccount);
        Assert.True(back.Refund!.Value.IsCard);
    }

    [Fact]
    public async Task A_list_of_results_is_read_branch_by_branch()
    {
        var list = await Client().ListVerificationsAsync();
        Assert.Equal(4, list.Results.Count);
        Assert.Equal("v1", list.Results[0].AsVerification().Id);
        Assert.Equal("no such address", list.Results[1].AsError().Error2.Message);
        Assert.True(list.Results[2].IsVerification); // requires nothing
        Assert.True(list.Results[3].IsError);        // has what Error requires: Error requires more than Verification
    }

    [Fact]
    public async Task An_object_of_no_branch_is_an_ApiException_naming_the_union_and_the_byte()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => Client("/bad/shapes").EchoPaymentAsync(new Payment(new BankAccount { Iban = "x" })));
        var inner = Assert.IsType<JsonException>(e.InnerException);
        Assert.Contains("Payment: the object that starts here matches no branch (Card lacks 'number'; BankAccount lacks 'iban') (at byte 0)", inner.Message, StringComparison.Ordinal);
        Assert.Equal(ShapesServer.Unmatched, e.RawBody);
    }

    [Fact]
    public async Task Defaults_go_on_the_wire_and_come_back()
    {
        var sent = new Preferences { Sizes = new long[] { 9 } };
        var back = await Client().EchoPreferencesAsync(sent);
        Assert.Equal(ApiJson.Serialize(sent), ApiJson.Serialize(back));
        Assert.Equal(new long[] { 9 }, back.Sizes);
        Assert.Equal(new[] { Mode.Fast, Mode.Safe }, back.Modes);
        Assert.Equal(new DateOnly(1985, 4, 12), back.Since);
        Assert.Contains("\"at\":\"2026-11-22T11:08:22.5+01:00\"", Encoding.UTF8.GetString(ApiJson.Serialize(back)), StringComparison.Ordinal);
    }
}
