using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.OpenApi.Tests.ShapesApi;
using Toolkit.Runtime.Json;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// Undiscriminated unions of objects told apart by the members each branch requires (Schemas/shapes.json, generated
/// into this assembly): the branch whose required members are present is read, the one requiring the most when
/// several are; exact round trips; an object of no branch is a JsonException naming the union, what each branch
/// lacks and the byte; branches that cannot be told apart stay TKO004.
/// </summary>
public class ShapeTests
{
    private static T Parse<T>(string json)
        where T : IJsonModel<T> => ApiJson.Parse<T>(Encoding.UTF8.GetBytes(json));

    private static string Text<T>(T value)
        where T : IJsonModel<T> => Encoding.UTF8.GetString(ApiJson.Serialize(value));

    [Fact]
    public void The_branch_is_chosen_by_its_required_members_wherever_they_are()
    {
        var card = Parse<Payment>("""{"holder":"a","expiry":"12/30","x":{"iban":"nested, not a member"},"number":"4"}""");
        Assert.True(card.IsCard);
        Assert.Equal("4", card.AsCard().Number);
        Assert.Throws<InvalidOperationException>(() => card.AsBankAccount());

        var bank = Parse<Payment>("""{"iban":"DE","holder":"b"}""");
        Assert.True(bank.TryGetBankAccount(out var account) && account.Iban == "DE");
        Assert.False(bank.TryGetCard(out _));

        // Escaped member names are the same names.
        Assert.True(Parse<Payment>("""{"\u0069ban":"x"}""").IsBankAccount);

        var source = Parse<OrderSource>("""{"size":3,"path":"/p"}""");
        Assert.Equal(3, source.AsOrderSourceOption2().Size);
        Assert.Equal("u", Parse<OrderSource>("""{"url":"u"}""").AsOrderSourceOption1().Url);
    }

    [Fact]
    public void A_branch_that_requires_nothing_is_taken_when_no_other_branch_matches()
    {
        Assert.True(Parse<VerificationsResultsItem>("""{}""").IsVerification);
        Assert.True(Parse<VerificationsResultsItem>("""{"id":"v","deliverable":false}""").IsVerification);
        Assert.True(Parse<VerificationsResultsItem>("""{"error":{"message":"m"}}""").IsError);
        // Both match: the one that requires more wins.
        Assert.True(Parse<VerificationsResultsItem>("""{"id":"v","error":{"message":"m"}}""").IsError);
    }

    [Theory]
    [InlineData("""{"holder":"n"}""", "Payment: the object that starts here matches no branch (Card lacks 'expiry', 'number'; BankAccount lacks 'iban') (at byte 0)")]
    [InlineData("""{"number":"1"}""", "Payment: the object that starts here matches no branch (Card lacks 'expiry'; BankAccount lacks 'iban') (at byte 0)")]
    [InlineData("""["iban"]""", "Payment: expected an object, found StartArray (at byte 0)")]
    [InlineData("""{"id":1,"payment":{"x":1}}""", "Payment: the object that starts here matches no branch (Card lacks 'expiry', 'number'; BankAccount lacks 'iban') (at byte 18)")]
    [InlineData("""{"id":1,"payment":{"iban":5}}""", "at byte 26")]
    [InlineData("""{"id":1,"payment":{"iban":"x"},"source":{"path":"p"}}""", "OrderSource: the object that starts here matches no branch (OrderSourceOption1 lacks 'url'; OrderSourceOption2 lacks 'size') (at byte 40)")]
    public void An_object_of_no_branch_is_a_JsonException_naming_the_union_what_is_missing_and_the_byte(string json, string expected)
    {
        var ex = Assert.Throws<JsonException>(() => json.StartsWith("""{"id""", StringComparison.Ordinal) ? (object)Parse<Order>(json) : Parse<Payment>(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_is_kept_where_the_schema_allows_it_and_the_default_holds_nothing()
    {
        var order = Parse<Order>("""{"id":1,"payment":{"iban":"x"},"refund":null}""");
        Assert.Null(order.Refund);
        Assert.Throws<JsonException>(() => Parse<Order>("""{"id":1,"payment":null}"""));
        var none = default(Payment);
        Assert.False(none.IsCard || none.IsBankAccount);
        Assert.Throws<InvalidOperationException>(() => ApiJson.Serialize(none));
        Assert.Throws<ArgumentNullException>(() => new Payment((Card)null!));
        Assert.Equal(new Payment(new Card { Number = "1", Expiry = "2" }), new Payment(new Card { Number = "1", Expiry = "2" }));
        Assert.NotEqual(new Payment(new Card { Number = "1", Expiry = "2" }), new Payment(new BankAccount { Iban = "1" }));
        Assert.Equal("""{"iban":"1"}""", new Payment(new BankAccount { Iban = "1" }).ToString());
    }

    [Fact]
    public void Random_orders_round_trip_exactly()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            var order = RandomOrder(rnd);
            var bytes = ApiJson.Serialize(order);
            var back = ApiJson.Parse<Order>(bytes);
            Assert.Equal(order.Payment, back.Payment);
            Assert.Equal(order.Refund, back.Refund);
            Assert.Equal(order.Source, back.Source);
            Assert.Equal(order.Template, back.Template);
            Assert.Equal(order.History?.Count, back.History?.Count);
            for (var i = 0; i < (order.History?.Count ?? 0); i++)
            {
                Assert.Equal(order.History![i], back.History![i]);
            }

            Assert.True(bytes.AsSpan().SequenceEqual(ApiJson.Serialize(back)), Encoding.UTF8.GetString(bytes));

            // Shuffled members: still the same value.
            using var doc = JsonDocument.Parse(bytes);
            var shuffled = Shuffle(doc.RootElement, rnd);
            Assert.True(bytes.AsSpan().SequenceEqual(ApiJson.Serialize(ApiJson.Parse<Order>(Encoding.UTF8.GetBytes(shuffled)))), shuffled);

            var results = new Verifications { Results = Enumerable.Range(0, rnd.Next(4)).Select(_ => RandomResult(rnd)).ToArray() };
            var resultBytes = ApiJson.Serialize(results);
            var resultsBack = ApiJson.Parse<Verifications>(resultBytes);
            Assert.Equal(results.Results, resultsBack.Results);
            Assert.True(resultBytes.AsSpan().SequenceEqual(ApiJson.Serialize(resultsBack)));
        }).QuickCheckThrowOnFailure();
    }

