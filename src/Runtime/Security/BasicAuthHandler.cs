using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Runtime.Security;

/// <summary>Adds <c>Authorization: Basic base64(user:password)</c> (UTF-8) to every request.</summary>
public sealed class BasicAuthHandler : DelegatingHandler
{
    private readonly string _encoded;

    /// <summary>Creates the handler.</summary>
    /// <param name="userName">The user name (must not contain ':').</param>
    /// <param name="password">The password.</param>
    public BasicAuthHandler(string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        if (userName.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("a Basic user name cannot contain ':'", nameof(userName));
        }
        _encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(userName + ":" + password));
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _encoded);
        return base.SendAsync(request, cancellationToken);
    }
}
