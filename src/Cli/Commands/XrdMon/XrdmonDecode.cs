using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Spectre.Console;
using Toolkit.XrdMon;
using Toolkit.Runtime.Capture;
using Toolkit.Runtime.IO;

namespace Toolkit.Cli;

/// <summary><c>toolkit xrdmon decode</c>: capture files to JSON lines (one object per record) or a table.</summary>
internal static class XrdmonDecode
{
    /// <summary>Name of the embedded real capture decoded when no file is given.</summary>
    public const string EmbeddedCapture = "Toolkit.Cli.origin.xrdmon";

    public static Stream OpenEmbedded() =>
        typeof(XrdmonDecode).Assembly.GetManifestResourceStream(EmbeddedCapture)
        ?? throw new InvalidOperationException("the embedded capture is missing from the build");

    /// <summary>The command: raw records, or with <c>--events</c>/<c>--summaries</c> the collector's events, to standard output.</summary>
    /// <param name="options">The parsed options.</param>
    /// <param name="console">Standard output (as bytes for JSON lines, as text for tables) and error.</param>
    /// <returns>The exit code.</returns>
    public static int Run(XrdmonDecodeOptions options, CliConsole console) => CliErrors.Run(console.Error, () =>
    {
        using Stream stdout = console.OpenStandardOutput();
        if (options.Events || options.Summaries)
        {
            return RunEvents(options.Files, options.Format, XrdmonCommands.CollectorOptions(options.Summaries, options.Window), stdout, console.Error, console.Out, console.OpenStandardInput);
        }

        return Run(options.Files, options.Format, stdout, console.Error, console.Out, console.OpenStandardInput);
    });

