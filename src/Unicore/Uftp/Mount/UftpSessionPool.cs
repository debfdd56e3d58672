using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Uftp.Mount;

/// <summary>
/// Control connections for a mount, opened with one persistent secret (as PyUNICORE's uftpfuse requests it) and
/// renewed on their own: a session that broke (connection lost, timeout, malformed data) is dropped and the call is
/// tried once more on a fresh one; when uftpd no longer accepts the secret (530: the session ended or expired) the
/// pool authenticates again.
/// </summary>
public sealed class UftpSessionPool : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<UftpTicket>> _authenticate;
    private readonly ConcurrentBag<UftpSession> _idle = [];
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _authLock = new(1, 1);
    private UftpTicket? _ticket;
    private int _authentications;
    private bool _disposed;

    /// <summary>Creates a pool.</summary>
    /// <param name="authenticate">Gets a ticket from the Auth server (called at first and after a 530).</param>
    /// <param name="maxSessions">The most control connections at once.</param>
    public UftpSessionPool(Func<CancellationToken, Task<UftpTicket>> authenticate, int maxSessions = 4)
    {
        ArgumentNullException.ThrowIfNull(authenticate);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSessions, 1);
        _authenticate = authenticate;
        _slots = new SemaphoreSlim(maxSessions, maxSessions);
    }

    /// <summary>How many times the pool asked the Auth server for a ticket.</summary>
    public int Authentications => Volatile.Read(ref _authentications);

    /// <summary>Runs <paramref name="operation"/> on a session; a broken session is replaced and the operation retried once.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="operation">What to do (must leave the session idle: finish or dispose its streams).</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The result.</returns>
    public async Task<T> RunAsync<T>(Func<UftpSession, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                var session = await RentAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var result = await operation(session).ConfigureAwait(false);
                    _idle.Add(session);
                    return result;
                }
                catch (UftpReplyException e) when (e.Code is >= 400 and < 600 and not 421 && e.Code != 0)
                {
                    // uftpd answered: the session is fine, the request was not.
                    _idle.Add(session);
                    throw;
                }
                catch (Exception e) when (attempt == 0 && IsBroken(e) && !cancellationToken.IsCancellationRequested)
                {
                    await DropAsync(session).ConfigureAwait(false);
                }
                catch
                {
                    await DropAsync(session).ConfigureAwait(false);
                    throw;
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Closes every idle session.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryTake(out var s))
        {
            await s.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool IsBroken(Exception e) => e is IOException or SocketException or TimeoutException or UftpDataException or ObjectDisposedException
        or UftpReplyException { Code: 0 or 421 };

    private static async Task DropAsync(UftpSession session)
    {
        try
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private async Task<UftpSession> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var idle))
        {
            return idle;
        }

        var ticket = await TicketAsync(null, cancellationToken).ConfigureAwait(false);
        try
        {
            return await ticket.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (UftpReplyException e) when (e.IsLoginRefused)
        {
            // The persistent session ended (uftpd forgot the secret): a new ticket, then once more.
            ticket = await TicketAsync(ticket, cancellationToken).ConfigureAwait(false);
            return await ticket.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<UftpTicket> TicketAsync(UftpTicket? stale, CancellationToken cancellationToken)
    {
        await _authLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ticket is null || ReferenceEquals(_ticket, stale))
            {
                _ticket = await _authenticate(cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _authentications);
            }

            return _ticket;
        }
        finally
        {
            _authLock.Release();
        }
    }
}
