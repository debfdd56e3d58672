using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.Unicore.Uftp;

/// <summary>
/// Talks to a UFTP Auth server (or a UNICORE/X Auth endpoint): session requests, the server list, and token
/// issuing. The caller owns the <see cref="HttpClient"/> (build it with the Runtime's <c>HttpPipeline</c> and
/// <c>BasicAuthHandler</c> or <c>BearerTokenHandler</c>); this class never disposes it. Thread-safe.
/// </summary>
public sealed class UftpAuthClient
{
    private readonly HttpClient _http;

    /// <summary>Creates a client over the caller's HttpClient (which carries the credentials).</summary>
    /// <param name="http">The client; not disposed here.</param>
    public UftpAuthClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
    }

    /// <summary>
    /// The largest reply body read, in bytes (default <see cref="ApiClientOptions.DefaultMaxResponseBytes"/>, 64 MiB),
    /// counted while reading: a larger body is a <see cref="ResponseTooLargeException"/> naming the URL and the limit.
    /// </summary>
    public long MaxResponseBytes { get; init; } = ApiClientOptions.DefaultMaxResponseBytes;

    /// <summary>Requests a UFTP session (<c>POST authUrl</c> with the AuthRequest JSON).</summary>
    /// <param name="authUrl">The endpoint, e.g. <c>https://host:9000/rest/auth/TEST</c>.</param>
    /// <param name="request">What to ask for.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>Host, port and secret.</returns>
    /// <exception cref="UftpAuthException">An HTTP error (its <c>errorMessage</c> when the body has one), <c>success: false</c> (its <c>reason</c>), or a reply without host/port/secret.</exception>
    public async Task<UftpAuthResponse> AuthenticateAsync(Uri authUrl, UftpAuthRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authUrl);
        ArgumentNullException.ThrowIfNull(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, authUrl);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Content = new ByteArrayContent(WriteRequest(request));
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        byte[] body = await SendAsync(message, "the UFTP auth request to " + authUrl, cancellationToken).ConfigureAwait(false);
        return ParseResponse(body, authUrl);
    }

    /// <summary>The servers this Auth server offers and the user's settings there (<c>GET https://host/rest/auth</c>), as JSON text.</summary>
    /// <param name="authBase">Any URL under <c>/rest/auth</c>; the part from <c>/rest/auth</c> on is replaced.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The JSON document.</returns>
    public async Task<JsonDocument> GetInfoAsync(Uri authBase, CancellationToken cancellationToken = default)
    {
        var url = AuthRoot(authBase, "");
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        byte[] body = await SendAsync(message, "GET " + url, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new UftpAuthException("the Auth server info at " + url + " is not JSON: " + e.Message, e);
        }
    }

    /// <summary>Asks the Auth server for a JWT (<c>GET https://host/rest/auth/token</c>, pyuftp's <c>issue-token</c>).</summary>
    /// <param name="authBase">Any URL under <c>/rest/auth</c>.</param>
    /// <param name="lifetime">The token lifetime, or null for the server's default.</param>
    /// <param name="limited">Valid only for this Auth server.</param>
    /// <param name="renewable">Usable to get a fresh token.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The token text.</returns>
    /// <exception cref="UftpAuthException">The server has no token endpoint (404) or refused.</exception>
    public async Task<string> IssueTokenAsync(Uri authBase, TimeSpan? lifetime = null, bool limited = false, bool renewable = false, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (lifetime is { } l)
        {
            query.Add("lifetime=" + ((long)l.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        if (limited)
        {
            query.Add("limited=true");
        }

        if (renewable)
        {
            query.Add("renewable=true");
        }

        var url = AuthRoot(authBase, "/token" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        byte[] body = await SendAsync(message, "GET " + url.GetLeftPart(UriPartial.Path), cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(body).Trim();
    }

    /// <summary><c>scheme://host:port/.../rest/auth</c> + <paramref name="tail"/>.</summary>
    /// <param name="any">Any URL under <c>/rest/auth</c>.</param>
    /// <param name="tail">What to append (e.g. <c>/token</c>).</param>
    /// <returns>The URL.</returns>
    public static Uri AuthRoot(Uri any, string tail)
    {
        ArgumentNullException.ThrowIfNull(any);
        string s = any.GetLeftPart(UriPartial.Path);
        int i = s.IndexOf("/rest/auth", StringComparison.Ordinal);
        if (i < 0)
        {
            throw new ArgumentException("not an Auth server URL (no /rest/auth in it): " + s, nameof(any));
        }

        return new Uri(s[..(i + "/rest/auth".Length)] + tail);
    }

    private async Task<byte[]> SendAsync(HttpRequestMessage message, string what, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        byte[] body;
        using (var read = await ApiTransport.ReadBodyAsync(response, MaxResponseBytes, "UftpAuthClient.MaxResponseBytes", cancellationToken).ConfigureAwait(false))
        {
            body = read.ToArray();
        }

        if (!response.IsSuccessStatusCode)
        {
            int status = (int)response.StatusCode;
            string detail = ErrorMessage(body) ?? response.ReasonPhrase ?? "";
            throw new UftpAuthException(what + " failed: HTTP " + status.ToString(CultureInfo.InvariantCulture) + (detail.Length > 0 ? " " + detail : "")
                + (status == 401 ? " (wrong user, password or token)" : ""), status);
        }

        return body;
    }

    private static string? ErrorMessage(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("errorMessage", out var m) && m.ValueKind == JsonValueKind.String
                ? m.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The AuthRequest JSON, as the Java client and pyuftp send it.</summary>
    internal static byte[] WriteRequest(UftpAuthRequest request)
    {
        using var w = new ApiJsonWriter();
        w.WriteStartObject();
        w.WriteString("serverPath", request.ServerPath);
        if (request.Persistent)
        {
            w.WriteString("persistent", "true");
        }

        if (request.StreamCount > 1)
        {
            w.WritePropertyName("streamCount");
            w.WriteNumberValue(request.StreamCount);
        }

        if (request.Compress)
        {
            w.WriteString("compress", "true");
        }

        if (request.Encryption is { } e)
        {
            w.WriteString("encryptionKey", Convert.ToBase64String(e.Key));
            w.WriteString("encryptionAlgorithm", e.WireName);
        }

        if (request.Group is { } g)
        {
            w.WriteString("group", g);
        }

        if (request.ClientIps is { } c)
        {
            w.WriteString("client", c);
        }

        w.WriteEndObject();
        return w.ToArray();
    }

    /// <summary>Reads <c>{success, reason, serverHost, serverPort, secret}</c>.</summary>
    internal static UftpAuthResponse ParseResponse(byte[] body, Uri authUrl)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new UftpAuthException("the reply of " + authUrl + " is not JSON (byte " + (e.BytePositionInLine ?? 0).ToString(CultureInfo.InvariantCulture) + "): " + e.Message, e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new UftpAuthException("the reply of " + authUrl + " is not a JSON object");
            }

            if (root.TryGetProperty("success", out var ok) && (ok.ValueKind == JsonValueKind.False || (ok.ValueKind == JsonValueKind.String && string.Equals(ok.GetString(), "false", StringComparison.OrdinalIgnoreCase))))
            {
                string reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? "" : "(no reason given)";
                throw new UftpAuthException("the Auth server refused the UFTP session: " + reason, 0);
            }

            string host = Text(root, "serverHost", authUrl);
            string secret = Text(root, "secret", authUrl);
            if (!root.TryGetProperty("serverPort", out var p))
            {
                throw new UftpAuthException("the reply of " + authUrl + " has no $.serverPort");
            }

            int port = p.ValueKind switch
            {
                JsonValueKind.Number when p.TryGetInt32(out int n) => n,
                JsonValueKind.String when int.TryParse(p.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) => n,
                _ => -1,
            };
            if (port is < 1 or > 65535)
            {
                throw new UftpAuthException("the reply of " + authUrl + " has an invalid $.serverPort: " + p.GetRawText());
            }

            return new UftpAuthResponse(host, port, secret);
        }
    }

    private static string Text(JsonElement root, string name, Uri authUrl)
        => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s
            : throw new UftpAuthException("the reply of " + authUrl + " has no string $." + name);
}
