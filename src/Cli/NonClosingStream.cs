using System.IO;

namespace Toolkit.Cli;

/// <summary>Wraps a stream so disposing the wrapper flushes but does not close the inner stream.</summary>
internal sealed class NonClosingStream(Stream inner) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new System.NotSupportedException();

    public override long Position { get => throw new System.NotSupportedException(); set => throw new System.NotSupportedException(); }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new System.NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new System.NotSupportedException();

    public override void SetLength(long value) => throw new System.NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(System.ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Flush();
        }

        base.Dispose(disposing);
    }
}