    private static readonly string[] Words = { string.Empty, "a", "iban", "number", "quote\"back\\slash", "tab\tnew\nline", "emoji 😀", "\u2028" };

    private static string? Maybe(Random rnd) => rnd.Next(2) == 0 ? null : Words[rnd.Next(Words.Length)];

    private static string W(Random rnd) => Words[rnd.Next(Words.Length)];

    private static Payment RandomPayment(Random rnd) => rnd.Next(2) == 0
        ? new Payment(new Card { Number = W(rnd), Expiry = W(rnd), Holder = Maybe(rnd) })
        : new Payment(new BankAccount { Iban = W(rnd), Holder = Maybe(rnd), Bic = Maybe(rnd) });

    private static Order RandomOrder(Random rnd) => new()
    {
        Id = rnd.NextInt64(),
        Payment = RandomPayment(rnd),
        Refund = rnd.Next(3) switch { 0 => null, 1 => new OrderRefund(new Card { Number = W(rnd), Expiry = W(rnd) }), _ => new OrderRefund(new BankAccount { Iban = W(rnd), Bic = Maybe(rnd) }) },
        Source = rnd.Next(3) switch { 0 => null, 1 => new OrderSource(new OrderSourceOption1 { Url = W(rnd), Etag = Maybe(rnd) }), _ => new OrderSource(new OrderSourceOption2 { Path = W(rnd), Size = rnd.Next(), Note = Maybe(rnd) }) },
        History = rnd.Next(3) == 0 ? null : Enumerable.Range(0, rnd.Next(4)).Select(_ => RandomPayment(rnd)).ToArray(),
        Template = Maybe(rnd),
    };

    private static VerificationsResultsItem RandomResult(Random rnd) => rnd.Next(2) == 0
        ? new VerificationsResultsItem(new Verification { Id = Maybe(rnd), Deliverable = rnd.Next(3) switch { 0 => null, 1 => true, _ => false } })
        : new VerificationsResultsItem(new Error { Error2 = new ErrorError { Message = W(rnd), StatusCode = rnd.Next(2) == 0 ? null : rnd.Next(600) } });

