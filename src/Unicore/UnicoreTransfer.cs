using System;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore;

/// <summary>A server-to-server transfer (PyUNICORE's <c>Transfer</c>): status CREATED, RUNNING, DONE, FAILED or ABORTED.</summary>
public class UnicoreTransfer
{
    private readonly UnicoreHttp _http = null!;

    /// <summary>For test doubles.</summary>
    protected UnicoreTransfer()
    {
        Url = null!;
    }

    internal UnicoreTransfer(UnicoreHttp http, Uri url)
    {
        _http = http;
        Url = url;
    }

    /// <summary>The transfer's URL.</summary>
    public virtual Uri Url { get; }

    /// <summary><c>GET</c> the transfer.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The properties.</returns>
    public virtual Task<TransferProperties> GetPropertiesAsync(CancellationToken cancellationToken = default) =>
        _http.GetJsonAsync<TransferProperties>(Url, cancellationToken);

    /// <summary>Whether a status is final.</summary>
    /// <param name="status">The status.</param>
    /// <returns>True for DONE, FAILED and ABORTED.</returns>
    public static bool IsFinal(TransferStatus status) => status == TransferStatus.Done || status == TransferStatus.Failed || status == TransferStatus.Aborted;

    /// <summary>Polls until the transfer is DONE, FAILED or ABORTED.</summary>
    /// <param name="timeout">How long to wait; null for ever.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last properties.</returns>
    /// <exception cref="TimeoutException">Still running at the timeout.</exception>
    public virtual Task<TransferProperties> WaitAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        UnicorePolling.WaitAsync(_http, Url, GetPropertiesAsync, p => p.Status is { } s && IsFinal(s), p => p.Status?.ToString() ?? "without status", timeout, cancellationToken);

    /// <summary>Aborts the transfer (link <c>action:abort</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual async Task AbortAsync(CancellationToken cancellationToken = default)
    {
        var props = await GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        await _http.PostJsonAsync(UnicoreHttp.Link(props.Links, "action:abort", Url), UnicoreHttp.EmptyObject(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the transfer resource.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual Task DeleteAsync(CancellationToken cancellationToken = default) => _http.DeleteAsync(Url, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => Url.ToString();
}
