using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Toolkit.XrdMon.Bus;

/// <summary>
/// The shovel's bounded first-in first-out spool of encoded messages: a memory queue at the head and, once that is
/// full (the broker is slow or down), segment files on disk at the tail, so order is kept across both. Messages are
/// taken in batches and removed only when the batch is committed (confirmed by the broker); an uncommitted batch is
/// taken again. On dispose, what is still in memory is written to a head segment, so a restart replays it first.
/// Past <c>maxDiskBytes</c> new messages are dropped and counted in <see cref="Dropped"/>. Thread-safe.
/// Segment files hold repeated (u32 big-endian length, message); <c>NNN.pos</c> holds how far the first segment is
/// committed. A record cut short by a crash is truncated away on open.
/// </summary>
public sealed class XrdMonSpool : IDisposable
{
    private const long FirstSegment = 1_000_000_000;
    private readonly object _gate = new();
    private readonly Queue<byte[]> _memory = new();
    private readonly List<byte[]> _inflight = [];
    private readonly LinkedList<long> _segments = new();
    private readonly int _maxMemory;
    private readonly long _maxDiskBytes;
    private readonly long _segmentBytes;
    private readonly string? _dir;
    private int _inflightFromDisk;
    private long _inflightEnd;
    private long _committed;
    private FileStream? _reader;
    private FileStream? _writer;
    private long _diskRecords;
    private long _diskBytes;
    private bool _disposed;

