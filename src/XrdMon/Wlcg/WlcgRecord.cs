using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Toolkit.XrdMon.Wlcg;

/// <summary>Which summaries become WLCG records, and the constant parts of the record's <c>metadata</c>.</summary>
public sealed class WlcgOptions
{
    /// <summary>VOs (case-insensitive, the <c>o=</c> of the user's auth record) whose accesses are WLCG records.</summary>
    public IReadOnlyList<string> Vos { get; init; } = ["cms"];

    /// <summary>Path prefixes whose accesses are WLCG records whatever the VO.</summary>
    public IReadOnlyList<string> PathPrefixes { get; init; } = ["/store", "/user/dteam"];

    /// <summary>VOs (case-insensitive) whose accesses are dropped: neither a summary line nor a WLCG record (the OSG collector's <c>filter.drop_vos</c>).</summary>
    public IReadOnlyList<string> DropVos { get; init; } = [];

    /// <summary>Path prefixes whose accesses are dropped (the OSG collector's <c>filter.drop_path_prefixes</c>); checked before the WLCG routing.</summary>
    public IReadOnlyList<string> DropPathPrefixes { get; init; } = [];

    /// <summary><c>metadata.producer</c>.</summary>
    public string Producer { get; init; } = "cms";

    /// <summary><c>metadata.type</c>.</summary>
    public string Type { get; init; } = "aaa-ng";

    /// <summary><c>metadata.host</c>: the collector's host name.</summary>
    public string Host { get; init; } = Dns.GetHostName();
}

/// <summary>Why the drop filter dropped an access.</summary>
public enum DropReason
{
    /// <summary>Not dropped.</summary>
    None,

    /// <summary>Its VO is in the drop list.</summary>
    Vo,

    /// <summary>Its path starts with a dropped prefix.</summary>
    PathPrefix,
}

