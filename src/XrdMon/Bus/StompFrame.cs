using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Toolkit.XrdMon.Bus;

/// <summary>A STOMP frame that breaks the protocol (STOMP 1.2), with the byte offset in the frame where it broke.</summary>
public sealed class StompProtocolException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="offset">The byte offset in the frame.</param>
    public StompProtocolException(string message, long offset)
        : base(message + " (at byte " + offset.ToString(CultureInfo.InvariantCulture) + " of the frame)")
    {
        Offset = offset;
    }

    /// <summary>Creates the exception.</summary>
    public StompProtocolException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public StompProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="inner">The cause.</param>
    public StompProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The byte offset in the frame.</summary>
    public long Offset { get; }
}

/// <summary>
/// One STOMP 1.2 frame: a command, headers (the first occurrence of a name wins, as the spec says) and a body. Writes
/// and parses the wire form: <c>COMMAND\n</c>, <c>name:value\n</c> with <c>\\ \n \r :</c> escaped (not in CONNECT and
/// CONNECTED frames), an empty line, the body (length from <c>content-length</c> when present) and a NUL.
/// </summary>
public sealed class StompFrame
{
    /// <summary>Creates a frame.</summary>
    /// <param name="command">The command.</param>
    /// <param name="headers">The headers in order.</param>
    /// <param name="body">The body.</param>
    public StompFrame(string command, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body = default)
    {
        Command = command;
        Headers = headers;
        Body = body;
    }

    /// <summary>The command (<c>CONNECTED</c>, <c>RECEIPT</c>, <c>ERROR</c>, <c>MESSAGE</c>, ...).</summary>
    public string Command { get; }

    /// <summary>The headers in wire order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The first value of a header, or null.</summary>
    /// <param name="name">Its name.</param>
    /// <returns>The value.</returns>
    public string? this[string name]
    {
        get
        {
            foreach (KeyValuePair<string, string> h in Headers)
            {
                if (h.Key == name)
                {
                    return h.Value;
                }
            }

            return null;
        }
    }

    /// <summary>Writes a frame; a body gets a <c>content-length</c> header.</summary>
    /// <param name="output">Where it goes.</param>
    /// <param name="command">The command.</param>
    /// <param name="headers">The headers.</param>
    /// <param name="body">The body.</param>
    public static void Write(IBufferWriter<byte> output, string command, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(headers);
        bool escape = command is not ("CONNECT" or "CONNECTED" or "STOMP");
        var text = new StringBuilder(command.Length + 128).Append(command).Append('\n');
        foreach (KeyValuePair<string, string> h in headers)
        {
            Append(text, h.Key, escape);
            text.Append(':');
            Append(text, h.Value, escape);
            text.Append('\n');
        }

        if (!body.IsEmpty)
        {
            text.Append("content-length:").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append('\n');
        string head = text.ToString();
        int n = Encoding.UTF8.GetBytes(head, output.GetSpan(Encoding.UTF8.GetByteCount(head)));
        output.Advance(n);
        output.Write(body);
        output.GetSpan(1)[0] = 0;
        output.Advance(1);
    }

    private static void Append(StringBuilder text, string value, bool escape)
    {
        foreach (char c in value)
        {
            if (!escape)
            {
                // CONNECT headers are not escaped (STOMP 1.2), so a line break cannot be sent; a colon in a value is fine.
                text.Append(c is '\n' or '\r' ? throw new ArgumentException("a CONNECT header cannot hold a line break", nameof(value)) : c);
                continue;
            }

            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case ':': text.Append("\\c"); break;
                default: text.Append(c); break;
            }
        }
    }

