using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Toolkit.OpenApi.Tests;

/// <summary>The extension example of docs/openapi-generator.md is generated and compiled as written.</summary>
public class DocsTests
{
    private static string DocsExample()
    {
        var doc = File.ReadAllText(Path.Combine(GeneratorHarness.SourceDir(), "..", "..", "docs", "openapi-generator.md"));
        var anchor = doc.IndexOf("The example uses every extension", StringComparison.Ordinal);
        Assert.True(anchor >= 0, "example anchor missing from the docs");
        var start = doc.IndexOf("```json\n", anchor, StringComparison.Ordinal) + "```json\n".Length;
        var end = doc.IndexOf("```", start, StringComparison.Ordinal);
        return doc[start..end];
    }

    [Fact]
    public void Extension_example_generates_what_the_docs_say()
    {
        var r = GeneratorHarness.Run(("/p/fts3.json", DocsExample()));
        Assert.Empty(r.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));

        var notFound = r.Output.GetTypeByMetadataName("Consumer.Fts3.NotFoundException")!;
        Assert.Equal("Fts3ClientErrorException", notFound.BaseType!.Name);
        Assert.Equal("Fts3Exception", notFound.BaseType.BaseType!.Name);
        Assert.Equal("ApiException", r.Output.GetTypeByMetadataName("Consumer.Fts3.TryAgainException")!.BaseType!.BaseType!.Name);

        var client = r.Run.GeneratedTrees.Single(t => Path.GetFileName(t.FilePath).StartsWith("Fts3Client.", StringComparison.Ordinal) && Path.GetFileName(t.FilePath).Count(c => c == '.') == 3).ToString();
        Assert.Contains("BytesContent(", client, StringComparison.Ordinal);
        Assert.Contains(", \"application/json\");", client, StringComparison.Ordinal);
        Assert.DoesNotContain("charset", client, StringComparison.Ordinal);
        Assert.Contains("404 => new global::Consumer.Fts3.NotFoundException(__message, __details)", client, StringComparison.Ordinal);
        Assert.Contains("__status == 410", client, StringComparison.Ordinal);
        Assert.Contains("ApiTransport.Accept(__request, \"text/plain\")", client, StringComparison.Ordinal);

        var job = r.Run.GeneratedTrees.Single(t => t.FilePath.Contains("Fts3Client.Job.", StringComparison.Ordinal)).ToString();
        Assert.Contains("withoutOffset: true", job, StringComparison.Ordinal);
        var post = r.Output.GetTypeByMetadataName("Consumer.Fts3.Fts3Client")!.GetMembers().OfType<IMethodSymbol>().Single(m => m.Name == "PostJobsByJobIdAsync");
        Assert.Equal("Task", post.ReturnType.Name);
    }
}
