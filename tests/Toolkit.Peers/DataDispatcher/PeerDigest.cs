using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Toolkit.Peers.DataDispatcher;

/// <summary>The server side of RFC 2617 Digest as MetaCat does it: qop=auth mandatory, stored HA1, stateless nonce.</summary>
public static partial class PeerDigest
{
#pragma warning disable CA5351 // RFC 2617 Digest is defined with MD5.
    public static string Md5Hex(string s) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(s)));
#pragma warning restore CA5351

    public static string Ha1(string user, string realm, string password) => Md5Hex(user + ":" + realm + ":" + password);

    public static Dictionary<string, string> ParseHeader(string parameters)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in Pair().Matches(parameters))
        {
            d[m.Groups["k"].Value] = m.Groups["q"].Success ? m.Groups["q"].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : m.Groups["t"].Value;
        }

        return d;
    }

    /// <summary>The expected response for the header's fields and the stored HA1, or null when a field is missing or qop is not auth.</summary>
    public static string? Expected(IReadOnlyDictionary<string, string> f, string ha1, string method)
    {
        if (!f.TryGetValue("nonce", out var nonce) || !f.TryGetValue("uri", out var uri) || !f.TryGetValue("nc", out var nc)
            || !f.TryGetValue("cnonce", out var cnonce) || !f.TryGetValue("qop", out var qop) || qop != "auth")
        {
            return null;
        }

        return Md5Hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + Md5Hex(method + ":" + uri));
    }

    [GeneratedRegex("(?<k>[A-Za-z0-9_-]+)\\s*=\\s*(?:\"(?<q>(?:[^\"\\\\]|\\\\.)*)\"|(?<t>[^,\\s]+))")]
    private static partial Regex Pair();
}
