using System;
using System.Buffers.Text;
using System.Text.Unicode;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon;

public sealed partial class XrdMonJsonWriter
{
    /// <summary>Writes a CGI payload as an object with the contract's names for known keys.</summary>
    private void Cgi(ReadOnlySpan<byte> payload, byte code)
    {
        _out.StartObject();
        foreach (CgiPair pair in new CgiEnumerator(BigEndian.UntilNul(payload)))
        {
            if (CgiName(code, pair.Key, out ReadOnlySpan<byte> name, out bool numeric))
            {
                _out.Name(name);
            }
            else
            {
                if (!Utf8.IsValid(pair.Key))
                {
                    continue;
                }

                _out.NameFromInput(pair.Key);
            }

            if (numeric && Utf8Parser.TryParse(pair.Value, out long number, out int used) && used == pair.Value.Length)
            {
                _out.Number(number);
            }
            else
            {
                _out.StringValue(pair.Value);
            }
        }

        _out.EndObject();
    }

    /// <summary>The contract's name (pre-encoded <c>"name":</c>) of a known CGI key, and whether its value is a number.</summary>
    private static bool CgiName(byte code, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> name, out bool numeric)
    {
        numeric = false;
        name = default;
        switch (code)
        {
            case (byte)'=':
                return key.SequenceEqual("port"u8) && Known("\"port\":"u8, true, out name, out numeric);
            case (byte)'u':
                if (key.Length != 1)
                {
                    return false;
                }

                name = key[0] switch
                {
                    (byte)'p' => "\"protocol\":"u8,
                    (byte)'n' => "\"name\":"u8,
                    (byte)'h' => "\"host\":"u8,
                    (byte)'o' => "\"organisation\":"u8,
                    (byte)'r' => "\"role\":"u8,
                    (byte)'g' => "\"group\":"u8,
                    (byte)'m' => "\"moninfo\":"u8,
                    (byte)'R' => "\"release\":"u8,
                    (byte)'x' => "\"executable\":"u8,
                    (byte)'y' => "\"y\":"u8,
                    (byte)'I' => "\"ip_version\":"u8,
                    _ => default,
                };
                numeric = key[0] == (byte)'I';
                return !name.IsEmpty;
            case (byte)'U':
                if (key.SequenceEqual("Uc"u8))
                {
                    return Known("\"user_dictid\":"u8, true, out name, out numeric);
                }

                if (key.SequenceEqual("Ec"u8))
                {
                    return Known("\"experiment\":"u8, true, out name, out numeric);
                }

                return key.SequenceEqual("Ac"u8) && Known("\"activity\":"u8, true, out name, out numeric);
            default:
                if (key.SequenceEqual("tod"u8))
                {
                    return Known("\"tod\":"u8, true, out name, out numeric);
                }

                if (key.SequenceEqual("sz"u8))
                {
                    return Known("\"size\":"u8, true, out name, out numeric);
                }

                if (code == (byte)'p')
                {
                    if (key.SequenceEqual("at"u8))
                    {
                        return Known("\"access_time\":"u8, true, out name, out numeric);
                    }

                    if (key.SequenceEqual("ct"u8))
                    {
                        return Known("\"create_time\":"u8, true, out name, out numeric);
                    }

                    if (key.SequenceEqual("mt"u8))
                    {
                        return Known("\"modify_time\":"u8, true, out name, out numeric);
                    }

                    return key.SequenceEqual("fn"u8) && Known("\"file_name\":"u8, false, out name, out numeric);
                }

                if (key.SequenceEqual("tm"u8))
                {
                    return Known("\"seconds\":"u8, true, out name, out numeric);
                }

                if (key.SequenceEqual("op"u8))
                {
                    return Known("\"operation\":"u8, false, out name, out numeric);
                }

                if (key.SequenceEqual("rc"u8))
                {
                    return Known("\"return_code\":"u8, true, out name, out numeric);
                }

                return key.SequenceEqual("pd"u8) && Known("\"program_data\":"u8, false, out name, out numeric);
        }
    }

    private static bool Known(ReadOnlySpan<byte> quotedName, bool isNumeric, out ReadOnlySpan<byte> name, out bool numeric)
    {
        name = quotedName;
        numeric = isNumeric;
        return true;
    }
}
