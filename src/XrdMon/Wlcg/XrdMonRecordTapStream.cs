using System;
using System.Buffers;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.XrdMon.Wlcg;

/// <summary>Where WLCG records go: a file, an exchange. <see cref="FlushAsync"/> returns once they are durable.</summary>
public interface IWlcgSink
{
    /// <summary>Takes one record (the bytes are copied).</summary>
    /// <param name="record">The record's JSON object.</param>
    void Add(ReadOnlySpan<byte> record);

    /// <summary>Makes every record added so far durable (written, or confirmed by the broker).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task.</returns>
    Task FlushAsync(CancellationToken cancellationToken);
}

/// <summary>WLCG records as JSON lines in a stream (a file).</summary>
/// <param name="output">The stream.</param>
public sealed class WlcgFileSink(Stream output) : IWlcgSink
{
    /// <inheritdoc/>
    public void Add(ReadOnlySpan<byte> record)
    {
        output.Write(record);
        output.WriteByte((byte)'\n');
    }

    /// <inheritdoc/>
    public Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);
}

/// <summary>
/// A write-only stream between the collector and its outputs: it passes the collector's JSON lines on to
/// <c>output</c>, drops the summaries the drop filter selects (before anything else, as the OSG collector does), gives every <c>summary</c> its idempotent <c>record_id</c> (the first member), and turns the
/// summaries that the WLCG routing rule selects into WLCG records for a sink.
/// </summary>
public sealed class XrdMonRecordTapStream : Stream
{
    private static readonly byte[] SummaryPrefix = "{\"event\":\"summary\","u8.ToArray();
    private readonly Stream? _output;
    private readonly IWlcgSink? _wlcg;
    private readonly WlcgOptions _options;
    private readonly ReverseDnsCache? _names;
    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private readonly ArrayBufferWriter<byte> _record = new(2048);

    /// <summary>Creates a tap.</summary>
    /// <param name="output">Where the JSON lines go (null: nowhere).</param>
    /// <param name="wlcg">Where WLCG records go (null: none are made).</param>
    /// <param name="options">The drop filter, the routing rule and metadata.</param>
    /// <param name="names">Reverse DNS names for the WLCG records (null: no lookups).</param>
    public XrdMonRecordTapStream(Stream? output, IWlcgSink? wlcg, WlcgOptions? options = null, ReverseDnsCache? names = null)
    {
        _output = output;
        _wlcg = wlcg;
        _options = options ?? new WlcgOptions();
        _names = names;
    }

    /// <summary>Summaries seen.</summary>
    public long Summaries { get; private set; }

    /// <summary>WLCG records made.</summary>
    public long WlcgRecords { get; private set; }

    /// <summary>Summaries dropped because their VO is in <see cref="WlcgOptions.DropVos"/>.</summary>
    public long DroppedVo { get; private set; }

    /// <summary>Summaries dropped because their path starts with one of <see cref="WlcgOptions.DropPathPrefixes"/>.</summary>
    public long DroppedPathPrefix { get; private set; }

    /// <summary>Lines passed on.</summary>
    public long Lines { get; private set; }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int nl = buffer.IndexOf((byte)'\n');
            if (nl < 0)
            {
                _line.Write(buffer);
                return;
            }

            if (_line.WrittenCount > 0)
            {
                _line.Write(buffer[..nl]);
                Line(_line.WrittenSpan);
                _line.ResetWrittenCount();
            }
            else
            {
                Line(buffer[..nl]);
            }

            buffer = buffer[(nl + 1)..];
        }
    }

    private void Line(ReadOnlySpan<byte> line)
    {
        Lines++;
        if (!line.StartsWith(SummaryPrefix))
        {
            _output?.Write(line);
            _output?.WriteByte((byte)'\n');
            return;
        }

        Summaries++;
        using JsonDocument doc = JsonDocument.Parse(line.ToArray());
        switch (WlcgRecord.Drop(doc.RootElement, _options))
        {
            case DropReason.Vo:
                DroppedVo++;
                return;
            case DropReason.PathPrefix:
                DroppedPathPrefix++;
                return;
        }

        string? id = WlcgRecord.RecordId(doc.RootElement);
        if (_output is not null)
        {
            if (id is null)
            {
                _output.Write(line);
            }
            else
            {
                _output.Write("{\"record_id\":\""u8);
                _output.Write(System.Text.Encoding.ASCII.GetBytes(id));
                _output.Write("\","u8);
                _output.Write(line[1..]);
            }

            _output.WriteByte((byte)'\n');
        }

        if (_wlcg is not null && id is not null && WlcgRecord.IsWlcg(doc.RootElement, _options))
        {
            _record.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(_record))
            {
                WlcgRecord.Write(w, doc.RootElement, id, _options, _names);
            }

            _wlcg.Add(_record.WrittenSpan);
            WlcgRecords++;
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Flush() => _output?.Flush();

    /// <summary>Flushes the JSON lines and makes the WLCG records durable.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task.</returns>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_output is not null)
        {
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_wlcg is not null)
        {
            await _wlcg.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
}
