using System;
using System.Linq;

namespace Toolkit.OpenApi.Tests;

/// <summary>The minor generator defects of issue 17: each was accepted silently before, each is now a positioned diagnostic.</summary>
public class MalformedDocumentTests
{
    private const string Head = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"paths\":{},";

    [Fact]
    public void Invalid_utf8_is_a_positioned_error()
    {
        // The compiler decodes R\xffoot as "R\uFFFDoot"; it used to become the type ROot.
        var text = Head + "\"components\":{\"schemas\":{\"R\uFFFDoot\":{\"type\":\"string\"}}}}";
        var r = GeneratorHarness.Run(("/p/bad.json", text));
        var d = Assert.Single(r.GeneratorDiagnostics);
        Assert.Equal("TKO001", d.Id);
        Assert.Equal(text.IndexOf('\uFFFD', StringComparison.Ordinal), d.Location.SourceSpan.Start);
        Assert.Contains("UTF-8", d.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/p/dup.json", "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"paths\":{},\"components\":{\"schemas\":{\"A\":{\"type\":\"string\"},\"A\":{\"type\":\"integer\"}}}}", "\"A\":{\"type\":\"integer")]
    [InlineData("/p/dup.yaml", "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string}\n    A: {type: integer}\n", "A: {type: integer")]
    [InlineData("/p/flow.yaml", "openapi: 3.0.3\ninfo: {title: T, version: '1', title: U}\npaths: {}\n", "title: U")]
    public void Duplicate_keys_are_a_positioned_error(string path, string text, string second)
    {
        var r = GeneratorHarness.Run((path, text));
        var d = Assert.Single(r.GeneratorDiagnostics);
        Assert.Equal("TKO001", d.Id);
        Assert.Equal(text.IndexOf(second, StringComparison.Ordinal), d.Location.SourceSpan.Start);
        Assert.Contains("duplicate key", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_without_info_and_paths_is_diagnosed()
    {
        var r = GeneratorHarness.Run(("/p/bare.json", "{\"openapi\":\"3.0.3\"}"));
        var messages = r.GeneratorDiagnostics.Select(d => d.Id + " " + d.GetMessage()).ToList();
        Assert.Contains(messages, m => m.StartsWith("TKO005", StringComparison.Ordinal) && m.Contains("'info'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("TKO005", StringComparison.Ordinal) && m.Contains("'paths'", StringComparison.Ordinal));
    }

    [Fact]
    public void Dangling_file_ref_shows_the_path_as_written()
    {
        var text = Head + "\"components\":{\"schemas\":{\"A\":{\"$ref\":\"../../../../etc/passwd\"}}}}";
        var r = GeneratorHarness.Run(("/p/a.json", text));
        var d = Assert.Single(r.GeneratorDiagnostics, x => x.Id == "TKO002");
        Assert.Contains("file '../../../../etc/passwd'", d.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain("'/../etc/passwd'", d.GetMessage(), StringComparison.Ordinal);
    }
}
