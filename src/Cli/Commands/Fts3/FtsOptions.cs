using System.Collections.Generic;

namespace Toolkit.Cli;

/// <summary>The options every <c>toolkit fts</c> command takes: the endpoint, the credential and the output form.</summary>
/// <param name="Endpoint">The REST endpoint; null for <c>FTS3_ENDPOINT</c>.</param>
/// <param name="Cert">User certificate; null for discovery.</param>
/// <param name="Key">User key (with <paramref name="Cert"/>).</param>
/// <param name="Proxy">Proxy file.</param>
/// <param name="CaPath">CA directory.</param>
/// <param name="Insecure">Do not verify the server certificate.</param>
/// <param name="Token">Authenticate with the discovered WLCG bearer token.</param>
/// <param name="Json">Print JSON.</param>
/// <param name="HttpTimeout">The <c>--http-timeout</c> text, or null for the library's default.</param>
/// <param name="MaxResponseSize">The <c>--max-response-size</c> text, or null for the library's default.</param>
internal sealed record FtsGlobalOptions(string? Endpoint = null, string? Cert = null, string? Key = null, string? Proxy = null, string? CaPath = null, bool Insecure = false, bool Token = false, bool Json = false, string? HttpTimeout = null, string? MaxResponseSize = null);

/// <summary><c>fts delegate</c>.</summary>
internal sealed record FtsDelegateOptions(FtsGlobalOptions Global, double LifetimeHours = 12, bool Force = false);

/// <summary><c>fts submit</c>.</summary>
internal sealed record FtsSubmitOptions(
    FtsGlobalOptions Global,
    IReadOnlyList<string> Urls,
    string? BulkFile = null,
    string? Checksum = null,
    string? VerifyChecksum = null,
    bool Overwrite = false,
    bool Reuse = false,
    int? Priority = null,
    int? Retry = null,
    string? Metadata = null,
    string? Sid = null,
    string? IdGenerator = null);

/// <summary><c>fts status</c>.</summary>
internal sealed record FtsStatusOptions(FtsGlobalOptions Global, string Job, bool Files = false, bool Watch = false, double IntervalSeconds = 5);

/// <summary><c>fts list</c>.</summary>
internal sealed record FtsListOptions(FtsGlobalOptions Global, string? Dn = null, string? Vo = null, IReadOnlyList<string>? States = null, int? Limit = null);

/// <summary><c>fts cancel</c>.</summary>
internal sealed record FtsCancelOptions(FtsGlobalOptions Global, string Job, IReadOnlyList<long>? FileIds = null);

/// <summary><c>fts ban</c>.</summary>
internal sealed record FtsBanOptions(FtsGlobalOptions Global, string? Se = null, string? Dn = null, string Status = "cancel", int Timeout = 0, bool AllowSubmit = false, string? Vo = null, string? Message = null);

/// <summary><c>fts unban</c>.</summary>
internal sealed record FtsUnbanOptions(FtsGlobalOptions Global, string? Se = null, string? Dn = null, string? Vo = null);
