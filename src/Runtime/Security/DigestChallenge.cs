using System;
using System.Collections.Generic;
using System.Text;

namespace Toolkit.Runtime.Security;

/// <summary>A parsed <c>WWW-Authenticate: Digest …</c> challenge (RFC 7616 / RFC 2617).</summary>
public sealed class DigestChallenge
{
    private DigestChallenge(IReadOnlyDictionary<string, string> parameters)
    {
        Parameters = parameters;
    }

    /// <summary>All parameters, keys lower-case, values unquoted.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The realm.</summary>
    public string Realm => Parameters.TryGetValue("realm", out var v) ? v : "";

    /// <summary>The server nonce.</summary>
    public string Nonce => Parameters.TryGetValue("nonce", out var v) ? v : "";

    /// <summary>The opaque value to echo, or null.</summary>
    public string? Opaque => Parameters.TryGetValue("opaque", out var v) ? v : null;

    /// <summary>The algorithm (default <c>MD5</c>).</summary>
    public string Algorithm => Parameters.TryGetValue("algorithm", out var v) ? v : "MD5";

    /// <summary>The offered qop values (e.g. <c>auth</c>), empty for an RFC 2069 challenge.</summary>
    public IReadOnlyList<string> Qop => Parameters.TryGetValue("qop", out var v)
        ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        : [];

    /// <summary>True when the server says the previous nonce was stale (retry with the new one, same credentials).</summary>
    public bool Stale => Parameters.TryGetValue("stale", out var v) && v.Equals("true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses the parameter part of a Digest challenge (the text after <c>Digest </c>).</summary>
    /// <param name="parameters">For example <c>realm="x", nonce="y", qop="auth"</c>.</param>
    /// <param name="challenge">The challenge when it has a nonce.</param>
    /// <returns>Whether it parsed.</returns>
    public static bool TryParse(string? parameters, out DigestChallenge? challenge)
    {
        challenge = null;
        if (parameters is null)
        {
            return false;
        }
        var dict = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < parameters.Length)
        {
            while (i < parameters.Length && (parameters[i] == ',' || char.IsWhiteSpace(parameters[i])))
            {
                i++;
            }
            int keyStart = i;
            while (i < parameters.Length && parameters[i] != '=' && parameters[i] != ',')
            {
                i++;
            }
            string key = parameters[keyStart..i].Trim().ToLowerInvariant();
            if (i >= parameters.Length || parameters[i] != '=')
            {
                if (key.Length > 0)
                {
                    return false;
                }
                continue;
            }
            i++;
            while (i < parameters.Length && char.IsWhiteSpace(parameters[i]))
            {
                i++;
            }
            var value = new StringBuilder();
            if (i < parameters.Length && parameters[i] == '"')
            {
                i++;
                while (i < parameters.Length && parameters[i] != '"')
                {
                    if (parameters[i] == '\\' && i + 1 < parameters.Length)
                    {
                        i++;
                    }
                    value.Append(parameters[i]);
                    i++;
                }
                if (i >= parameters.Length)
                {
                    return false; // unterminated quoted string
                }
                i++;
            }
            else
            {
                while (i < parameters.Length && parameters[i] != ',')
                {
                    value.Append(parameters[i]);
                    i++;
                }
            }
            if (key.Length > 0)
            {
                dict[key] = value.ToString().Trim();
            }
        }
        if (!dict.ContainsKey("nonce"))
        {
            return false;
        }
        challenge = new DigestChallenge(dict);
        return true;
    }
}
