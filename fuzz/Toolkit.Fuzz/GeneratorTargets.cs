using System;
using System.Collections.Generic;
using System.Text;
using Toolkit.Generators.Common.Json;
using Toolkit.Generators.OpenApi.Emit;
using Toolkit.Generators.OpenApi.Model;
using Toolkit.Generators.OpenApi.Parsing;

namespace Toolkit.Fuzz;

/// <summary>
/// The OpenAPI generator: its JSON and YAML text readers (bad text is a <see cref="JsonSyntaxException"/> with a
/// position) and the whole parse → emit path (bad documents are diagnostics, never exceptions). The compile step of
/// the generated code is left out: a Roslyn compilation per input is far too slow for afl (about 1 s each).
/// </summary>
internal static class GeneratorTargets
{
    public static void JsonText(byte[] data)
    {
        try
        {
            JsonTextParser.Parse(Decode(data));
        }
        catch (JsonSyntaxException)
        {
        }
    }

    public static void YamlText(byte[] data)
    {
        try
        {
            YamlTextParser.Parse(Decode(data));
        }
        catch (JsonSyntaxException)
        {
        }
    }

    /// <summary>The first byte picks JSON or YAML; the rest is the document, parsed with a small budget and emitted.</summary>
    public static void ParseAndEmit(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        var path = (data[0] & 1) == 0 ? "/fuzz/api.json" : "/fuzz/api.yaml";
        var text = Decode(data.AsSpan(1).ToArray());
        var options = new DocumentOptions(null, null, "Fuzz", KeepUnknownProperties: (data[0] & 2) != 0, MaxArguments: 4, HintKey: null, MaxNodes: 20_000, MaxDepth: 32);
        var doc = OpenApiParser.Parse(path, text, options, new Dictionary<string, string>());
        foreach (var unit in doc.Types)
        {
            ModelEmitter.Emit(unit);
        }

        if (doc.Client is not null)
        {
            ClientEmitter.Emit(doc.Client);
        }
    }

    /// <summary>As the compiler reads an AdditionalFile: UTF-8, each bad byte a U+FFFD.</summary>
    private static string Decode(byte[] data) => Encoding.UTF8.GetString(data);
}
