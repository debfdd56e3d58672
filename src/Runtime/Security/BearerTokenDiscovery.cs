using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Toolkit.Runtime.Security;

/// <summary>
/// WLCG bearer-token discovery: <c>BEARER_TOKEN</c> (the token itself) → <c>BEARER_TOKEN_FILE</c> (a file) →
/// <c>$XDG_RUNTIME_DIR/bt_u&lt;uid&gt;</c> → <c>/tmp/bt_u&lt;uid&gt;</c>. The first that is set (or exists) wins;
/// a <c>BEARER_TOKEN_FILE</c> that names a missing file is an error.
/// </summary>
public static class BearerTokenDiscovery
{
    /// <summary>Finds the token, or returns null when none of the places has one.</summary>
    /// <param name="environment">Environment lookup; null for the process environment.</param>
    /// <param name="userId">Numeric uid; null reads it from the operating system.</param>
    /// <param name="tempDirectory">The last directory searched. Default <c>/tmp</c>.</param>
    /// <returns>The token, or null.</returns>
    /// <exception cref="CredentialException">A named file is missing, unreadable or empty.</exception>
    public static BearerToken? Find(Func<string, string?>? environment = null, long? userId = null, string tempDirectory = "/tmp")
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        string? direct = env("BEARER_TOKEN");
        if (!string.IsNullOrWhiteSpace(direct))
        {
            return new BearerToken(direct, "BEARER_TOKEN");
        }
        string? file = env("BEARER_TOKEN_FILE");
        if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file))
            {
                throw new CredentialException("BEARER_TOKEN_FILE names a file that does not exist", file);
            }
            return Read(file, "BEARER_TOKEN_FILE=" + file);
        }
        long? uid = userId ?? CurrentUser.UserId;
        if (uid is null)
        {
            return null;
        }
        string name = string.Create(CultureInfo.InvariantCulture, $"bt_u{uid}");
        string? xdg = env("XDG_RUNTIME_DIR");
        if (!string.IsNullOrWhiteSpace(xdg))
        {
            string p = Path.Combine(xdg, name);
            if (File.Exists(p))
            {
                return Read(p, p);
            }
        }
        string t = Path.Combine(tempDirectory, name);
        return File.Exists(t) ? Read(t, t) : null;
    }

    /// <summary>Like <see cref="Find"/> but throws when no token is found, listing the places tried.</summary>
    /// <param name="environment">Environment lookup; null for the process environment.</param>
    /// <param name="userId">Numeric uid; null reads it from the operating system.</param>
    /// <param name="tempDirectory">The last directory searched. Default <c>/tmp</c>.</param>
    /// <returns>The token.</returns>
    public static BearerToken Require(Func<string, string?>? environment = null, long? userId = null, string tempDirectory = "/tmp")
        => Find(environment, userId, tempDirectory)
           ?? throw new CredentialException("no bearer token found; tried BEARER_TOKEN, BEARER_TOKEN_FILE, $XDG_RUNTIME_DIR/bt_u<uid>, " + Path.Combine(tempDirectory, "bt_u<uid>"));

    private static BearerToken Read(string path, string source)
    {
        string text = SecureFile.ReadBoundedText(path, "the token file");
        return new BearerToken(text, source);
    }
}
