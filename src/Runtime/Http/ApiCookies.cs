using System;
using System.ComponentModel;
using System.Net.Http;
using System.Text;

namespace Toolkit.Runtime.Http;

/// <summary>Puts the cookie parameters of a request in its one <c>Cookie</c> header.</summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class ApiCookies
{
    private const string Header = "Cookie";

    /// <summary>
    /// Adds the pairs of <paramref name="cookies"/> to the request's <c>Cookie</c> header, after any the caller set on the
    /// request or in <see cref="HttpClient.DefaultRequestHeaders"/> (HttpClient adds a default header only when the request
    /// has none, so those are carried over here rather than dropped). Pairs are joined by <c>"; "</c> (RFC 6265 section 5.4).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="client">The client whose default headers may hold a <c>Cookie</c>.</param>
    /// <param name="cookies">The cookie parameters written with <see cref="ApiStyleWriter.ForCookies"/>.</param>
    public static void Apply(HttpRequestMessage request, HttpClient client, ApiStyleWriter cookies)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(cookies);
        if (cookies.IsEmpty)
        {
            return;
        }

        var sb = new StringBuilder();
        if (request.Headers.TryGetValues(Header, out var own))
        {
            Join(sb, own);
        }
        else if (client.DefaultRequestHeaders.TryGetValues(Header, out var defaults))
        {
            Join(sb, defaults);
        }

        if (sb.Length > 0)
        {
            sb.Append("; ");
        }

        sb.Append(cookies.ToString());
        request.Headers.Remove(Header);
        request.Headers.TryAddWithoutValidation(Header, sb.ToString());
    }

    private static void Join(StringBuilder sb, System.Collections.Generic.IEnumerable<string> values)
    {
        foreach (var v in values)
        {
            var t = v.AsSpan().Trim().TrimEnd(';');
            if (t.IsEmpty)
            {
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append("; ");
            }

            sb.Append(t);
        }
    }
}
