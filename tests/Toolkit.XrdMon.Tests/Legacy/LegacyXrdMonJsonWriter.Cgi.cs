using System;
// Frozen copy of the Utf8JsonWriter-based xrdmon decode writer (src/XrdMon at 1855f6c): the byte-identity oracle of
// JsonOutputIdentityTests and the "before" baseline of bench/Toolkit.Bench/XrdMon/XrdMonJsonBenchmarks.cs. Do not change.
using System.Buffers.Text;
using System.Text.Unicode;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon.Tests.Legacy;

internal sealed partial class LegacyXrdMonJsonWriter
{
    /// <summary>Writes a CGI payload as an object with the contract's names for known keys.</summary>
    private void Cgi(ReadOnlySpan<byte> payload, byte code)
    {
        _json.WriteStartObject();
        foreach (CgiPair pair in new CgiEnumerator(BigEndian.UntilNul(payload)))
        {
            (string? name, bool numeric) = CgiName(code, pair.Key);
            if (name is null)
            {
                if (!Utf8.IsValid(pair.Key))
                {
                    continue;
                }

                _json.WritePropertyName(pair.Key);
            }
            else
            {
                _json.WritePropertyName(name);
            }

            if (numeric && Utf8Parser.TryParse(pair.Value, out long number, out int used) && used == pair.Value.Length)
            {
                _json.WriteNumberValue(number);
            }
            else
            {
                StrValue(pair.Value);
            }
        }

        _json.WriteEndObject();
    }

    private static (string? Name, bool Numeric) CgiName(byte code, ReadOnlySpan<byte> key)
    {
        switch (code)
        {
            case (byte)'=':
                if (key.SequenceEqual("port"u8))
                {
                    return ("port", true);
                }

                return (null, false);
            case (byte)'u':
                if (key.Length == 1)
                {
                    return key[0] switch
                    {
                        (byte)'p' => ("protocol", false),
                        (byte)'n' => ("name", false),
                        (byte)'h' => ("host", false),
                        (byte)'o' => ("organisation", false),
                        (byte)'r' => ("role", false),
                        (byte)'g' => ("group", false),
                        (byte)'m' => ("moninfo", false),
                        (byte)'R' => ("release", false),
                        (byte)'x' => ("executable", false),
                        (byte)'y' => ("y", false),
                        (byte)'I' => ("ip_version", true),
                        _ => (null, false),
                    };
                }

                return (null, false);
            case (byte)'U':
                if (key.SequenceEqual("Uc"u8))
                {
                    return ("user_dictid", true);
                }

                if (key.SequenceEqual("Ec"u8))
                {
                    return ("experiment", true);
                }

                return key.SequenceEqual("Ac"u8) ? ("activity", true) : (null, false);
            default:
                if (key.SequenceEqual("tod"u8))
                {
                    return ("tod", true);
                }

                if (key.SequenceEqual("sz"u8))
                {
                    return ("size", true);
                }

                if (code == (byte)'p')
                {
                    if (key.SequenceEqual("at"u8))
                    {
                        return ("access_time", true);
                    }

                    if (key.SequenceEqual("ct"u8))
                    {
                        return ("create_time", true);
                    }

                    if (key.SequenceEqual("mt"u8))
                    {
                        return ("modify_time", true);
                    }

                    return key.SequenceEqual("fn"u8) ? ("file_name", false) : (null, false);
                }

                if (key.SequenceEqual("tm"u8))
                {
                    return ("seconds", true);
                }

                if (key.SequenceEqual("op"u8))
                {
                    return ("operation", false);
                }

                if (key.SequenceEqual("rc"u8))
                {
                    return ("return_code", true);
                }

                return key.SequenceEqual("pd"u8) ? ("program_data", false) : (null, false);
        }
    }
}
