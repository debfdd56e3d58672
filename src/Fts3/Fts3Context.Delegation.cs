using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.Fts3;

public partial class Fts3Context
{
    /// <summary>Default lifetime of a delegated proxy (Python <c>delegate</c>: 7 hours).</summary>
    public static readonly TimeSpan DefaultDelegationLifetime = TimeSpan.FromHours(7);

    /// <summary>Delegate again when less than this is left (Python: 2 hours).</summary>
    public static readonly TimeSpan DefaultRedelegateBelow = TimeSpan.FromHours(2);

    /// <summary>The delegated credential of the caller, or null when nothing is delegated.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Termination time and VOMS attributes, or null.</returns>
    public virtual async Task<DelegationInfo?> GetDelegationAsync(CancellationToken cancellationToken = default)
    {
        var who = await WhoAmIAsync(cancellationToken).ConfigureAwait(false);
        if (who.DelegationId is not { Length: > 0 } id)
        {
            return null;
        }

        return await Client.GetDelegationAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Delegates the caller's credential (Python <c>delegate</c>, fts3.md §5): reads the delegation id from
    /// <c>/whoami</c>; skips when the delegated proxy has at least <paramref name="redelegateBelow"/> left and
    /// <paramref name="force"/> is off; otherwise gets the server's CSR, signs an RFC 3820 proxy with
    /// <see cref="ProxyFactory.SignDelegationRequest"/> and uploads it with the chain. With a token it does nothing
    /// and returns an empty string. Every failure is a <see cref="ClientErrorException"/> (as in Python) that keeps
    /// the cause and the server's message.
    /// </summary>
    /// <param name="lifetime">Lifetime of the new proxy (7 hours by default); clamped to the credential's.</param>
    /// <param name="force">Delegate even when enough time is left.</param>
    /// <param name="redelegateBelow">Delegate again when less than this is left (2 hours by default).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The delegation id, or an empty string with a token.</returns>
    public virtual async Task<string> DelegateAsync(TimeSpan? lifetime = null, bool force = false, TimeSpan? redelegateBelow = null, CancellationToken cancellationToken = default)
    {
        if (Token is not null || Credential is null)
        {
            return string.Empty;
        }

        await _delegationLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var who = await WhoAmIAsync(cancellationToken).ConfigureAwait(false);
            if (who.DelegationId is not { Length: > 0 } id)
            {
                throw new ClientErrorException("the server gave no delegation id for " + who.UserDn + " (method " + (who.Method ?? "?") + ")");
            }

            var current = await Client.GetDelegationAsync(id, cancellationToken).ConfigureAwait(false);
            if (current is { } c && !force && c.TerminationTime - _time.GetUtcNow() >= (redelegateBelow ?? DefaultRedelegateBelow))
            {
                return id;
            }

            var csr = await Client.GetDelegationRequestAsync(id, cancellationToken).ConfigureAwait(false);
            string pem;
            try
            {
                pem = ProxyFactory.SignDelegationRequest(Credential, csr, lifetime ?? DefaultDelegationLifetime, _options.TimeProvider);
            }
            catch (CredentialException ex)
            {
                // The caller's credential failed, not the server: a client error, passed through the catch below as is.
                throw new ClientErrorException("delegation failed: cannot sign the delegation request of " + Endpoint + ": " + ex.Message, ex);
            }

            await Client.PutDelegationCredentialAsync(id, pem, cancellationToken).ConfigureAwait(false);
            return id;
        }
        catch (ClientErrorException)
        {
            throw;
        }
        catch (ApiException ex)
        {
            throw new ClientErrorException("delegation failed: " + ex.Message, ex.Details, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ClientErrorException("delegation failed: " + ex.Message, ex);
        }
        finally
        {
            _delegationLock.Release();
        }
    }
}