    /// <summary>Opens (or creates) a spool.</summary>
    /// <param name="directory">Where segment files live; null for a memory-only spool (drops once memory is full).</param>
    /// <param name="maxMemoryMessages">Messages held in memory before spilling to disk.</param>
    /// <param name="maxDiskBytes">Bound of the segment files together.</param>
    /// <param name="segmentBytes">Size at which a new segment file is started.</param>
    public XrdMonSpool(string? directory, int maxMemoryMessages = 10_000, long maxDiskBytes = 1L << 30, long segmentBytes = 16 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMemoryMessages, 1);
        _maxMemory = maxMemoryMessages;
        _maxDiskBytes = maxDiskBytes;
        _segmentBytes = segmentBytes;
        _dir = directory;
        if (_dir is not null)
        {
            Directory.CreateDirectory(_dir);
            Open();
        }
    }

    /// <summary>Messages waiting (memory, disk and the batch in flight).</summary>
    public long Depth
    {
        get
        {
            lock (_gate)
            {
                return _memory.Count + _diskRecords + (_inflight.Count - _inflightFromDisk);
            }
        }
    }

    /// <summary>Messages waiting on disk.</summary>
    public long DiskRecords
    {
        get
        {
            lock (_gate)
            {
                return _diskRecords;
            }
        }
    }

    /// <summary>Bytes of the segment files.</summary>
    public long DiskBytes
    {
        get
        {
            lock (_gate)
            {
                return _diskBytes;
            }
        }
    }

    /// <summary>Messages dropped because the spool was full.</summary>
    public long Dropped { get; private set; }

    /// <summary>Messages committed (delivered).</summary>
    public long Committed { get; private set; }

    /// <summary>Appends a message; false (and counted in <see cref="Dropped"/>) when the spool is full.</summary>
    /// <param name="message">The encoded message (kept by reference).</param>
    /// <returns>Whether it was kept.</returns>
    public bool Enqueue(byte[] message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_diskRecords == 0 && _memory.Count < _maxMemory)
            {
                _memory.Enqueue(message);
                return true;
            }

            if (_dir is null || _diskBytes + 4 + message.Length > _maxDiskBytes)
            {
                Dropped++;
                return false;
            }

            Append(message);
            return true;
        }
    }

    /// <summary>The oldest messages, up to <paramref name="max"/>: the uncommitted batch again if there is one.</summary>
    /// <param name="max">Most messages to take.</param>
    /// <returns>The batch (valid until <see cref="Commit"/>); empty when nothing waits.</returns>
    public IReadOnlyList<byte[]> TakeBatch(int max)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_inflight.Count > 0)
            {
                return [.. _inflight];
            }

            while (_inflight.Count < max && _memory.Count > 0)
            {
                _inflight.Add(_memory.Dequeue());
            }

            if (_inflight.Count == 0 && _diskRecords > 0)
            {
                ReadDisk(max);
            }

            return [.. _inflight];
        }
    }

    /// <summary>Removes the batch last taken: it was delivered.</summary>
    public void Commit()
    {
        lock (_gate)
        {
            Committed += _inflight.Count;
            if (_inflightFromDisk > 0)
            {
                _diskRecords -= _inflightFromDisk;
                _committed = _inflightEnd;
                CompleteSegment();
            }

            _inflight.Clear();
            _inflightFromDisk = 0;
        }
    }

    /// <summary>Pushes buffered segment writes to the operating system.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _writer?.Flush();
        }
    }

    private void Open()
    {
        var ids = new List<long>();
        foreach (string f in Directory.EnumerateFiles(_dir!, "*.seg"))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out long id))
            {
                ids.Add(id);
            }
        }

        ids.Sort();
        foreach (long id in ids)
        {
            _segments.AddLast(id);
        }

        if (_segments.Count > 0)
        {
            _committed = LoadPos(_segments.First!.Value);
        }

        foreach (long id in ids)
        {
            _diskRecords += Scan(SegPath(id), LoadPos(id));
            _diskBytes += new FileInfo(SegPath(id)).Length;
        }

        if (_diskRecords == 0)
        {
            DeleteAll();
        }
    }

    /// <summary>Counts the whole records of a segment from <paramref name="from"/>, truncating a cut-short tail.</summary>
    private static long Scan(string path, long from)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        long n = 0, pos = from;
        Span<byte> len = stackalloc byte[4];
        fs.Position = from;
        while (pos + 4 <= fs.Length)
        {
            fs.ReadExactly(len);
            long next = pos + 4 + BinaryPrimitives.ReadUInt32BigEndian(len);
            if (next > fs.Length)
            {
                break;
            }

            n++;
            pos = next;
            fs.Position = pos;
        }

        if (pos < fs.Length && pos >= from)
        {
            fs.SetLength(pos);
        }

        return n;
    }

    private long LoadPos(long id)
    {
        string pos = PosPath(id);
        return File.Exists(pos) && File.ReadAllBytes(pos) is { Length: 8 } b ? BinaryPrimitives.ReadInt64BigEndian(b) : 0;
    }

    private void Append(byte[] message)
    {
        if (_writer is not null && _writer.Length >= _segmentBytes)
        {
            _writer.Dispose();
            _writer = null;
            _segments.AddLast(_segments.Last!.Value + 1);
        }

        if (_writer is null)
        {
            if (_segments.Count == 0)
            {
                _segments.AddLast(FirstSegment);
            }
            else if (File.Exists(SegPath(_segments.Last!.Value)) && new FileInfo(SegPath(_segments.Last!.Value)).Length >= _segmentBytes)
            {
                _segments.AddLast(_segments.Last!.Value + 1);
            }

            _writer = new FileStream(SegPath(_segments.Last!.Value), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        }

        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(len, (uint)message.Length);
        _writer.Write(len);
        _writer.Write(message);
        _diskRecords++;
        _diskBytes += 4 + message.Length;
    }

    private void ReadDisk(int max)
    {
        long id = _segments.First!.Value;
        if (_writer is not null && _segments.Last!.Value == id)
        {
            _writer.Flush();
        }

        _reader ??= new FileStream(SegPath(id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        _reader.Position = _committed;
        Span<byte> len = stackalloc byte[4];
        long pos = _committed;
        long length = _reader.Length;
        while (_inflight.Count < max && pos + 4 <= length)
        {
            _reader.ReadExactly(len);
            int n = (int)BinaryPrimitives.ReadUInt32BigEndian(len);
            if (pos + 4 + n > length)
            {
                break;
            }

            var message = new byte[n];
            _reader.ReadExactly(message);
            _inflight.Add(message);
            pos += 4 + n;
        }

        _inflightFromDisk = _inflight.Count;
        _inflightEnd = pos;
        if (_inflight.Count == 0)
        {
            // The first segment is used up (a crash left its pos behind): move on.
            _committed = length;
            CompleteSegment();
        }
    }

    /// <summary>After a commit from disk: persist the position, or drop the first segment when it is used up.</summary>
    private void CompleteSegment()
    {
        long id = _segments.First!.Value;
        bool last = _segments.Count == 1;
        long length = new FileInfo(SegPath(id)).Length;
        if (_diskRecords == 0)
        {
            DeleteAll();
            return;
        }

        if (_committed >= length && !last)
        {
            _reader?.Dispose();
            _reader = null;
            _diskBytes -= length;
            File.Delete(SegPath(id));
            File.Delete(PosPath(id));
            _segments.RemoveFirst();
            _committed = LoadPos(_segments.First!.Value);
            return;
        }

        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, _committed);
        File.WriteAllBytes(PosPath(id), b.ToArray());
    }

    private void DeleteAll()
    {
        _reader?.Dispose();
        _reader = null;
        _writer?.Dispose();
        _writer = null;
        foreach (string f in Directory.EnumerateFiles(_dir!, "*.seg"))
        {
            File.Delete(f);
        }

        foreach (string f in Directory.EnumerateFiles(_dir!, "*.pos"))
        {
            File.Delete(f);
        }

        _segments.Clear();
        _committed = 0;
        _diskBytes = 0;
        _diskRecords = 0;
    }

    private string SegPath(long id) => Path.Combine(_dir!, id.ToString("D12", CultureInfo.InvariantCulture) + ".seg");

    private string PosPath(long id) => Path.Combine(_dir!, id.ToString("D12", CultureInfo.InvariantCulture) + ".pos");

    /// <summary>Writes what is held in memory to a head segment (replayed first on the next open) and closes the files.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            var head = new List<byte[]>();
            if (_inflightFromDisk == 0)
            {
                head.AddRange(_inflight);
            }

            head.AddRange(_memory);
            _memory.Clear();
            _writer?.Dispose();
            _writer = null;
            _reader?.Dispose();
            _reader = null;
            if (_dir is null || head.Count == 0)
            {
                return;
            }

            // The memory queue is older than anything on disk: it becomes a segment before the first one.
            // (Each segment keeps its own .pos file, so the old first segment's committed prefix is not replayed.)
            long id = _segments.Count == 0 ? FirstSegment : _segments.First!.Value - 1;

            string tmp = SegPath(id) + ".tmp";
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
            {
                Span<byte> len = stackalloc byte[4];
                foreach (byte[] m in head)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(len, (uint)m.Length);
                    fs.Write(len);
                    fs.Write(m);
                }
            }

            File.Move(tmp, SegPath(id), overwrite: true);
        }
    }
}
