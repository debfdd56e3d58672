using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.Generators.Common.Json;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// OpenAPI documents written in YAML: the YAML reader gives the same trees as the JSON reader, and a YAML spelling
/// of each test schema generates exactly the code its JSON spelling generates.
/// </summary>
public class YamlTests
{
    [Theory]
    [InlineData("petstore")]
    [InlineData("lab")]
    [InlineData("dispatch")]
    public void Yaml_spelling_of_a_test_schema_generates_the_same_code(string name)
    {
        var common = ("/p/Schemas/common.json", GeneratorHarness.Schema("common.json"));
        var fromJson = GeneratorHarness.Run(("/p/Schemas/" + name + ".json", GeneratorHarness.Schema(name + ".json")), common);
        var fromYaml = GeneratorHarness.Run(("/p/Schemas/" + name + ".yaml", GeneratorHarness.Schema("yaml/" + name + ".yaml")), common);
        Assert.Empty(fromYaml.GeneratorDiagnostics);
        Assert.Empty(fromYaml.CompileDiagnostics.Select(d => d.ToString()));

        var jsonHash = Toolkit.Generators.OpenApi.Emit.Cs.Hash("/p/Schemas/" + name + ".json");
        var yamlHash = Toolkit.Generators.OpenApi.Emit.Cs.Hash("/p/Schemas/" + name + ".yaml");
        var a = fromJson.Run.Results.Single().GeneratedSources.ToDictionary(s => s.HintName.Replace(jsonHash, "#", StringComparison.Ordinal), s => s.SourceText.ToString());
        var b = fromYaml.Run.Results.Single().GeneratedSources.ToDictionary(s => s.HintName.Replace(yamlHash, "#", StringComparison.Ordinal), s => s.SourceText.ToString());
        Assert.True(a.Count > 2, "nothing generated for " + name);
        Assert.Equal(a.Keys.OrderBy(k => k, StringComparer.Ordinal), b.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (hint, text) in a)
        {
            Assert.Equal(text, b[hint]);
        }
    }

