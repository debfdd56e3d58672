using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Toolkit.Cli;

/// <summary>
/// Receives the collector's JSON lines and prints each as one aligned, human-readable row
/// (<c>event  time  user@host  lfn  details</c>), so <c>--format table</c> works for a live stream.
/// </summary>
internal sealed class EventTableStream(TextWriter output) : Stream
{
    private readonly List<byte> _line = [];
    private bool _header;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => output.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        foreach (byte b in buffer)
        {
            if (b == (byte)'\n')
            {
                Row(_line.ToArray());
                _line.Clear();
            }
            else
            {
                _line.Add(b);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            output.Flush();
        }

        base.Dispose(disposing);
    }

    private void Row(byte[] json)
    {
        if (!_header)
        {
            output.WriteLine($"{"event",-14} {"time",-10} {"user",-32} {"lfn",-32} details");
            _header = true;
        }

        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement e = doc.RootElement;
        string kind = Get(e, "event");
        string time = e.TryGetProperty("time", out JsonElement t) ? t.GetRawText() : string.Empty;
        string user = e.TryGetProperty("user", out JsonElement u) && u.ValueKind == JsonValueKind.Object ? $"{Get(u, "name")}@{Get(u, "host")}" : string.Empty;
        string lfn = e.TryGetProperty("lfn", out JsonElement l) ? l.GetString() ?? string.Empty : e.TryGetProperty("path", out JsonElement p) ? p.GetString() ?? string.Empty : string.Empty;
        var details = new StringBuilder();
        foreach (JsonProperty prop in e.EnumerateObject())
        {
            if (prop.Name is "event" or "time" or "user" or "lfn" or "path" or "server" or "ops" or "ssq")
            {
                continue;
            }

            details.Append(prop.Name).Append('=').Append(prop.Value.ValueKind == JsonValueKind.String ? prop.Value.GetString() : prop.Value.GetRawText()).Append(' ');
        }

        // Names, paths and g-stream text come from any UDP sender: no control code reaches the terminal.
        output.WriteLine($"{TerminalText.Clean(kind),-14} {time,-10} {TerminalText.Clean(user),-32} {TerminalText.Clean(lfn),-32} {TerminalText.Clean(details.ToString())}");
    }

    private static string Get(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : v.GetRawText()) : string.Empty;
}
