using System;
using System.IO;

namespace Toolkit.XrdMon.Collector;

/// <summary>
/// One collector's view of an output shared with other collectors (the sockets of one listener): what it writes
/// reaches the shared stream in whole lines only, under a lock shared by the collectors, so lines never interleave.
/// A write that ends with a line end (the usual case: the line buffer drains at line ends) goes out without a copy;
/// a partial line is held until its end arrives.
/// </summary>
internal sealed class LineMergeStream(Stream output, object gate) : Stream
{
    private byte[] _tail = new byte[4096];
    private int _tailLength;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        int end = buffer.LastIndexOf((byte)'\n') + 1;
        if (end > 0)
        {
            lock (gate)
            {
                if (_tailLength > 0)
                {
                    output.Write(_tail, 0, _tailLength);
                }

                output.Write(buffer[..end]);
            }

            _tailLength = 0;
        }

        Hold(buffer[end..]);
    }

    /// <summary>Flushes the shared stream; a partial line stays held.</summary>
    public override void Flush()
    {
        lock (gate)
        {
            output.Flush();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Hold(ReadOnlySpan<byte> partial)
    {
        if (partial.IsEmpty)
        {
            return;
        }

        if (_tail.Length - _tailLength < partial.Length)
        {
            Array.Resize(ref _tail, Math.Max(_tail.Length * 2, _tailLength + partial.Length));
        }

        partial.CopyTo(_tail.AsSpan(_tailLength));
        _tailLength += partial.Length;
    }
}