/// <summary>
/// Turns the collector's per-file-access <c>summary</c> objects (docs/xrdmon-json.md) into WLCG
/// "GenericFileMonitoring" records: the field set and the routing rule (VO list or path prefix) of the OSG
/// collector's WLCG converter. Unlike it, the record id is derived from the access itself (server, server start,
/// file id, close time), so a redelivered datagram gives the same id and downstream can drop the duplicate;
/// <c>end_time</c> is the close record's time rather than the collector's clock; the sigmas come from the
/// f-stream's sums of squares.
/// </summary>
public static class WlcgRecord
{
    /// <summary>The idempotent id of a summary: a UUID (version 8) from SHA-256 of sender, stod, fileid and close time.</summary>
    /// <param name="summary">A summary object.</param>
    /// <returns>The id, or null when the summary lacks its server or file id.</returns>
    public static string? RecordId(JsonElement summary)
    {
        if (!summary.TryGetProperty("server", out JsonElement server) || server.ValueKind != JsonValueKind.Object
            || !server.TryGetProperty("sender", out JsonElement sender) || sender.ValueKind != JsonValueKind.String
            || !summary.TryGetProperty("fileid", out JsonElement fileid) || fileid.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        string key = string.Join('|', sender.GetString(), Raw(server, "stod"), fileid.GetRawText(), Raw(summary, "close_time"));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(hash[..4]) + "-" + Convert.ToHexStringLower(hash[4..6]) + "-" + Convert.ToHexStringLower(hash[6..8])
            + "-" + Convert.ToHexStringLower(hash[8..10]) + "-" + Convert.ToHexStringLower(hash[10..16]);
    }

    /// <summary>The routing rule: the VO is listed, or the path starts with a listed prefix.</summary>
    /// <param name="summary">A summary object.</param>
    /// <param name="options">The lists.</param>
    /// <returns>Whether the access becomes a WLCG record.</returns>
    public static bool IsWlcg(JsonElement summary, WlcgOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Match(summary, options.Vos, options.PathPrefixes) != DropReason.None;
    }

    /// <summary>The drop filter (evaluated before the routing rule): the VO is in <see cref="WlcgOptions.DropVos"/>, or the path starts with one of <see cref="WlcgOptions.DropPathPrefixes"/>.</summary>
    /// <param name="summary">A summary object.</param>
    /// <param name="options">The lists.</param>
    /// <returns>Why the access is dropped, or <see cref="DropReason.None"/>.</returns>
    public static DropReason Drop(JsonElement summary, WlcgOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.DropVos.Count == 0 && options.DropPathPrefixes.Count == 0 ? DropReason.None : Match(summary, options.DropVos, options.DropPathPrefixes);
    }

    /// <summary>A VO listed (trimmed, case-insensitive, exact) or a path prefix listed (trimmed, ordinal); empty entries match nothing.</summary>
    private static DropReason Match(JsonElement summary, IReadOnlyList<string> vos, IReadOnlyList<string> prefixes)
    {
        string vo = Vo(Auth(summary, "o")).Trim();
        if (vo.Length > 0)
        {
            foreach (string v in vos)
            {
                if (string.Equals(v.Trim(), vo, StringComparison.OrdinalIgnoreCase))
                {
                    return DropReason.Vo;
                }
            }
        }

        string lfn = Str(summary, "lfn").Trim();
        foreach (string p in prefixes)
        {
            string prefix = p.Trim();
            if (prefix.Length > 0 && lfn.StartsWith(prefix, StringComparison.Ordinal))
            {
                return DropReason.PathPrefix;
            }
        }

        return DropReason.None;
    }

    /// <summary>Writes the WLCG record of a summary.</summary>
    /// <param name="json">Where the object goes.</param>
    /// <param name="summary">A summary object.</param>
    /// <param name="id">Its <see cref="RecordId"/>.</param>
    /// <param name="options">The metadata constants.</param>
    /// <param name="names">Reverse DNS names (null: none): the server's name becomes <c>server_host</c>, a client given as an
    /// address gets its <c>client_domain</c> from its name; an address not resolved yet is written as it is.</param>
    public static void Write(Utf8JsonWriter json, JsonElement summary, string id, WlcgOptions options, ReverseDnsCache? names = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(options);
        JsonElement server = summary.TryGetProperty("server", out JsonElement s) ? s : default;
        string site = Str(server, "site") is { Length: > 0 } st ? st : "UNKNOWN";
        string dn = Auth(summary, "n");
        int sep = dn.IndexOf("::", StringComparison.Ordinal);
        dn = sep >= 0 ? dn[..sep] : dn;
        int cn = dn.LastIndexOf("CN=", StringComparison.Ordinal);
        string clientHost = Str(summary, "client_host") is { Length: > 0 } ch ? ch : "unknown";
        string serverIp = HostOf(Str(server, "sender"));
        string serverHost = names?.TryGet(serverIp) ?? (Str(server, "host") is { Length: > 0 } sh ? sh : serverIp);
        string clientDomain = names is not null && ReverseDnsCache.Parse(clientHost) is not null
            ? Domain(names.TryGet(clientHost) ?? string.Empty)
            : Domain(clientHost);
        long read = Long(summary, "read_bytes"), readv = Long(summary, "readv_bytes"), write = Long(summary, "write_bytes");
        JsonElement ops = summary.TryGetProperty("ops", out JsonElement o) ? o : default;
        JsonElement ssq = summary.TryGetProperty("ssq", out JsonElement q) ? q : default;
        long nRead = Long(ops, "read"), nReadv = Long(ops, "readv"), nWrite = Long(ops, "write");

        json.WriteStartObject();
        json.WriteString("site_name", site);
        json.WriteBoolean("fallback", true);
        json.WriteString("user_dn", dn);
        if (cn >= 0 && cn + 3 < dn.Length)
        {
            json.WriteString("user", dn[(cn + 3)..]);
        }

        json.WriteString("client_host", clientHost);
        json.WriteString("client_domain", clientDomain);
        json.WriteString("server_host", serverHost);
        json.WriteString("server_domain", Domain(serverHost));
        json.WriteString("server_ip", serverIp);
        json.WriteString("unique_id", id);
        json.WriteString("file_lfn", Str(summary, "lfn"));
        json.WriteNumber("file_size", Long(summary, "file_size"));
        json.WriteNumber("read_bytes", read + readv);
        json.WriteNumber("read_single_bytes", read);
        json.WriteNumber("read_vector_bytes", readv);
        json.WriteBoolean("ipv6", Auth(summary, "I") == "6");
        long close = Long(summary, "close_time");
        long open = summary.TryGetProperty("open_time", out JsonElement ot) && ot.ValueKind == JsonValueKind.Number ? ot.GetInt64() : close;
        json.WriteNumber("start_time", open);
        json.WriteNumber("end_time", close);
        json.WriteNumber("operation_time", close - open);
        json.WriteString("operation", read > 0 || readv > 0 ? "read" : write > 0 ? "write" : "unknown");
        json.WriteString("server_site", site);
        OmitEmpty(json, "user_protocol", Str(Obj(summary, "user"), "prot"));
        OmitEmpty(json, "vo", Vo(Auth(summary, "o")));
        OmitEmpty(json, "experiment", Str(Obj(summary, "user"), "experiment"));
        OmitEmpty(json, "activity", Str(Obj(summary, "user"), "activity"));
        Crab(json, Str(summary, "appinfo"));
        json.WriteNumber("write_bytes", write);
        Stats(json, "read", read, nRead, Long(ops, "rd_min"), Long(ops, "rd_max"), Dbl(ssq, "read"), atClose: true);
        Stats(json, "read_single", read, nRead, Long(ops, "rd_min"), Long(ops, "rd_max"), Dbl(ssq, "read"), atClose: false);
        Stats(json, "read_vector", readv, nReadv, Long(ops, "rv_min"), Long(ops, "rv_max"), Dbl(ssq, "readv"), atClose: false);
        if (nReadv > 0)
        {
            double segs = Long(ops, "rsegs");
            json.WriteNumber("read_vector_count_average", segs / nReadv);
            OmitZero(json, "read_vector_count_max", Long(ops, "rs_max"));
            OmitZero(json, "read_vector_count_min", Long(ops, "rs_min"));
            double var = Dbl(ssq, "rsegs") / nReadv - (segs / nReadv) * (segs / nReadv);
            OmitZero(json, "read_vector_count_sigma", var > 0 ? (long)Math.Sqrt(var) : 0);
        }

        Stats(json, "write", write, nWrite, Long(ops, "wr_min"), Long(ops, "wr_max"), Dbl(ssq, "write"), atClose: true);
        json.WriteStartObject("metadata");
        json.WriteString("producer", options.Producer);
        json.WriteString("type", options.Type);
        json.WriteNumber("timestamp", close * 1000);
        json.WriteString("type_prefix", "raw");
        json.WriteString("host", options.Host);
        json.WriteString("_id", id);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// <c>CRAB_Id</c>, <c>CRAB_Workflow</c>, <c>CRAB_Retry</c> from a CRAB job's appinfo, the converter's rule: split at
    /// every <c>_</c>; exactly three parts give the id (the first), the retry (the third) and the workflow (the second
    /// part after its last <c>/</c>); each left out when empty. Any other appinfo gives none of them.
    /// </summary>
    /// <example><c>162_https://glidein.cern.ch/162/190501:101553:heewon:crab:RPCEfficiency:SingleMuon:Run2018D-PromptReco-v2_0</c>
    /// gives id <c>162</c>, workflow <c>190501:101553:heewon:crab:RPCEfficiency:SingleMuon:Run2018D-PromptReco-v2</c>, retry <c>0</c>.</example>
    internal static void Crab(Utf8JsonWriter json, string appInfo)
    {
        int first = appInfo.IndexOf('_', StringComparison.Ordinal);
        int second = first < 0 ? -1 : appInfo.IndexOf('_', first + 1);
        if (second < 0 || appInfo.IndexOf('_', second + 1) >= 0)
        {
            return;
        }

        string url = appInfo[(first + 1)..second];
        OmitEmpty(json, "CRAB_Id", appInfo[..first]);
        OmitEmpty(json, "CRAB_Retry", appInfo[(second + 1)..]);
        OmitEmpty(json, "CRAB_Workflow", url[(url.LastIndexOf('/') + 1)..]);
    }

    /// <summary><c>X_average</c>, <c>X_bytes_at_close</c>, <c>X_max</c>, <c>X_min</c>, <c>X_operations</c>, <c>X_sigma</c>, each left out when zero.</summary>
    private static void Stats(Utf8JsonWriter json, string prefix, long bytes, long n, long min, long max, double squares, bool atClose)
    {
        long avg = n > 0 ? bytes / n : 0;
        OmitZero(json, prefix + "_average", avg);
        if (atClose)
        {
            OmitZero(json, prefix + "_bytes_at_close", bytes);
        }

        OmitZero(json, prefix + "_max", max);
        OmitZero(json, prefix + "_min", n > 0 ? min : 0);
        OmitZero(json, prefix + "_operations", n);
        double mean = n > 0 ? (double)bytes / n : 0;
        double var = n > 0 ? squares / n - mean * mean : 0;
        OmitZero(json, prefix + "_sigma", var > 0 && double.IsFinite(var) ? (long)Math.Sqrt(var) : 0);
    }

    private static void OmitZero(Utf8JsonWriter json, string name, long value)
    {
        if (value != 0)
        {
            json.WriteNumber(name, value);
        }
    }

    private static void OmitEmpty(Utf8JsonWriter json, string name, string value)
    {
        if (value.Length > 0)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>The last two labels of a host name; empty for an address or a one-label name.</summary>
    internal static string Domain(string host)
    {
        if (host.Length == 0 || IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            return string.Empty;
        }

        string[] parts = host.Split('.');
        return parts.Length < 2 ? string.Empty : parts[^2] + "." + parts[^1];
    }

    /// <summary>The host of <c>HOST:PORT</c> or <c>[IPv6]:PORT</c>.</summary>
    internal static string HostOf(string remote)
    {
        if (remote.StartsWith('['))
        {
            int close = remote.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? remote[1..close] : remote;
        }

        int colon = remote.LastIndexOf(':');
        return colon > 0 && remote.IndexOf(':', StringComparison.Ordinal) == colon ? remote[..colon] : remote;
    }

    /// <summary>Duplicate whitespace-separated VO tokens (case-insensitive) collapsed, first spelling kept.</summary>
    internal static string Vo(string raw)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var kept = new List<string>();
        foreach (string t in raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (seen.Add(t))
            {
                kept.Add(t);
            }
        }

        return string.Join(' ', kept);
    }

    private static string Auth(JsonElement summary, string key) => Str(Obj(Obj(summary, "user"), "auth"), key);

    private static JsonElement Obj(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Object ? v : default;

    private static string Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

    private static long Long(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long l) ? l : 0;

    private static double Dbl(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

    private static string Raw(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) ? v.GetRawText() : string.Empty;

    /// <summary>Formats a number for a log line.</summary>
    internal static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
