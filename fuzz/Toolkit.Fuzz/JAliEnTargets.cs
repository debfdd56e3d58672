extern alias commands;

using System;
using System.Linq;
using System.Text;
using commands::Toolkit.Generators.Commands.Emit;
using commands::Toolkit.Generators.Commands.Model;
using commands::Toolkit.Generators.Commands.Parsing;
using Toolkit.JAliEn;

namespace Toolkit.Fuzz;

/// <summary>
/// JAliEn: the command-schema generator (parse → emit; bad schemas are diagnostics, never exceptions) and the reply
/// reader (a bad reply is an <see cref="AlienProtocolException"/>, a non-zero exit code an
/// <see cref="AlienCommandException"/>).
/// </summary>
internal static class JAliEnTargets
{
    /// <summary>The first byte picks YAML or JSON; the rest is a command schema, parsed with a small budget and emitted.</summary>
    public static void Schema(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        var path = (data[0] & 1) == 0 ? "/fuzz/commands.yaml" : "/fuzz/commands.json";
        var text = Encoding.UTF8.GetString(data.AsSpan(1));
        var result = CommandSchemaParser.Parse(path, text, new SchemaOptions(null, "Fuzz", MaxNodes: 20_000), "fuzz");
        if (result.Model is not null)
        {
            _ = CommandEmitter.Emit(result.Model, "0.0.0").ToList();
        }
    }

    /// <summary>A reply, read untyped and as three generated row types.</summary>
    public static void Reply(byte[] data)
    {
        Read(() => AlienReplyReader.ReadUntyped(data, "fuzz"));
        Read(() => AlienReplyReader.Read<FindEntry>(data, "find"));
        Read(() => AlienReplyReader.Read<StatEntry>(data, "stat"));
        Read(() => AlienReplyReader.Read<AccessEnvelope>(data, "access", AlienErrorMode.Return));
    }

    private static void Read(Action read)
    {
        try
        {
            read();
        }
        catch (AlienProtocolException)
        {
        }
        catch (AlienCommandException)
        {
        }
    }
}
