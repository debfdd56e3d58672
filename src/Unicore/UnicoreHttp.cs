using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.Unicore;

/// <summary>
/// The navigation layer's transport: sends to the absolute URLs found in <c>_links</c> and <c>Location</c>
/// headers, decodes replies with the generated models, maps errors to the generated exceptions, and keeps the
/// security session (echo <c>X-UNICORE-SecuritySession</c>, one retry on 432, reset when the preferences change).
/// One instance is shared by a client and every handle it made, so they share the session.
/// </summary>
internal sealed class UnicoreHttp
{
    public const string SessionHeader = "X-UNICORE-SecuritySession";
    public const string PreferencesHeader = "X-UNICORE-User-Preferences";
    /// <summary>The option named by a too-large response.</summary>
    public const string MaxResponseOption = "UnicoreClientOptions.MaxResponseBytes";

    /// <summary>The option named by a timeout.</summary>
    public const string TimeoutOption = "UnicoreClientOptions.Timeout";

    private const string Json = "application/json";
    private readonly HttpClient _http;
    private readonly bool _sessions;
    private readonly object _lock = new();
    private string? _sessionId;
    private string? _preferences;

    public UnicoreHttp(HttpClient http, UnicoreClientOptions options)
    {
        _http = http;
        _sessions = options.UseSecuritySessions;
        _preferences = options.Preferences;
        Options = options;
    }

    public UnicoreClientOptions Options { get; }

    /// <summary>The HttpClient with the credential handler (for the UFTP Auth endpoint on the same gateway).</summary>
    public HttpClient Client => _http;

    public TimeProvider Time => Options.TimeProvider ?? TimeProvider.System;

    public string? SessionId
    {
        get { lock (_lock) { return _sessionId; } }
    }

    public string? Preferences
    {
        get { lock (_lock) { return _preferences; } }
        set
        {
            lock (_lock)
            {
                if (!string.Equals(_preferences, value, StringComparison.Ordinal))
                {
                    _preferences = value;
                    _sessionId = null; // a session belongs to the attributes it was made with
                }
            }
        }
    }

    /// <summary>Sends a request, retrying once without the session on 432; throws the typed error for non-2xx.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, Func<HttpContent?>? content, string accept, CancellationToken cancellationToken, bool canResend = true, string? range = null)
    {
        for (int attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            request.Content = content?.Invoke();
            string? session;
            string? preferences;
            lock (_lock)
            {
                session = _sessions ? _sessionId : null;
                preferences = _preferences;
            }

            if (session is not null)
            {
                request.Headers.TryAddWithoutValidation(SessionHeader, session);
            }

            if (preferences is not null)
            {
                request.Headers.TryAddWithoutValidation(PreferencesHeader, preferences);
            }

            if (range is not null)
            {
                request.Headers.TryAddWithoutValidation("Range", range);
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e is not ResponseTooLargeException)
            {
                // HttpClient's "An error occurred while sending the request" names no server: say which request failed.
                throw new HttpRequestException(e.HttpRequestError, method.Method + " " + url.GetLeftPart(UriPartial.Path) + " failed: " + e.Message + (e.InnerException is { } inner ? " (" + inner.Message + ")" : ""), e, e.StatusCode);
            }

            int status = (int)response.StatusCode;
            if (status == 432 && session is not null && attempt == 0 && canResend)
            {
                response.Dispose();
                lock (_lock)
                {
                    if (_sessionId == session)
                    {
                        _sessionId = null;
                    }
                }

                continue;
            }

            if (status is >= 200 and <= 299)
            {
                if (_sessions)
                {
                    var fresh = response.Headers.TryGetValues(SessionHeader, out var values) ? values.FirstOrDefault() : null;
                    lock (_lock)
                    {
                        if (string.Equals(_preferences, preferences, StringComparison.Ordinal))
                        {
                            _sessionId = fresh;
                        }
                    }
                }

                return response;
            }

            using (response)
            {
                byte[] body;
                using (var read = await ApiTransport.ReadBodyAsync(response, Options.MaxResponseBytes, MaxResponseOption, cancellationToken).ConfigureAwait(false))
                {
                    body = read.ToArray();
                }

                var details = ApiTransport.Details(response, method.Method + " " + url.AbsolutePath, body, null);
                throw ApiTransport.Failed(Options.Logger, UnicoreErrors.Create(details));
            }
        }
    }

