using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// What the data of one <c>RETR</c> (<see cref="UftpReadStream"/>) and one <c>STOR</c> (<see cref="UftpWriteStream"/>)
/// share: the session and the data connections of the transfer, its declared length, and the abort on a dispose
/// before the end (the data connections close first, then uftpd's reply is taken off the control connection).
/// </summary>
public abstract class UftpTransferStream : Stream
{
    private readonly string _command;

    private protected UftpTransferStream(string command, UftpSession session, UftpDataChannel channel, long length, CancellationToken cancellationToken)
    {
        _command = command;
        Session = session;
        Channel = channel;
        DeclaredLength = length;
        Cancellation = cancellationToken;
    }

    /// <summary>The number of data connections uftpd accepted.</summary>
    public int Streams => Channel.Streams;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <summary>The byte count of the transfer (uftpd's announcement for a read; the declared length, -1 when unknown, for a write).</summary>
    public override long Length => DeclaredLength;

    private protected UftpSession Session { get; }

    private protected UftpDataChannel Channel { get; }

    private protected long DeclaredLength { get; }

    private protected CancellationToken Cancellation { get; }

    /// <summary>Whether the transfer has ended (completed or aborted).</summary>
    private protected bool Finished { get; set; }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Aborts an unfinished transfer (closes the data connections, then takes uftpd's reply off the control connection).</summary>
    /// <returns>A task that completes when the transfer is closed.</returns>
    public override async ValueTask DisposeAsync()
    {
        if (!Finished)
        {
            Finished = true;
            Channel.Abort();
            Channel.Dispose();
            try
            {
                await Session.FinishTransferAsync(_command, aborted: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is UftpException or TimeoutException or IOException)
            {
                // The session may be unusable; the caller's error says why.
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !Finished)
        {
            Finished = true;
            Channel.Abort();
            Channel.Dispose();
        }

        base.Dispose(disposing);
    }
}
