using System;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.CodeAnalysis;
using Toolkit.Generators.Structs.Emit;
using Toolkit.Generators.Structs.Model;
using Toolkit.Generators.Structs.Parsing;

namespace Toolkit.Structs.Tests.Generator;

public sealed class DiagnosticTests
{
    [Theory]
    [InlineData("TKS001", 2, 5, "struct A {\n  a u8;\n}")]
    [InlineData("TKS001", 1, 12, "struct A { # }")]
    [InlineData("TKS002", 3, 3, "struct S {\n  a: u8;\n  a: u16;\n}")]
    [InlineData("TKS002", 2, 3, "struct Write {\n  write: u8;\n}")]
    [InlineData("TKS002", 2, 3, "struct Fixed {\n  isValidFixed: u8;\n}")]
    [InlineData("TKS002", 2, 3, "struct Failing {\n  fail: u8;\n}")]
    [InlineData("TKS002", 2, 8, "struct A { a: u8; }\nstruct A { b: u8; }")]
    [InlineData("TKS003", 2, 6, "struct A {\n  b: Missing;\n}")]
    [InlineData("TKS003", 1, 8, "struct B : Nowhere { a: u8; }")]
    [InlineData("TKS004", 2, 12, "struct A {\n  t: bytes[..];\n  b: u8;\n}")]
    [InlineData("TKS004", 2, 6, "struct A {\n  f: bits u8 { x: 3; y: 4; };\n}")]
    [InlineData("TKS005", 2, 11, "struct A {\n  t: text[n * 2];\n  n: u8;\n}")]
    [InlineData("TKS005", 3, 3, "struct O { a: u8; }\nstruct A {\n  o: O if (nope);\n}")]
    [InlineData("TKS006", 2, 3, "union U switch (u8 @0) {\n  1 => Nope;\n}")]
    [InlineData("TKS006", 5, 11, "struct V { a: u8; }\nstruct W { a: u8; }\nunion U switch (u8 @0) { 1 => V; }\nunion X switch (u8 @0) {\n  1 => W; 2 => V;\n}")]
    [InlineData("TKS007", 2, 3, "enum E : u8 {\n  A = 300;\n}")]
    [InlineData("TKS007", 2, 3, "struct A {\n  a: u8 const 256;\n}")]
    [InlineData("TKS008", 1, 16, "text T pattern \"abc\";")]
    [InlineData("TKS008", 1, 21, "text T split '\\n' { a: Nope; b: text; }")]
    [InlineData("TKS009", 3, 15, "struct A {\n  a: u8;\n  let x: u8 = b + 1;\n}")]
    public void EveryDiagnosticFiresAtItsPosition(string id, int line, int column, string schema)
    {
        var (result, output, _) = GeneratorHarness.Run(("/schemas/broken.structs", schema));
        var diagnostics = result.Diagnostics;
        var d = diagnostics.FirstOrDefault(x => x.Id == id);
        Assert.True(d is not null, "expected " + id + ", got: " + string.Join("; ", diagnostics.Select(x => x.Id + " " + x.GetMessage(System.Globalization.CultureInfo.InvariantCulture))));
        var span = d!.Location.GetLineSpan();
        Assert.Equal("/schemas/broken.structs", span.Path);
        Assert.Equal((line, column), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);

        // A real span: the character span names the same place as the line span, and is not empty.
        Assert.Equal(Microsoft.CodeAnalysis.Text.SourceText.From(schema).Lines.GetLinePositionSpan(d.Location.SourceSpan), span.Span);
        Assert.True(d.Location.SourceSpan.Length > 0, "empty span for " + id);

        // A broken schema yields no code for its namespace, so nothing uncompilable.
        Assert.Empty(result.Results.Single().GeneratedSources);
        Assert.DoesNotContain(output.GetDiagnostics(), x => x.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void ParserAndBinderNeverThrowOnGarbledSchemas()
    {
        var real = GeneratorHarness.SchemaText("xrdmon.structs");
        var fragments = new[]
        {
            "struct", "union", "enum", "text", "namespace", "{", "}", "(", ")", "[", "]", ";", ":", ",", "=", "=>", "..", "@", ">>", "<<",
            "*", "+", "-", "&", "|", "u8", "i64", "u24", "f64", "bytes", "char", "text", "bits", "let", "if", "as", "in", "const", "size",
            "switch", "visitor", "over", "dispatch", "fail", "_", "A", "B", "x", "y", "0", "1", "0xFF", "'c'", "\"{a}/{b:int}\"", "///", "\n", " ", "cgi", "split", "pattern", "lines",
            "trim", "((((", "))))", "99999999999999999999", "'\\n'", "\"", "'",
        };
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            string text;
            if (random.Next(2) == 0)
            {
                var sb = new StringBuilder();
                var n = random.Next(0, 80);
                for (var i = 0; i < n; i++)
                {
                    sb.Append(fragments[random.Next(fragments.Length)]).Append(random.Next(3) == 0 ? " " : string.Empty);
                }

                text = sb.ToString();
            }
            else
            {
                // Mutate the real schema: delete, duplicate or replace a random slice.
                var chars = real.ToCharArray().ToList();
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    var at = random.Next(chars.Count);
                    var len = Math.Min(random.Next(1, 40), chars.Count - at);
                    switch (random.Next(3))
                    {
                        case 0:
                            chars.RemoveRange(at, len);
                            break;
                        case 1:
                            chars.InsertRange(random.Next(chars.Count), chars.GetRange(at, len));
                            break;
                        default:
                            chars[at] = (char)random.Next(32, 127);
                            break;
                    }
                }

                text = new string(chars.ToArray());
            }

            var file = Parser.Parse("/fuzz.structs", text);
            var (models, diagnostics) = Binder.Bind(new[] { file }, "0.0.0");
            Assert.DoesNotContain(file.Diagnostics.Concat(diagnostics), d => d.Id == "TKS010");
            Assert.All(file.Diagnostics.Concat(diagnostics), d => Assert.True(d.Loc.Line >= 1 && d.Loc.Column >= 1));
            foreach (var m in models)
            {
                Assert.NotEmpty(Emitter.Emit(m));
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ParsedModelsAreValueEqual()
    {
        var text = GeneratorHarness.SchemaText("xrdmon.structs");
        var a = Parser.Parse("/a.structs", text);
        var b = Parser.Parse("/a.structs", text);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(Binder.Bind(new[] { a }, "1"), Binder.Bind(new[] { b }, "1"));
        Assert.NotEqual(a, Parser.Parse("/a.structs", text.Replace("pseq: u8;", "pseq: u16;", StringComparison.Ordinal)));
        Assert.Empty(a.Diagnostics);
        Assert.Equal("Toolkit.XrdMon", a.Namespace);
    }
}
