using System;
using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Toolkit.XrdMon.Bus;

/// <summary>Why a broker message is not a shoveler message (counted per kind by the consumer).</summary>
public enum ShovelerMessageError
{
    /// <summary>The message is a valid shoveler message.</summary>
    None,

    /// <summary>The body is not a JSON object.</summary>
    NotJson,

    /// <summary>The <c>remote</c> or <c>data</c> member is missing or not a string.</summary>
    MissingField,

    /// <summary>The <c>data</c> member is not valid base64.</summary>
    BadBase64,

    /// <summary>The body or the decoded datagram is larger than a UDP datagram can be.</summary>
    Oversized,
}

/// <summary>
/// The OSG <c>xrootd-monitoring-shoveler</c> message: one JSON object per UDP datagram,
/// <c>{"remote":"HOST:PORT","version":"...","data":"BASE64"}</c>, where HOST:PORT is written as Go's
/// <c>net.JoinHostPort</c> does (IPv6 in brackets) after the shoveler's IP mapping. Both directions: the shovel
/// writes it, the bus collector reads ours and theirs.
/// </summary>
public static class ShovelerMessage
{
    /// <summary>The largest datagram a message may carry (the IPv4 UDP payload limit).</summary>
    public const int MaxDatagram = 65507;

    /// <summary>The largest message body accepted: the base64 of <see cref="MaxDatagram"/> plus room for the other members.</summary>
    public const int MaxBody = (MaxDatagram + 2) / 3 * 4 + 4096;

    /// <summary>Writes <c>host:port</c>, bracketing hosts that contain a colon (IPv6), as Go's <c>net.JoinHostPort</c>.</summary>
    /// <param name="host">Host or address text.</param>
    /// <param name="port">Port.</param>
    /// <returns>The joined text.</returns>
    public static string JoinHostPort(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        string p = port.ToString(CultureInfo.InvariantCulture);
        return host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]:" + p : host + ":" + p;
    }

    /// <summary>Address text as Go's <c>net.IP.String()</c> writes it: dotted IPv4 (also for IPv4-mapped IPv6), RFC 5952 IPv6 without zone.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The text.</returns>
    public static string AddressText(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            address = new IPAddress(address.GetAddressBytes());
        }

        return address.ToString();
    }

    /// <summary>Writes one message.</summary>
    /// <param name="output">Where the JSON goes.</param>
    /// <param name="remote">The sender, already joined (<see cref="JoinHostPort"/>).</param>
    /// <param name="version">The producer's version text.</param>
    /// <param name="datagram">The datagram.</param>
    public static void Write(IBufferWriter<byte> output, string remote, string version, ReadOnlySpan<byte> datagram)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        w.WriteStartObject();
        w.WriteString("remote"u8, remote);
        w.WriteString("version"u8, version);
        w.WriteBase64String("data"u8, datagram);
        w.WriteEndObject();
    }

    /// <summary>Writes one message into a new array.</summary>
    /// <param name="remote">The sender, already joined.</param>
    /// <param name="version">The producer's version text.</param>
    /// <param name="datagram">The datagram.</param>
    /// <returns>The JSON bytes.</returns>
    public static byte[] Encode(string remote, string version, ReadOnlySpan<byte> datagram)
    {
        var buffer = new ArrayBufferWriter<byte>(datagram.Length * 4 / 3 + remote.Length + version.Length + 48);
        Write(buffer, remote, version, datagram);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one message; unknown members are ignored, <c>version</c> is optional.</summary>
    /// <param name="body">The message body.</param>
    /// <param name="remote">The sender text (undecoded JSON string value).</param>
    /// <param name="datagram">Receives the decoded datagram (its length is the datagram's).</param>
    /// <param name="length">Bytes written to <paramref name="datagram"/>.</param>
    /// <returns>Why it is not a shoveler message, or <see cref="ShovelerMessageError.None"/>.</returns>
    public static ShovelerMessageError TryRead(ReadOnlySpan<byte> body, out string remote, Span<byte> datagram, out int length)
    {
        remote = string.Empty;
        length = 0;
        if (body.Length > MaxBody)
        {
            return ShovelerMessageError.Oversized;
        }

        bool haveRemote = false, haveData = false;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return ShovelerMessageError.NotJson;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isRemote = reader.ValueTextEquals("remote"u8);
                bool isData = !isRemote && reader.ValueTextEquals("data"u8);
                reader.Read();
                if (isRemote && reader.TokenType == JsonTokenType.String)
                {
                    remote = reader.GetString()!;
                    haveRemote = true;
                }
                else if (isData && reader.TokenType == JsonTokenType.String)
                {
                    ReadOnlySpan<byte> b64 = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
                    if (reader.ValueIsEscaped)
                    {
                        return ShovelerMessageError.BadBase64;
                    }

                    if (Base64.GetMaxDecodedFromUtf8Length(b64.Length) > MaxDatagram + 2)
                    {
                        return ShovelerMessageError.Oversized;
                    }

                    OperationStatus status = Base64.DecodeFromUtf8(b64, datagram, out _, out length);
                    if (status != OperationStatus.Done)
                    {
                        return status == OperationStatus.DestinationTooSmall ? ShovelerMessageError.Oversized : ShovelerMessageError.BadBase64;
                    }

                    if (length > MaxDatagram)
                    {
                        return ShovelerMessageError.Oversized;
                    }

                    haveData = true;
                }
                else
                {
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return ShovelerMessageError.NotJson;
            }
        }
        catch (JsonException)
        {
            return ShovelerMessageError.NotJson;
        }

        return haveRemote && haveData && remote.Length > 0 ? ShovelerMessageError.None : ShovelerMessageError.MissingField;
    }

    /// <summary>The text used in logs and metrics for an error kind.</summary>
    /// <param name="error">The kind.</param>
    /// <returns>A short snake-case name.</returns>
    public static string Name(ShovelerMessageError error) => error switch
    {
        ShovelerMessageError.NotJson => "not_json",
        ShovelerMessageError.MissingField => "missing_field",
        ShovelerMessageError.BadBase64 => "bad_base64",
        ShovelerMessageError.Oversized => "oversized",
        _ => "none",
    };

    internal static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