    [Fact]
    public void Broken_yaml_and_dangling_refs_are_diagnostics_at_their_yaml_line()
    {
        var broken = GeneratorHarness.Run(("/p/api.yaml", "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n\t/x: {}\n"));
        var d = Assert.Single(broken.GeneratorDiagnostics);
        Assert.Equal("TKO001", d.Id);
        Assert.Equal("/p/api.yaml", d.Location.GetLineSpan().Path);
        Assert.Equal(5, d.Location.GetLineSpan().StartLinePosition.Line);

        var dangling = GeneratorHarness.Run(("/p/api.yml", """
            openapi: "3.1.0"
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                A:
                  type: object
                  properties:
                    b:
                      $ref: '#/components/schemas/Missing'
            """));
        var r = Assert.Single(dangling.GeneratorDiagnostics, x => x.Id == "TKO002");
        Assert.Equal(9, r.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Theory]
    [InlineData("a: 1\nb: two\nc:\n  - x\n  - 'y'\n  - \"z\\n\"\n", """{"a":1,"b":"two","c":["x","y","z\n"]}""")]
    [InlineData("# comment\n---\nkey: value # trailing\nlist:\n- a: 1\n  b: [1, 2, {c: d}]\n- - nested\n  - seq\n...\n", """{"key":"value","list":[{"a":1,"b":[1,2,{"c":"d"}]},["nested","seq"]]}""")]
    [InlineData("n1: ~\nn2: null\nn3:\nt: true\nf: FALSE\ni: -042\nh: 0x1F\no: 0o17\nd: 1.50\ne: 2E3\nv: 3.0.3\ny: yes\nq: '007'\ns: !!str 12\n", """{"n1":null,"n2":null,"n3":null,"t":true,"f":false,"i":-42,"h":31,"o":15,"d":1.50,"e":2e3,"v":"3.0.3","y":"yes","q":"007","s":"12"}""")]
    [InlineData("lit: |\n  line 1\n    more\n  line 3\n\nfold: >\n  one\n  two\n\n  three\nstrip: |-\n  x\n\nkeep: |+\n  y\n\nnext: 1\n", """{"lit":"line 1\n  more\nline 3\n","fold":"one two\nthree\n","strip":"x","keep":"y\n\n","next":1}""")]
    [InlineData("plain: a long\n  value over\n\n  lines\nquoted: \"one\n  two\\\n  three\"\nsingle: 'it''s\n\n  here'\n", """{"plain":"a long value over\nlines","quoted":"one twothree","single":"it's\nhere"}""")]
    [InlineData("base: &b\n  type: string\n  format: uuid\nuse: *b\nlist: [*b, &n 5, *n]\n", """{"base":{"type":"string","format":"uuid"},"use":{"type":"string","format":"uuid"},"list":[{"type":"string","format":"uuid"},5,5]}""")]
    [InlineData("'quoted key': 1\n\"200\": ok\n404: nf\n$ref: '#/x'\nurl: http://a.b:80/c\nflow: {a: [], b: {}, 'c': \"d\"}\n", """{"quoted key":1,"200":"ok","404":"nf","$ref":"#/x","url":"http://a.b:80/c","flow":{"a":[],"b":{},"c":"d"}}""")]
    [InlineData("- a\n-\n  b: 1\n- [x,\n   y]\n- \"\\u00e9\\U0001F600\\x41\"\n", """["a",{"b":1},["x","y"],"é😀A"]""")]
    [InlineData("run: |\n  a\n    \n  b\n", """{"run":"a\n  \nb\n"}""")]
    [InlineData("just a scalar", "\"just a scalar\"")]
    [InlineData("", "null")]
    public void Reads_the_yaml_that_openapi_documents_use(string yaml, string json)
        => Assert.Equal(Canonical(JsonTextParser.Parse(json)), Canonical(YamlTextParser.Parse(yaml)));

    [Theory]
    [InlineData("a: 1\n\tb: 2\n", 5, "tab")]
    [InlineData("a: 1\n   b: 2\n", 9, "inside a plain value")]
    [InlineData("a: \"x\"\n  b: 1\n", 9, "indented more")]
    [InlineData("a: \"open\n", 3, "unterminated")]
    [InlineData("a: *nothing\n", 3, "no anchor")]
    [InlineData("a: b: c\n", 3, "same line")]
    [InlineData("a: [1, 2\n", 3, "unterminated flow")]
    [InlineData("a: 1\n---\nb: 2\n", 5, "one YAML document")]
    [InlineData("a: !custom x\n", 3, "tag")]
    [InlineData("a: x: y\n", 3, "same line")]
    [InlineData("- a\nb: 1\n", 4, "")]
    [InlineData("a: \"\\UFFFFFFFF\"\n", 6, "valid code point")] // parsed as a negative int (found by afl-fuzz)
    [InlineData("a: \"\\U00110000\"\n", 6, "valid code point")]
    [InlineData("a: \"\\uD800\"\n", 6, "valid code point")]
    public void Errors_name_the_offset(string yaml, int offset, string what)
    {
        var e = Assert.Throws<JsonSyntaxException>(() => YamlTextParser.Parse(yaml));
        Assert.Equal(offset, e.Offset);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_trees_written_in_several_yaml_styles_read_back_as_the_same_tree()
    {
        Prop.ForAll(
            ArbMap.Default.ArbFor<int>(),
            seed =>
            {
                var rnd = new Random(seed);
                var json = RandomJson(rnd, 0);
                var tree = JsonTextParser.Parse(json);
                var sb = new StringBuilder();
                WriteBlock(sb, tree, 0, rnd, inSequence: false);
                var yaml = sb.ToString();
                Assert.True(Canonical(tree) == Canonical(YamlTextParser.Parse(yaml)), "YAML:\n" + yaml + "\nJSON: " + json);
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void Random_and_damaged_text_only_parses_or_fails_with_a_syntax_error()
    {
        var valid = GeneratorHarness.Schema("yaml/lab.yaml");
        Prop.ForAll(
            ArbMap.Default.ArbFor<int>(),
            seed =>
            {
                var rnd = new Random(seed);
                var chars = valid.ToCharArray().ToList();
                for (var m = 0; m < 1 + rnd.Next(4); m++)
                {
                    var at = rnd.Next(chars.Count);
                    var piece = new[] { ":", "- ", "\t", "  ", "\n", "'", "\"", "|", ">", "&a ", "*a", "[", "}", "#", "!!" }[rnd.Next(15)];
                    if (rnd.Next(2) == 0)
                    {
                        chars.InsertRange(at, piece);
                    }
                    else
                    {
                        chars.RemoveRange(at, Math.Min(1 + rnd.Next(3), chars.Count - at));
                    }
                }

                try
                {
                    YamlTextParser.Parse(new string(chars.ToArray()));
                }
                catch (JsonSyntaxException e)
                {
                    Assert.InRange(e.Offset, 0, chars.Count);
                }
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    private static string Canonical(JsonNode n)
    {
        switch (n.Kind)
        {
            case JsonKind.Object:
                return "{" + string.Join(",", n.Members.Select(m => Quote(m.Name) + ":" + Canonical(m.Value))) + "}";
            case JsonKind.Array:
                return "[" + string.Join(",", n.Items.Select(Canonical)) + "]";
            case JsonKind.String:
                return Quote(n.Text!);
            case JsonKind.Number:
                return n.Text!;
            default:
                return n.Kind.ToString().ToLowerInvariant();
        }
    }

    /// <summary>
    /// A double-quoted string that is both valid JSON and valid YAML: the generator's own JSON quoting (only the
    /// required escapes, non-ASCII text left as it is, so no surrogate escapes YAML would refuse).
    /// </summary>
    private static string Quote(string s) => Toolkit.Generators.OpenApi.Emit.JsonCode.JsonText(s);

    private static string RandomJson(Random rnd, int depth)
    {
        switch (depth > 3 ? rnd.Next(4) : rnd.Next(7))
        {
            case 0:
                return new[] { "0", "-7", "12.5", "1e3", "3", "1.0" }[rnd.Next(6)];
            case 1:
            case 2:
                return Quote(RandomString(rnd));
            case 3:
                return new[] { "true", "false", "null" }[rnd.Next(3)];
            case 4:
            case 5:
            {
                var n = rnd.Next(4);
                var keys = Enumerable.Range(0, n).Select(i => RandomString(rnd) + i.ToString(CultureInfo.InvariantCulture)).ToList();
                return "{" + string.Join(",", keys.Select(k => Quote(k) + ":" + RandomJson(rnd, depth + 1))) + "}";
            }

            default:
                return "[" + string.Join(",", Enumerable.Range(0, rnd.Next(4)).Select(_ => RandomJson(rnd, depth + 1))) + "]";
        }
    }

    private static string RandomString(Random rnd)
    {
        var pieces = new[] { "a", "job_id", "x y", "é", "😀", "#", ": ", "'", "\"", "\\", "-", "?", "200", "true", "null", "~", "1.5", "\n", "\t", " ", "line\nline", "[", "{", "&", "*", "!", "|", ">", "%" };
        var sb = new StringBuilder();
        var n = rnd.Next(4);
        for (var i = 0; i < n; i++)
        {
            sb.Append(pieces[rnd.Next(pieces.Length)]);
        }

        return sb.ToString();
    }

    /// <summary>Writes a node in block style with a random choice of scalar and collection styles.</summary>
    private static void WriteBlock(StringBuilder sb, JsonNode n, int indent, Random rnd, bool inSequence)
    {
        var pad = new string(' ', indent);
        switch (n.Kind)
        {
            case JsonKind.Object when n.Members.Count > 0:
                for (var i = 0; i < n.Members.Count; i++)
                {
                    var m = n.Members[i];
                    sb.Append(i == 0 && inSequence ? string.Empty : pad).Append(Scalar(m.Name, rnd, key: true)).Append(':');
                    WriteValue(sb, m.Value, indent, rnd);
                }

                break;
            case JsonKind.Array when n.Items.Count > 0:
                for (var i = 0; i < n.Items.Count; i++)
                {
                    sb.Append(i == 0 && inSequence ? string.Empty : pad).Append('-');
                    var item = n.Items[i];
                    if (item.Kind is JsonKind.Object or JsonKind.Array && (item.Members.Count > 0 || item.Items.Count > 0) && rnd.Next(3) > 0)
                    {
                        sb.Append(' ');
                        WriteBlock(sb, item, indent + 2, rnd, inSequence: true);
                    }
                    else
                    {
                        WriteValue(sb, item, indent, rnd);
                    }
                }

                break;
            default:
                sb.Append(pad).Append(Flow(n, rnd)).Append('\n');
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonNode v, int indent, Random rnd)
    {
        if (v.Kind is JsonKind.Object or JsonKind.Array && (v.Members.Count > 0 || v.Items.Count > 0) && rnd.Next(4) > 0)
        {
            sb.Append(rnd.Next(3) == 0 ? " # note\n" : "\n");
            WriteBlock(sb, v, indent + 2, rnd, inSequence: false);
            return;
        }

        if (v.Kind == JsonKind.String && rnd.Next(3) == 0 && BlockSafe(v.Text!))
        {
            // Literal block, chomping chosen by how the text ends.
            var text = v.Text!;
            var keep = text.EndsWith('\n');
            sb.Append(keep ? " |\n" : " |-\n");
            foreach (var line in (keep ? text[..^1] : text).Split('\n'))
            {
                sb.Append(line.Length == 0 ? string.Empty : new string(' ', indent + 2) + line).Append('\n');
            }

            return;
        }

        sb.Append(' ').Append(Flow(v, rnd)).Append('\n');
    }

    private static bool BlockSafe(string s)
        => s.Length > 0 && !s.EndsWith("\n\n", StringComparison.Ordinal) && s.Split('\n').All(l => l.Length > 0 && l[0] != ' ' && l[0] != '\t' && !l.EndsWith(' ') && !l.EndsWith('\t'))
           && !s.Any(c => c < 0x20 && c != '\n');

    private static string Flow(JsonNode n, Random rnd) => n.Kind switch
    {
        JsonKind.Object => "{" + string.Join(", ", n.Members.Select(m => Scalar(m.Name, rnd, key: true, flow: true) + ": " + Flow(m.Value, rnd))) + "}",
        JsonKind.Array => "[" + string.Join(", ", n.Items.Select(i => Flow(i, rnd))) + "]",
        JsonKind.String => Scalar(n.Text!, rnd, key: false, flow: true),
        JsonKind.Number => n.Text!,
        _ => n.Kind switch { JsonKind.True => "true", JsonKind.False => "false", _ => rnd.Next(2) == 0 ? "null" : "~" },
    };

    private static string Scalar(string s, Random rnd, bool key, bool flow = false)
    {
        var plainSafe = s.Length > 0 && char.IsAsciiLetter(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ' ' or '.' or '/') && !s.EndsWith(' ')
            && s is not ("true" or "false" or "null" or "True" or "False" or "Null" or "TRUE" or "FALSE" or "NULL");
        if (plainSafe && rnd.Next(2) == 0)
        {
            return s;
        }

        if (!s.Any(c => c < 0x20) && rnd.Next(2) == 0)
        {
            return "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
        }

        return Quote(s);
    }
}