    /// <summary>Decodes the files (or the embedded capture) to <paramref name="output"/>; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> files, string format, Stream output, TextWriter log, TextWriter? tableOut = null, Func<Stream>? openStandardInput = null)
    {
        bool table = format == "table";
        Stream sink = table ? new MemoryStream() : output;
        int rc = 0;
        long datagrams = 0;
        using (var writer = new XrdMonJsonWriter(sink))
        {
            if (files.Count == 0)
            {
                using Stream embedded = OpenEmbedded();
                rc |= DecodeOne("(embedded run1/origin.xrdmon)", embedded, writer, log, ref datagrams);
            }

            foreach (string file in files)
            {
                Stream stream;
                try
                {
                    stream = file == "-" ? (openStandardInput ?? Console.OpenStandardInput)() : OpenCapture(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    log.WriteLine($"xrdmon decode: {file}: {ex.Message}");
                    rc = 1;
                    continue;
                }

                using (stream)
                {
                    rc |= DecodeOne(file, stream, writer, log, ref datagrams);
                }
            }

            writer.Flush();
            log.WriteLine($"xrdmon decode: {datagrams} datagrams, {writer.Records - writer.Errors} records, {writer.Errors} errors"
                + (writer.LongerThanPlen > 0 ? $", {writer.LongerThanPlen} datagrams longer than their plen (the bytes after plen ignored)" : string.Empty));
        }

        if (table)
        {
            RenderTable(((MemoryStream)sink).ToArray(), tableOut ?? Console.Out);
        }

        return rc;
    }

    /// <summary>Runs the collector offline over capture files (each file is one sender) and writes its events.</summary>
    public static int RunEvents(IReadOnlyList<string> files, string format, Toolkit.XrdMon.Collector.XrdMonCollectorOptions options, Stream output, TextWriter log, TextWriter? tableOut = null, Func<Stream>? openStandardInput = null)
    {
        using Stream sink = format == "table" ? new EventTableStream(tableOut ?? Console.Out) : new NonClosingStream(output);
        var collector = new Toolkit.XrdMon.Collector.XrdMonCollector(options, sink, log);
        int rc = 0;
        long tick = 0;
        IReadOnlyList<string> names = files.Count == 0 ? ["(embedded run1/origin.xrdmon)"] : files;
        foreach (string file in names)
        {
            int sender = collector.RegisterSender(file);
            try
            {
                using Stream stream = files.Count == 0 ? OpenEmbedded() : file == "-" ? (openStandardInput ?? Console.OpenStandardInput)() : OpenCapture(file);
                using var reader = new CaptureReader(stream, leaveOpen: true);
                while (reader.TryRead(out ReadOnlyMemory<byte> datagram))
                {
                    collector.Process(datagram.Span, sender, tick++);
                }
            }
            catch (Exception ex) when (ex is CaptureFormatException or IOException or UnauthorizedAccessException)
            {
                // As plain decode: a corrupt or unreadable file is one line naming it (and the byte offset, which
                // the capture error's message carries), the datagrams before the damage stay processed, and the
                // next file is read. The exit code is 1.
                log.WriteLine($"xrdmon decode: {file}: {ex.Message}");
                rc = 1;
            }
        }

        collector.Dispose();
        var stats = new MemoryStream();
        collector.WriteStats(stats);
        log.Write(System.Text.Encoding.UTF8.GetString(stats.ToArray()));
        return rc;
    }

    /// <summary>
    /// Opens a capture file; a directory is said to be one (File.OpenRead says "Access to the path is denied", which
    /// sends the user after permissions).
    /// </summary>
    private static FileStream OpenCapture(string file)
    {
        if (Directory.Exists(file))
        {
            throw new IOException("is a directory, not a capture file");
        }

        return File.OpenRead(file);
    }

    private static int DecodeOne(string name, Stream stream, XrdMonJsonWriter writer, TextWriter log, ref long datagrams)
    {
        using var reader = new CaptureReader(stream, leaveOpen: true);
        try
        {
            while (reader.TryRead(out ReadOnlyMemory<byte> datagram))
            {
                writer.WriteDatagram(reader.Index - 1, datagram.Span);
                datagrams++;
            }

            return 0;
        }
        catch (CaptureFormatException ex)
        {
            writer.WriteError(ex.Index, default, ex.Offset, ex.Message);
            log.WriteLine($"xrdmon decode: {name}: {ex.Message}");
            return 1;
        }
        catch (IOException ex)
        {
            log.WriteLine($"xrdmon decode: {name}: {ex.Message}");
            return 1;
        }
    }

    private static void RenderTable(byte[] jsonLines, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var table = new Table().Border(TableBorder.Simple);
        foreach (string column in new[] { "packet", "code", "pseq", "kind", "id", "details" })
        {
            table.AddColumn(column);
        }

        foreach (ReadOnlySpan<byte> line in new SpanLines(jsonLines))
        {
            using JsonDocument doc = JsonDocument.Parse(line.ToArray());
            JsonElement root = doc.RootElement;
            string id = string.Empty;
            var details = new List<string>();
            foreach (JsonProperty p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "packet" or "code" or "pseq" or "stod" or "kind":
                        break;
                    case "dictid" or "fileid":
                        id = p.Value.GetRawText();
                        break;
                    default:
                        details.Add($"{p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}");
                        break;
                }
            }

            // The text comes from the datagrams (any UDP sender): no control code reaches the terminal.
            table.AddRow(
                new Text(root.GetProperty("packet").GetRawText()),
                new Text(TerminalText.Clean(root.GetProperty("code").ToString())),
                new Text(root.GetProperty("pseq").GetRawText()),
                new Text(TerminalText.Clean(root.GetProperty("kind").GetString())),
                new Text(id),
                new Text(TerminalText.Clean(string.Join(' ', details))));
        }

        console.Write(table);
    }

    /// <summary>Enumerates newline-separated lines of a byte array.</summary>
    private readonly ref struct SpanLines(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public Enumerator GetEnumerator() => new(_data);

        public ref struct Enumerator(ReadOnlySpan<byte> data)
        {
            private ReadOnlySpan<byte> _rest = data;

            public ReadOnlySpan<byte> Current { get; private set; }

            public bool MoveNext()
            {
                if (_rest.IsEmpty)
                {
                    return false;
                }

                int nl = _rest.IndexOf((byte)'\n');
                Current = nl < 0 ? _rest : _rest[..nl];
                _rest = nl < 0 ? default : _rest[(nl + 1)..];
                return true;
            }
        }
    }
}
