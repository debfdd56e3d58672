using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Runtime.Security;

/// <summary>
/// HTTP Digest authentication (RFC 7616 / RFC 2617) with <c>MD5</c>, <c>MD5-sess</c>, <c>SHA-256</c> and
/// <c>SHA-256-sess</c>, <c>qop=auth</c> (or none, RFC 2069), nonce counting across requests, and one retry when the
/// server marks the nonce <c>stale=true</c>. Used by Data Dispatcher / MetaCat's <c>auth?method=digest</c>.
/// </summary>
public sealed class DigestAuthHandler : DelegatingHandler
{
    private readonly string _user;
    private readonly string _password;
    private readonly object _gate = new();
    private DigestChallenge? _challenge;
    private int _nonceCount;

    /// <summary>Creates the handler.</summary>
    /// <param name="userName">The user name.</param>
    /// <param name="password">The password (never logged).</param>
    public DigestAuthHandler(string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        _user = userName;
        _password = password;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        DigestChallenge? used = Authorize(request);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        for (int attempt = 0; attempt < 2 && response.StatusCode == HttpStatusCode.Unauthorized && BearerTokenHandler.CanResend(request); attempt++)
        {
            var challenge = FindChallenge(response);
            if (challenge is null)
            {
                break;
            }
            // Same nonce rejected and not stale: the credentials are wrong; do not loop.
            if (used is not null && used.Nonce == challenge.Nonce && !challenge.Stale)
            {
                break;
            }
            if (used is not null && !challenge.Stale && attempt > 0)
            {
                break;
            }
            lock (_gate)
            {
                _challenge = challenge;
                _nonceCount = 0;
            }
            response.Dispose();
            used = Authorize(request);
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        return response;
    }

    private DigestChallenge? Authorize(HttpRequestMessage request)
    {
        DigestChallenge? challenge;
        int nc;
        lock (_gate)
        {
            challenge = _challenge;
            nc = challenge is null ? 0 : ++_nonceCount;
        }
        if (challenge is null)
        {
            return null;
        }
        string uri = request.RequestUri is { IsAbsoluteUri: true } u ? u.PathAndQuery : request.RequestUri?.OriginalString ?? "/";
        string cnonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        request.Headers.Authorization = new AuthenticationHeaderValue("Digest",
            CreateAuthorizationParameters(challenge, _user, _password, request.Method.Method, uri, cnonce, nc));
        return challenge;
    }

    private static DigestChallenge? FindChallenge(HttpResponseMessage response)
    {
        foreach (var h in response.Headers.WwwAuthenticate)
        {
            if (h.Scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase) && DigestChallenge.TryParse(h.Parameter, out var c))
            {
                return c;
            }
        }
        return null;
    }

    /// <summary>Computes the <c>response</c> value (hex) of RFC 7616 §3.4.1.</summary>
    /// <param name="challenge">The server's challenge.</param>
    /// <param name="userName">The user name.</param>
    /// <param name="password">The password.</param>
    /// <param name="method">The HTTP method, e.g. <c>GET</c>.</param>
    /// <param name="uri">The request-target, e.g. <c>/dir/index.html</c>.</param>
    /// <param name="cnonce">The client nonce.</param>
    /// <param name="nonceCount">The nonce count (1 for the first use of a nonce).</param>
    /// <returns>The lower-case hex response.</returns>
    /// <exception cref="CredentialException">The algorithm or qop is not supported.</exception>
    public static string ComputeResponse(DigestChallenge challenge, string userName, string password, string method, string uri, string cnonce, int nonceCount)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        string alg = challenge.Algorithm.ToUpperInvariant();
        Func<string, string> h = alg switch
        {
            "MD5" or "MD5-SESS" => Md5Hex,
            "SHA-256" or "SHA-256-SESS" => s => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant(),
            _ => throw new CredentialException($"unsupported digest algorithm '{challenge.Algorithm}' (supported: MD5, MD5-sess, SHA-256, SHA-256-sess)", "WWW-Authenticate"),
        };
        string ha1 = h($"{userName}:{challenge.Realm}:{password}");
        if (alg.EndsWith("-SESS", StringComparison.Ordinal))
        {
            ha1 = h($"{ha1}:{challenge.Nonce}:{cnonce}");
        }
        string ha2 = h($"{method}:{uri}");
        var qop = challenge.Qop;
        if (qop.Count == 0)
        {
            return h($"{ha1}:{challenge.Nonce}:{ha2}");
        }
        if (!qop.Contains("auth", StringComparer.OrdinalIgnoreCase))
        {
            throw new CredentialException($"unsupported digest qop '{string.Join(",", qop)}' (only 'auth' is supported)", "WWW-Authenticate");
        }
        return h($"{ha1}:{challenge.Nonce}:{NonceCount(nonceCount)}:{cnonce}:auth:{ha2}");
    }

    /// <summary>Builds the parameter part of the <c>Authorization: Digest …</c> header.</summary>
    /// <param name="challenge">The server's challenge.</param>
    /// <param name="userName">The user name.</param>
    /// <param name="password">The password.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="uri">The request-target.</param>
    /// <param name="cnonce">The client nonce.</param>
    /// <param name="nonceCount">The nonce count.</param>
    /// <returns>For example <c>username="u", realm="r", nonce="n", uri="/x", algorithm=MD5, response="…", qop=auth, nc=00000001, cnonce="…"</c>.</returns>
    public static string CreateAuthorizationParameters(DigestChallenge challenge, string userName, string password, string method, string uri, string cnonce, int nonceCount)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        string response = ComputeResponse(challenge, userName, password, method, uri, cnonce, nonceCount);
        var sb = new StringBuilder();
        sb.Append("username=").Append(Quote(userName))
          .Append(", realm=").Append(Quote(challenge.Realm))
          .Append(", nonce=").Append(Quote(challenge.Nonce))
          .Append(", uri=").Append(Quote(uri))
          .Append(", algorithm=").Append(challenge.Algorithm)
          .Append(", response=").Append(Quote(response));
        if (challenge.Qop.Count > 0)
        {
            sb.Append(", qop=auth, nc=").Append(NonceCount(nonceCount)).Append(", cnonce=").Append(Quote(cnonce));
        }
        if (challenge.Opaque is not null)
        {
            sb.Append(", opaque=").Append(Quote(challenge.Opaque));
        }
        return sb.ToString();
    }

    private static string NonceCount(int nc) => nc.ToString("x8", CultureInfo.InvariantCulture);

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

#pragma warning disable CA5351 // RFC 2617 digest is defined with MD5; servers (MetaCat) still require it.
    private static string Md5Hex(string s) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant();
#pragma warning restore CA5351
}