    public async Task<T> GetJsonAsync<T>(Uri url, CancellationToken cancellationToken)
        where T : IJsonModel<T>
    {
        using var response = await SendAsync(HttpMethod.Get, url, null, Json, cancellationToken).ConfigureAwait(false);
        using var body = await ApiTransport.ReadBodyAsync(response, Options.MaxResponseBytes, MaxResponseOption, cancellationToken).ConfigureAwait(false);
        try
        {
            return ApiJson.Parse<T>(body.Span);
        }
        catch (JsonException e)
        {
            throw UnicoreErrors.Malformed("GET", url, e);
        }
    }

    /// <summary>POSTs JSON; returns the <c>Location</c> of a 201, or null for other 2xx answers.</summary>
    public async Task<Uri?> PostJsonAsync(Uri url, byte[] json, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, url, () => ApiTransport.BytesContent(json, Json), Json, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode != 201)
        {
            return null;
        }

        var location = response.Headers.Location
            ?? throw new UnicoreProtocolException("POST " + url + " answered 201 Created without a Location header");
        return location.IsAbsoluteUri ? location : new Uri(url, location);
    }

    /// <summary>POSTs JSON to create a resource: a 201 with a Location is required.</summary>
    public async Task<Uri> CreateAsync(Uri url, byte[] json, CancellationToken cancellationToken) =>
        await PostJsonAsync(url, json, cancellationToken).ConfigureAwait(false)
        ?? throw new UnicoreProtocolException("POST " + url + " did not answer 201 Created with a Location header");

    public async Task DeleteAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, url, null, Json, cancellationToken).ConfigureAwait(false);
    }

    public static byte[] EmptyObject() => "{}"u8.ToArray();

    /// <summary>A link's URL, or a protocol error naming the resource and the relation.</summary>
    public static Uri Link(IReadOnlyDictionary<string, Link>? links, string relation, Uri resource)
    {
        if (links is not null && links.TryGetValue(relation, out var link) && Uri.TryCreate(resource, link.Href, out var href))
        {
            return href;
        }

        throw new UnicoreProtocolException("the resource " + resource + " has no link '" + relation + "'" +
            (links is null ? " (no _links)" : " (links: " + string.Join(", ", links.Keys) + ")"));
    }

    public static Uri? TryLink(IReadOnlyDictionary<string, Link>? links, string relation, Uri resource) =>
        links is not null && links.TryGetValue(relation, out var link) && Uri.TryCreate(resource, link.Href, out var href) ? href : null;

    /// <summary>Adds paging and filter parameters (<c>offset</c>, <c>num</c>, <c>tags</c>, <c>fields</c>) to a link.</summary>
    public static Uri WithQuery(Uri url, int? offset = null, int? num = null, IReadOnlyCollection<string>? tags = null, IReadOnlyCollection<string>? fields = null)
    {
        var query = new List<string>();
        if (offset is { } o)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(o, nameof(offset));
            query.Add("offset=" + o.ToString(CultureInfo.InvariantCulture));
        }

        if (num is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(n, nameof(num));
            query.Add("num=" + n.ToString(CultureInfo.InvariantCulture));
        }

        if (tags is { Count: > 0 })
        {
            query.Add("tags=" + string.Join(",", tags.Select(Uri.EscapeDataString)));
        }

        if (fields is { Count: > 0 })
        {
            query.Add("fields=" + string.Join(",", fields.Select(Uri.EscapeDataString)));
        }

        if (query.Count == 0)
        {
            return url;
        }

        var b = new UriBuilder(url);
        b.Query = (b.Query.Length > 1 ? b.Query[1..] + "&" : string.Empty) + string.Join("&", query);
        return b.Uri;
    }

    public static List<Uri> Urls(IReadOnlyList<string>? hrefs, Uri list)
    {
        var result = new List<Uri>(hrefs?.Count ?? 0);
        foreach (var h in hrefs ?? Array.Empty<string>())
        {
            result.Add(Uri.TryCreate(list, h, out var u) ? u : throw new UnicoreProtocolException("the list " + list + " holds '" + h + "', which is not a URL"));
        }

        return result;
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
