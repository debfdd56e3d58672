using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.JAliEn.Connection;

/// <summary>
/// TCP connect in the spirit of RFC 8305 as alienpy does it: resolve, interleave the address families (first family
/// first), start the attempts together and keep the first that succeeds; or, with no stagger, one after the other.
/// </summary>
internal static class HappyEyeballs
{
    public static async Task<Socket> ConnectAsync(string host, int port, AddressFamily? family, bool stagger, TimeSpan attemptTimeout, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var resolve = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            resolve.CancelAfter(attemptTimeout);
            addresses = await Dns.GetHostAddressesAsync(host, family ?? AddressFamily.Unspecified, resolve.Token).ConfigureAwait(false);
        }
        var ordered = Interleave(addresses.Where(a => family is null || a.AddressFamily == family)).ToList();
        if (ordered.Count == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        if (!stagger || ordered.Count == 1)
        {
            Exception? last = null;
            foreach (var address in ordered)
            {
                try
                {
                    return await ConnectOneAsync(address, port, attemptTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or TimeoutException)
                {
                    last = e;
                }
            }
            throw last!;
        }
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var attempts = ordered.Select(a => ConnectOneAsync(a, port, attemptTimeout, race.Token)).ToList();
        var pending = new List<Task<Socket>>(attempts);
        Exception? error = null;
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            if (done.IsCompletedSuccessfully)
            {
                await race.CancelAsync().ConfigureAwait(false);
                foreach (var loser in pending)
                {
                    _ = loser.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                }
                return done.Result;
            }
            error = done.Exception?.InnerException ?? error;
        }
        cancellationToken.ThrowIfCancellationRequested();
        throw error ?? new SocketException((int)SocketError.HostUnreachable);
    }

    private static IEnumerable<IPAddress> Interleave(IEnumerable<IPAddress> addresses)
    {
        var list = addresses.ToList();
        if (list.Count == 0)
        {
            yield break;
        }
        var first = list.Where(a => a.AddressFamily == list[0].AddressFamily).ToList();
        var other = list.Where(a => a.AddressFamily != list[0].AddressFamily).ToList();
        for (int i = 0; i < Math.Max(first.Count, other.Count); i++)
        {
            if (i < first.Count)
            {
                yield return first[i];
            }
            if (i < other.Count)
            {
                yield return other[i];
            }
        }
    }

    private static async Task<Socket> ConnectOneAsync(IPAddress address, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), cts.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"TCP connect to {address}:{port} took longer than {timeout.TotalSeconds:0.#} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
