using System.Collections.Generic;

namespace Toolkit.Cli;

/// <summary>The options every <c>toolkit dd</c> command takes.</summary>
/// <param name="Server">Data server URL; null for <c>DATA_DISPATCHER_URL</c>.</param>
/// <param name="AuthServer">Auth server URL; null for <c>DATA_DISPATCHER_AUTH_URL</c>, else <c>&lt;server&gt;/auth</c>.</param>
/// <param name="Json">Print JSON instead of tables.</param>
/// <param name="HttpTimeout">The <c>--http-timeout</c> text, or null for the library's default.</param>
/// <param name="MaxResponseSize">The <c>--max-response-size</c> text, or null for the library's default.</param>
internal sealed record DdGlobalOptions(string? Server = null, string? AuthServer = null, bool Json = false, string? HttpTimeout = null, string? MaxResponseSize = null);

/// <summary><c>dd login digest|ldap|password</c>; <c>Method</c> is the subcommand's name (<c>password</c>: LDAP, falling back to Digest).</summary>
internal sealed record DdLoginPasswordOptions(DdGlobalOptions Global, string Method, string User, bool PasswordFromStdin = false);

/// <summary><c>dd login token</c>.</summary>
internal sealed record DdLoginTokenOptions(DdGlobalOptions Global, string User, string? Token = null, string? TokenFile = null);

/// <summary><c>dd login x509</c>.</summary>
internal sealed record DdLoginX509Options(DdGlobalOptions Global, string User, string? Cert = null, string? Key = null);

/// <summary><c>dd project create</c>.</summary>
internal sealed record DdProjectCreateOptions(
    DdGlobalOptions Global,
    IReadOnlyList<string> Dids,
    string? FileList = null,
    IReadOnlyList<string>? Attributes = null,
    IReadOnlyList<string>? FileAttributes = null,
    string? WorkerTimeout = null,
    string? IdleTimeout = null,
    string? Query = null,
    IReadOnlyList<string>? Users = null);

/// <summary><c>dd project show</c>.</summary>
internal sealed record DdProjectShowOptions(DdGlobalOptions Global, string ProjectId, bool Files = false, bool Replicas = false, bool Watch = false, double IntervalSeconds = 5);

/// <summary><c>dd project list</c>.</summary>
internal sealed record DdProjectListOptions(DdGlobalOptions Global, string? Owner = null, string? State = null, string? NotState = null, IReadOnlyList<string>? Attributes = null);

/// <summary><c>dd project search</c>.</summary>
internal sealed record DdProjectSearchOptions(DdGlobalOptions Global, string Query, string? Owner = null, string? State = null);

/// <summary><c>dd project cancel|activate</c>: one project.</summary>
internal sealed record DdProjectIdOptions(DdGlobalOptions Global, string ProjectId);

/// <summary><c>dd project copy</c>.</summary>
internal sealed record DdProjectCopyOptions(DdGlobalOptions Global, string ProjectId, IReadOnlyList<string>? Attributes = null, IReadOnlyList<string>? FileAttributes = null, string? WorkerTimeout = null, string? IdleTimeout = null);

/// <summary><c>dd project restart</c>.</summary>
internal sealed record DdProjectRestartOptions(DdGlobalOptions Global, string ProjectId, bool Done = false, bool Failed = false, bool Reserved = false, bool All = false, IReadOnlyList<string>? Dids = null);

/// <summary><c>dd worker next</c>.</summary>
internal sealed record DdWorkerNextOptions(DdGlobalOptions Global, string ProjectId, string? Timeout = null, double StaggerSeconds = 10, string? CpuSite = null, string? WorkerId = null);

/// <summary><c>dd worker done|failed</c>; <c>Final</c> (with <c>failed</c>): do not retry the file.</summary>
internal sealed record DdWorkerFileOptions(DdGlobalOptions Global, string ProjectId, string Did, bool Final = false, string? WorkerId = null);

/// <summary><c>dd worker reserved</c>.</summary>
internal sealed record DdWorkerReservedOptions(DdGlobalOptions Global, string ProjectId, string? WorkerId = null);

/// <summary><c>dd worker id</c>.</summary>
internal sealed record DdWorkerIdOptions(DdGlobalOptions Global, bool New = false, string? Value = null);

/// <summary><c>dd rse show</c> and <c>dd rse set-available</c> (<c>Available</c>: the new availability).</summary>
internal sealed record DdRseOptions(DdGlobalOptions Global, string Name, bool? Available = null);