    /// <summary>The JSON text of a value with every object's members in a random order.</summary>
    private static string Shuffle(JsonElement v, Random rnd) => v.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", v.EnumerateObject().OrderBy(_ => rnd.Next()).Select(m => "\"" + JsonEncodedText.Encode(m.Name).ToString() + "\":" + Shuffle(m.Value, rnd))) + "}",
        JsonValueKind.Array => "[" + string.Join(",", v.EnumerateArray().Select(x => Shuffle(x, rnd))) + "]",
        _ => v.GetRawText(),
    };

    [Fact]
    public void Branches_that_cannot_be_told_apart_stay_TKO004_and_those_that_can_do_not()
    {
        var doc = """
            {"openapi":"3.0.3","info":{"title":"T","version":"1"},"paths":{},"components":{"schemas":{
              "Props":{"type":"object","properties":{"message":{"type":"string"},"check_bottom":{"type":"string"}}},
              "A":{"type":"object","properties":{
                "same":{"oneOf":[{"allOf":[{"required":["message"]},{"$ref":"#/components/schemas/Props"}]},{"allOf":[{"required":["check_bottom"]},{"$ref":"#/components/schemas/Props"}]}]},
                "open":{"oneOf":[{"type":"object","properties":{"a":{"type":"string"}}},{"type":"object","properties":{"b":{"type":"string"}}}]},
                "told":{"oneOf":[{"type":"object","required":["a"],"properties":{"a":{"type":"string"}}},{"type":"object","required":["b"],"properties":{"b":{"type":"string"}}}]},
                "strings":{"oneOf":[{"type":"string","format":"uuid"},{"type":"string","format":"date-time"},{"$ref":"#/components/schemas/S"}]}}},
              "S":{"type":"string","pattern":"^x"}}}}
            """;
        var r = GeneratorHarness.Run(("/p/t.json", doc));
        Assert.Equal(2, r.GeneratorDiagnostics.Count(d => d.Id == "TKO004"));
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));
        var a = r.Output.GetTypeByMetadataName("Consumer.T.A")!;
        string TypeOf(string name) => a.GetMembers(name).OfType<Microsoft.CodeAnalysis.IPropertySymbol>().Single().Type.ToDisplayString();
        Assert.EndsWith("ApiJsonValue?", TypeOf("Same"), StringComparison.Ordinal);
        Assert.EndsWith("ApiJsonValue?", TypeOf("Open"), StringComparison.Ordinal);
        Assert.Equal("Consumer.T.ATold?", TypeOf("Told"));
        Assert.Equal("string?", TypeOf("Strings"));
    }

    [Fact]
    public void The_shapes_document_generates_no_diagnostic_and_compiles_clean()
    {
        var r = GeneratorHarness.Run(("/p/shapes.json", GeneratorHarness.Schema("shapes.json")));
        Assert.Empty(r.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));
        var payment = r.Output.GetTypeByMetadataName("Consumer.Shapes.Payment");
        Assert.NotNull(payment);
        Assert.True(payment!.IsValueType && payment.IsReadOnly);
        Assert.Equal(
            new[] { "AsBankAccount", "AsCard", "IsBankAccount", "IsCard", "TryGetBankAccount", "TryGetCard" },
            payment.GetMembers().Where(m => m.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public && (m.Name.StartsWith("Is", StringComparison.Ordinal) || m.Name.StartsWith("As", StringComparison.Ordinal) || m.Name.StartsWith("TryGet", StringComparison.Ordinal))).Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void Required_only_alternatives_in_allOf_are_constraints_and_a_type_on_the_union_narrows_its_branches()
    {
        // Lob's identity validation input: each branch is allOf [anyOf [required city+state | required zip_code], the
        // properties]; Lob's send_date: type string, anyOf [format date-time | format date].
        var doc = """
            {"openapi":"3.0.3","info":{"title":"T","version":"1"},"paths":{},"components":{"schemas":{
              "Person":{"allOf":[{"anyOf":[{"title":"city and state","required":["city","state"]},{"required":["zip_code"]}]},{"type":"object","required":["recipient","line"],"properties":{
                "recipient":{"type":"string"},"line":{"type":"string"},"city":{"type":"string"},"state":{"type":"string"},"zip_code":{"type":"string"}}}]},
              "Company":{"allOf":[{"anyOf":[{"required":["city","state"]},{"type":"object","required":["zip_code"]}]},{"type":"object","required":["company","line"],"properties":{
                "company":{"type":"string"},"line":{"type":"string"},"city":{"type":"string"},"state":{"type":"string"},"zip_code":{"type":"string"}}}]},
              "Input":{"oneOf":[{"$ref":"#/components/schemas/Person"},{"$ref":"#/components/schemas/Company"}]},
              "Letter":{"type":"object","properties":{"send_date":{"type":"string","anyOf":[{"format":"date-time"},{"format":"date"}]},
                "to":{"$ref":"#/components/schemas/Input"}}}}}}
            """;
        var r = GeneratorHarness.Run(("/p/t.json", doc));
        Assert.Empty(r.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));
        var letter = r.Output.GetTypeByMetadataName("Consumer.T.Letter")!;
        string TypeOf(string name) => letter.GetMembers(name).OfType<Microsoft.CodeAnalysis.IPropertySymbol>().Single().Type.ToDisplayString();
        Assert.Equal("string?", TypeOf("SendDate"));
        Assert.Equal("Consumer.T.Input?", TypeOf("To"));
        var input = r.Output.GetTypeByMetadataName("Consumer.T.Input")!;
        Assert.True(input.IsValueType);
        Assert.Contains(input.GetMembers(), m => m.Name == "IsCompany");

        // An anyOf in allOf whose branches declare properties is still reported: they are not merged.
        var merged = GeneratorHarness.Run(("/p/u.json", """
            {"openapi":"3.0.3","info":{"title":"U","version":"1"},"paths":{},"components":{"schemas":{
              "A":{"allOf":[{"anyOf":[{"required":["a"],"properties":{"a":{"type":"string"}}},{"required":["b"]}]},{"type":"object","properties":{"c":{"type":"string"}}}]}}}}
            """));
        Assert.Single(merged.GeneratorDiagnostics, d => d.Id == "TKO003" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("inside allOf", StringComparison.Ordinal));
        Assert.Empty(merged.CompileDiagnostics.Select(d => d.ToString()));
    }
}
