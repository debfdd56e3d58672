using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using Toolkit.OpenApi.Tests.Bodies;
using Toolkit.Runtime.Http;

namespace Toolkit.OpenApi.Tests.BodyTests;

/// <summary>Which operations get streaming forms and parts records, and what falls back.</summary>
public class BodyShapeTests
{
    private static string Doc(string requestBody, string extra = "")
        => "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"T\",\"version\":\"1\"},\"paths\":{\"/u\":{\"post\":{\"operationId\":\"up\",\"requestBody\":" + requestBody
           + ",\"responses\":{\"204\":{\"description\":\"ok\"}}}}" + extra + "}}";

    [Fact]
    public void Only_array_results_get_a_streaming_form_with_the_exact_item_type()
    {
        var items = typeof(BodiesClient).GetMethod(nameof(BodiesClient.ListItemsStreamAsync))!;
        Assert.Equal(typeof(IAsyncEnumerable<Item>), items.ReturnType);
        Assert.NotNull(items.GetParameters().Last().GetCustomAttribute<EnumeratorCancellationAttribute>());
        Assert.Equal(typeof(CancellationToken), items.GetParameters().Last().ParameterType);
        Assert.Equal(typeof(IAsyncEnumerable<long?>), typeof(BodiesClient).GetMethod(nameof(BodiesClient.ListNumbersStreamAsync))!.ReturnType);
        Assert.Equal(new[] { "ListItemsStreamAsync", "ListNumbersStreamAsync" }, typeof(BodiesClient).GetMethods().Select(m => m.Name).Where(n => n.EndsWith("StreamAsync", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.NotNull(typeof(Toolkit.Fts3.Fts3Client).GetMethod("ListJobsStreamAsync"));
    }

    [Fact]
    public void Parts_records_follow_required_and_nullable_exactly()
    {
        var nullability = new NullabilityInfoContext();
        void Check(string property, bool required, bool nullable)
        {
            var p = typeof(UploadDocumentParts).GetProperty(property)!;
            Assert.Equal(required, p.GetCustomAttribute<RequiredMemberAttribute>() is not null);
            var isNullable = Nullable.GetUnderlyingType(p.PropertyType) is not null || nullability.Create(p).WriteState == NullabilityState.Nullable;
            Assert.True(nullable == isNullable, property + " nullable should be " + nullable);
        }

        Check(nameof(UploadDocumentParts.Title), true, false);
        Check(nameof(UploadDocumentParts.File), true, false);
        Check(nameof(UploadDocumentParts.FileXChecksum), true, false);
        Check(nameof(UploadDocumentParts.Meta), true, true);
        Check(nameof(UploadDocumentParts.Count), false, true);
        Check(nameof(UploadDocumentParts.Attachments), false, true);
        Check(nameof(UploadDocumentParts.Checksum), false, true);
        Assert.Equal(typeof(ApiFilePart), typeof(UploadDocumentParts).GetProperty(nameof(UploadDocumentParts.File))!.PropertyType);
        Assert.Equal(typeof(IReadOnlyList<ApiFilePart>), typeof(UploadDocumentParts).GetProperty(nameof(UploadDocumentParts.Attachments))!.PropertyType);
        Assert.Equal(typeof(byte[]), typeof(UploadDocumentParts).GetProperty(nameof(UploadDocumentParts.Checksum))!.PropertyType);
        Assert.Null(typeof(UploadDocumentParts).GetProperty("FileContentType"));
        Assert.Equal(typeof(PutAvatarParts), typeof(BodiesClient).GetMethod(nameof(BodiesClient.PutAvatarAsync))!.GetParameters()[0].ParameterType);
    }

    [Fact]
    public void Multipart_that_is_not_a_plain_object_falls_back_to_HttpContent_with_a_warning()
    {
        foreach (var body in new[]
        {
            "{\"content\":{\"multipart/form-data\":{\"schema\":{\"allOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}]}}}}",
            "{\"content\":{\"multipart/mixed\":{\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}}}}",
            "{\"content\":{\"multipart/form-data\":{}}}",
        })
        {
            var r = GeneratorHarness.Run(("/p/t.json", Doc(body)));
            Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));
            Assert.Contains(r.GeneratorDiagnostics, d => d.Id == "TKO003" && d.GetMessage().Contains("multipart", StringComparison.Ordinal));
            Assert.Contains("global::System.Net.Http.HttpContent? body = null", string.Join("\n", r.Run.GeneratedTrees.Select(t => t.ToString())), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_encoding_for_no_property_is_a_warning_and_the_client_still_compiles()
    {
        var body = "{\"required\":true,\"content\":{\"multipart/form-data\":{\"schema\":{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{\"a\":{\"type\":\"string\"},\"class\":{\"type\":\"integer\"}}},\"encoding\":{\"nope\":{\"contentType\":\"text/plain\"},\"a\":{\"headers\":{\"X-A\":{\"schema\":{\"type\":\"string\"}}}}}}}}";
        var r = GeneratorHarness.Run(("/p/t.json", Doc(body)));
        Assert.Empty(r.CompileDiagnostics.Select(d => d.ToString()));
        var d = Assert.Single(r.GeneratorDiagnostics);
        Assert.Equal("TKO003", d.Id);
        Assert.Contains("'nope'", d.GetMessage(), StringComparison.Ordinal);
        var parts = r.Output.GetTypeByMetadataName("Consumer.T.UpParts");
        Assert.NotNull(parts);
        Assert.Equal(new[] { "A", "AXA", "Class" }, parts!.GetMembers().OfType<Microsoft.CodeAnalysis.IPropertySymbol>().Where(p => p.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public).Select(p => p.Name).Order(StringComparer.Ordinal));
    }
}
