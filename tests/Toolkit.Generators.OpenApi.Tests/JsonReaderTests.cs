using FsCheck;
using System;
using Toolkit.Generators.Common;
using Toolkit.Generators.Common.Json;
using Toolkit.Generators.OpenApi.Parsing;

namespace Toolkit.OpenApi.Tests;

public class JsonReaderTests
{
    [Fact]
    public void Parses_values_and_keeps_offsets()
    {
        const string text = "{\n  \"a\": [1, -2.5e3, true, null],\n  \"b\": \"x\\u00e9\\n\"\n}";
        var root = JsonTextParser.Parse(text);
        Assert.Equal(JsonKind.Object, root.Kind);
        var a = root["a"]!;
        Assert.Equal(4, a.Items.Count);
        Assert.Equal("-2.5e3", a.Items[1].Text);
        Assert.Equal(JsonKind.True, a.Items[2].Kind);
        Assert.Equal("x\u00e9\n", root.GetString("b"));
        Assert.Equal(text.IndexOf('[', StringComparison.Ordinal), a.Start);
        var member = root.GetMember("b")!;
        Assert.Equal((2, 2), new LineIndex(text).Locate(member.NameStart));
    }

    [Theory]
    [InlineData("{\"a\": 1,}", 8)]
    [InlineData("{\"a\" 1}", 5)]
    [InlineData("[1 2]", 3)]
    [InlineData("\"abc", 4)]
    [InlineData("{\"a\": tru}", 6)]
    [InlineData("01", 1)]
    [InlineData("", 0)]
    [InlineData("{\"a\": \"\\q\"}", 7)]
    public void Reports_syntax_errors_at_their_offset(string text, int offset)
    {
        var ex = Assert.Throws<JsonSyntaxException>(() => JsonTextParser.Parse(text));
        Assert.Equal(offset, ex.Offset);
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var text = new string('[', 100_000) + new string(']', 100_000);
        var ex = Assert.Throws<JsonSyntaxException>(() => JsonTextParser.Parse(text));
        Assert.Contains("deeper", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_text_only_parses_or_fails_with_a_syntax_error()
    {
        var lab = GeneratorHarness.Schema("lab.json");
        FsCheck.Fluent.Prop.ForAll(
            FsCheck.Fluent.ArbMap.Default.ArbFor<int>(),
            seed =>
            {
                var rnd = new Random(seed);
                var cut = lab[..rnd.Next(lab.Length)];
                var chars = cut.ToCharArray();
                if (chars.Length > 0)
                {
                    chars[rnd.Next(chars.Length)] = (char)rnd.Next(0, 128);
                }

                foreach (var candidate in new[] { cut, new string(chars) })
                {
                    try
                    {
                        JsonTextParser.Parse(candidate);
                    }
                    catch (JsonSyntaxException ex)
                    {
                        Assert.InRange(ex.Offset, 0, candidate.Length);
                    }
                }
            }).QuickCheckThrowOnFailure();
    }
}
