using System;
using System.Text;
using Toolkit.XrdMon;

namespace Toolkit.XrdMon.Collector;

/// <summary>What the collector knows about one server instance (sender address + <c>stod</c>).</summary>
public sealed class XrdMonServer
{
    /// <summary>Collector-assigned instance number.</summary>
    public int Instance { get; init; }

    /// <summary>Sender address (or file name when decoding captures).</summary>
    public required string Sender { get; init; }

    /// <summary>Server start time (Unix seconds).</summary>
    public int Stod { get; init; }

    /// <summary>Host name from the <c>=</c> record.</summary>
    public string? Host { get; set; }

    /// <summary>Server port.</summary>
    public int Port { get; set; }

    /// <summary>Instance name.</summary>
    public string? InstanceName { get; set; }

    /// <summary>Program name (xrootd, cmsd).</summary>
    public string? Program { get; set; }

    /// <summary>Version.</summary>
    public string? Version { get; set; }

    /// <summary>Site name.</summary>
    public string? Site { get; set; }

    /// <summary>Server process id.</summary>
    public long Pid { get; set; }

    /// <summary>48-bit server id.</summary>
    public long Sid { get; set; }

    /// <summary>True once the <c>=</c> identification record was seen.</summary>
    public bool Identified { get; set; }

    /// <summary>This server's JSON object, serialised on first use (cleared when the identity changes).</summary>
    internal byte[]? Json { get; set; }
}

/// <summary>A logged-in client session (from a <c>u</c> map record).</summary>
public sealed class XrdMonUser
{
    /// <summary>Protocol (xroot).</summary>
    public required string Prot { get; init; }

    /// <summary>Login user name.</summary>
    public required string Name { get; init; }

    /// <summary>Client process id.</summary>
    public long Pid { get; init; }

    /// <summary>Client host.</summary>
    public required string Host { get; init; }

    /// <summary>The raw auth CGI (<c>&amp;p=..&amp;n=..</c> and 5.x keys), or empty.</summary>
    public string Auth { get; init; } = string.Empty;

    /// <summary>The experiment code of the user's last <c>U</c> record (<c>Ec=</c>), or null.</summary>
    public string? Experiment { get; set; }

    /// <summary>The activity code of the user's last <c>U</c> record (<c>Ac=</c>), or null.</summary>
    public string? Activity { get; set; }

    /// <summary>The application info of the last <c>i</c> record naming this user's identity text (the client's <c>appid</c>), or null.</summary>
    public string? AppInfo { get; set; }

    /// <summary>Set when the session ended (disconnect seen); the entry goes after a grace period.</summary>
    public bool Ended { get; set; }

    /// <summary>A 64-bit hash of the user's identity text (<c>prot/user.pid:sid@host</c>), which is how an <c>i</c> record names it.</summary>
    internal ulong IdentityHash { get; init; }

    /// <summary>This user's JSON object, serialised on first use.</summary>
    internal byte[]? Json { get; set; }

    /// <summary>Builds a user from a parsed user id and auth payload.</summary>
    /// <param name="id">Parsed user id.</param>
    /// <param name="auth">Auth CGI payload.</param>
    /// <returns>The user.</returns>
    public static XrdMonUser From(UserIdText id, ReadOnlySpan<byte> auth) => new()
    {
        IdentityHash = HashIdentity(id.Raw),
        Prot = Text(id.Prot),
        Name = Text(id.User),
        Pid = id.TryGetPid(out long pid) ? pid : -1,
        Host = Text(id.Host),
        Auth = Text(auth),
    };

    internal static XrdMonUser From(UserIdText id, ReadOnlySpan<byte> auth, XrdMonStringCache cache) => new()
    {
        IdentityHash = HashIdentity(id.Raw),
        Prot = cache.Get(id.Prot),
        Name = cache.Get(id.User),
        Pid = id.TryGetPid(out long pid) ? pid : -1,
        Host = cache.Get(id.Host),
        Auth = cache.Get(auth),
    };

    /// <summary>FNV-1a (64 bits) of an identity text: the same bytes in a <c>u</c> and an <c>i</c> record give the same hash.</summary>
    internal static ulong HashIdentity(ReadOnlySpan<byte> text)
    {
        ulong h = 0xCBF2_9CE4_8422_2325UL;
        foreach (byte b in text)
        {
            h = (h ^ b) * 0x0000_0100_0000_01B3UL;
        }

        return h;
    }

    internal static string Text(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? string.Empty : Encoding.UTF8.GetString(utf8);
}

/// <summary>A path dictid (from a <c>d</c> map record): the path and who opened it.</summary>
public sealed class XrdMonPath
{
    /// <summary>The path.</summary>
    public required string Path { get; init; }

    /// <summary>Login user name of the opener (from the record's user id).</summary>
    public required string UserName { get; init; }

    /// <summary>Client host of the opener.</summary>
    public required string UserHost { get; init; }

    /// <summary>Client process id of the opener.</summary>
    public long UserPid { get; init; }

    /// <summary>Set when the t-stream close was seen; the entry goes after a grace period or at the f-stream close.</summary>
    public bool Ended { get; set; }

    /// <summary>The path as an encoded JSON string, on first use.</summary>
    internal System.Text.Json.JsonEncodedText? LfnJson { get; set; }

    /// <summary>The opener's JSON object, serialised on first use.</summary>
    internal byte[]? UserJson { get; set; }
}

/// <summary>An open file access from an f-stream OPN record, waiting for its close.</summary>
public sealed class XrdMonAccess
{
    /// <summary>Logical file name (from OPN or the path map).</summary>
    public string? Lfn { get; set; }

    /// <summary>File size at open.</summary>
    public long FileSize { get; init; }

    /// <summary>Opened read-write.</summary>
    public bool ReadWrite { get; init; }

    /// <summary>User dictid from OPN (0 when absent).</summary>
    public uint UserDictid { get; init; }

    /// <summary>The user resolved at open time (null when unresolved).</summary>
    public XrdMonUser? User { get; set; }

    /// <summary>Opener from the path map when the user dictid is unknown.</summary>
    public XrdMonPath? Path { get; set; }

    /// <summary>Unix time of the open (the f-stream packet's TOD).</summary>
    public int OpenTime { get; init; }
}
