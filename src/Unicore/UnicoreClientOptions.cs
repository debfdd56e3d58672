using System;
using Microsoft.Extensions.Logging;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.Unicore;

/// <summary>Everything a <see cref="UnicoreClient"/> needs: the site and registry URLs, the credential, sessions, TLS, timeouts.</summary>
public sealed record UnicoreClientOptions
{
    /// <summary>The site's core URL (<c>https://gateway/SITE/rest/core</c>).</summary>
    public const string UrlVariable = "UNICORE_URL";

    /// <summary>The registry URL (<c>https://gateway/REGISTRY/rest/registries/default_registry</c>).</summary>
    public const string RegistryVariable = "UNICORE_REGISTRY";

    /// <summary><c>USER</c> or <c>USER:PASSWORD</c> for Basic authentication.</summary>
    public const string UserVariable = "UNICORE_USER";

    /// <summary>The password, when <see cref="UserVariable"/> has none.</summary>
    public const string PasswordVariable = "UNICORE_PASSWORD";

    /// <summary>A bearer token (wins over the user).</summary>
    public const string TokenVariable = "UNICORE_TOKEN";

    /// <summary>The site's core base URL.</summary>
    public Uri? SiteUrl { get; init; }

    /// <summary>The registry URL, for site discovery.</summary>
    public Uri? RegistryUrl { get; init; }

    /// <summary>How to authenticate; anonymous by default.</summary>
    public UnicoreCredential Credential { get; init; } = UnicoreCredential.Anonymous;

    /// <summary>User preferences sent as <c>X-UNICORE-User-Preferences</c> (e.g. <c>uid:alice,group:hpc,role:user</c>).</summary>
    public string? Preferences { get; init; }

    /// <summary>Echo the server's <c>X-UNICORE-SecuritySession</c> and retry once on 432 (PyUNICORE's default: on).</summary>
    public bool UseSecuritySessions { get; init; } = true;

    /// <summary>
    /// Time allowed for each HTTP attempt (Runtime's <see cref="TimeoutHandler"/>): the response headers must come
    /// within it, and the body may not stall longer between two reads. Running out is a <see cref="TimeoutException"/>
    /// naming the URL, the time waited and this option.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The largest JSON response body read, in bytes (default <see cref="ApiClientOptions.DefaultMaxResponseBytes"/>,
    /// 64 MiB), counted while reading: a larger body is a <see cref="ResponseTooLargeException"/> naming the URL, the
    /// limit and this option. File downloads (<see cref="UnicoreStorage"/>) stream and are not limited.
    /// </summary>
    public long MaxResponseBytes { get; init; } = ApiClientOptions.DefaultMaxResponseBytes;

    /// <summary>Retry policy; null: none (PyUNICORE does not retry).</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>TLS settings (trust store, client certificate); null: the system's trust.</summary>
    public GridTlsOptions? Tls { get; init; }

    /// <summary>First delay between two polls of a job, transfer or workflow; it grows ×1.5 up to <see cref="PollMaxDelay"/>.</summary>
    public TimeSpan PollInitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between two polls.</summary>
    public TimeSpan PollMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The User-Agent header; null for none.</summary>
    public string? UserAgent { get; init; } = "toolkit-unicore/0.1";

    /// <summary>Clock for polling (tests).</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Receives failed operations and retries.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The environment lookup <see cref="FromEnvironment"/> used.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>
    /// Options from <c>UNICORE_URL</c>, <c>UNICORE_REGISTRY</c>, and a credential from <c>UNICORE_TOKEN</c> (bearer) or
    /// <c>UNICORE_USER</c> (<c>USER[:PASSWORD]</c>, the password else from <c>UNICORE_PASSWORD</c>). Unset or empty
    /// variables leave the property at its default.
    /// </summary>
    /// <param name="environment">The lookup; null for the process environment.</param>
    /// <returns>The options.</returns>
    /// <exception cref="FormatException">A URL variable is not an absolute http(s) URL.</exception>
    public static UnicoreClientOptions FromEnvironment(Func<string, string?>? environment = null)
    {
        var env = environment ?? System.Environment.GetEnvironmentVariable;
        var credential = UnicoreCredential.Anonymous;
        if (NonEmpty(env(TokenVariable)) is { } token)
        {
            credential = UnicoreCredential.Bearer(token);
        }
        else if (NonEmpty(env(UserVariable)) is { } user)
        {
            int colon = user.IndexOf(':', StringComparison.Ordinal);
            credential = colon >= 0
                ? UnicoreCredential.Basic(user[..colon], user[(colon + 1)..])
                : UnicoreCredential.Basic(user, env(PasswordVariable) ?? string.Empty);
        }

        return new UnicoreClientOptions
        {
            SiteUrl = Url(env(UrlVariable), UrlVariable),
            RegistryUrl = Url(env(RegistryVariable), RegistryVariable),
            Credential = credential,
            Environment = environment,
        };
    }

    /// <summary>Parses an http(s) URL given by a user.</summary>
    /// <param name="text">The text.</param>
    /// <param name="what">What it is (an option or variable name) for the message.</param>
    /// <returns>The URL, or null for null or empty text.</returns>
    /// <exception cref="FormatException">Not an absolute http(s) URL.</exception>
    public static Uri? Url(string? text, string what)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new FormatException(what + " must be an absolute http(s) URL, not '" + text + "'");
        }

        return uri;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