    /// <summary>
    /// Parses the first frame of <paramref name="data"/>, skipping heart-beat end-of-lines before it.
    /// </summary>
    /// <param name="data">Received bytes.</param>
    /// <param name="maxFrame">The largest frame accepted.</param>
    /// <param name="frame">The frame, when complete.</param>
    /// <param name="consumed">Bytes used (heart-beats included, also when no frame is complete yet).</param>
    /// <returns>True when a whole frame was parsed.</returns>
    /// <exception cref="StompProtocolException">A malformed or oversized frame.</exception>
    public static bool TryParse(ReadOnlySpan<byte> data, int maxFrame, out StompFrame? frame, out int consumed)
    {
        frame = null;
        int start = 0;
        while (start < data.Length && (data[start] == '\n' || data[start] == '\r'))
        {
            start++;
        }

        consumed = start;
        ReadOnlySpan<byte> rest = data[start..];
        int headEnd = IndexOfBlankLine(rest, out int sepLength);
        if (headEnd < 0)
        {
            if (rest.Length > maxFrame)
            {
                throw new StompProtocolException($"frame headers longer than {maxFrame} bytes", rest.Length);
            }

            return false;
        }

        string head = Encoding.UTF8.GetString(rest[..headEnd]);
        string[] lines = head.Split('\n');
        string command = lines[0].TrimEnd('\r');
        if (command.Length == 0 || !IsCommand(command))
        {
            throw new StompProtocolException("not a STOMP command: '" + Printable(command) + "'", 0);
        }

        bool unescape = command is not ("CONNECTED" or "CONNECT");
        var headers = new List<KeyValuePair<string, string>>(lines.Length - 1);
        int offset = lines[0].Length + 1;
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new StompProtocolException("header line without 'name:value' in " + command + ": '" + Printable(line) + "'", offset);
            }

            headers.Add(new(Unescape(line[..colon], unescape, offset), Unescape(line[(colon + 1)..], unescape, offset + colon + 1)));
            offset += lines[i].Length + 1;
        }

        int bodyStart = headEnd + sepLength;
        var parsed = new StompFrame(command, headers);
        int bodyLength;
        if (parsed["content-length"] is { } cl)
        {
            if (!int.TryParse(cl, NumberStyles.None, CultureInfo.InvariantCulture, out bodyLength))
            {
                throw new StompProtocolException("content-length is not a number: '" + Printable(cl) + "'", headEnd);
            }

            if (bodyLength > maxFrame)
            {
                throw new StompProtocolException($"content-length {bodyLength} exceeds the {maxFrame}-byte frame limit", headEnd);
            }

            if (rest.Length < bodyStart + bodyLength + 1)
            {
                return false;
            }

            if (rest[bodyStart + bodyLength] != 0)
            {
                throw new StompProtocolException("the body does not end with NUL after content-length bytes", bodyStart + bodyLength);
            }
        }
        else
        {
            bodyLength = rest[bodyStart..].IndexOf((byte)0);
            if (bodyLength < 0)
            {
                if (rest.Length - bodyStart > maxFrame)
                {
                    throw new StompProtocolException($"frame body longer than {maxFrame} bytes without NUL", rest.Length);
                }

                return false;
            }
        }

        frame = new StompFrame(command, headers, rest.Slice(bodyStart, bodyLength).ToArray());
        consumed = start + bodyStart + bodyLength + 1;
        return true;
    }

    private static int IndexOfBlankLine(ReadOnlySpan<byte> data, out int sepLength)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != '\n')
            {
                continue;
            }

            if (i + 1 < data.Length && data[i + 1] == '\n')
            {
                sepLength = 2;
                return i;
            }

            if (i + 2 < data.Length && data[i + 1] == '\r' && data[i + 2] == '\n')
            {
                sepLength = 3;
                return i;
            }
        }

        sepLength = 0;
        return -1;
    }

    private static bool IsCommand(string command)
    {
        foreach (char c in command)
        {
            if (c is < 'A' or > 'Z')
            {
                return false;
            }
        }

        return true;
    }

    private static string Unescape(string text, bool unescape, int offset)
    {
        if (!unescape || !text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                sb.Append(text[i]);
                continue;
            }

            char next = i + 1 < text.Length ? text[i + 1] : '\0';
            sb.Append(next switch
            {
                '\\' => '\\',
                'n' => '\n',
                'r' => '\r',
                'c' => ':',
                _ => throw new StompProtocolException("undefined header escape '\\" + Printable(next.ToString()) + "'", offset + i),
            });
            i++;
        }

        return sb.ToString();
    }

    private static string Printable(string text)
    {
        string t = text.Length > 40 ? text[..40] + "..." : text;
        var sb = new StringBuilder(t.Length);
        foreach (char c in t)
        {
            sb.Append(char.IsControl(c) ? '?' : c);
        }

        return sb.ToString();
    }
}
