using System;
using System.Collections.Generic;
using System.Linq;

namespace Toolkit.Unicore;

/// <summary>Builds the models <see cref="UnicoreClient"/> returns, for test doubles (the Azure SDK's model factory).</summary>
public static class UnicoreModelFactory
{
    /// <summary>A site's information for the client <paramref name="dn"/> with the role <paramref name="role"/>.</summary>
    /// <param name="dn">The client's DN (null for anonymous).</param>
    /// <param name="role">The selected role.</param>
    /// <param name="uid">The selected Unix login.</param>
    /// <param name="links">Relation → URL.</param>
    /// <returns>The model.</returns>
    public static SiteInfo SiteInfo(string? dn = "CN=Demo User, O=UNICORE, C=EU", string role = "user", string? uid = null, IReadOnlyDictionary<string, string>? links = null) => new()
    {
        Client = new ClientInfo { Dn = dn, Role = new RoleInfo { Selected = role, AvailableRoles = [role] }, Xlogin = uid is null ? null : new XloginInfo { Uid = uid, AvailableUiDs = [uid] } },
        Links = Links(links),
    };

    /// <summary>A job's properties.</summary>
    /// <param name="status">The status.</param>
    /// <param name="name">The job name.</param>
    /// <param name="statusMessage">The status message.</param>
    /// <param name="tags">The tags.</param>
    /// <param name="links">Relation → URL.</param>
    /// <returns>The model.</returns>
    public static JobProperties JobProperties(JobStatus status, string? name = null, string? statusMessage = null, IReadOnlyList<string>? tags = null, IReadOnlyDictionary<string, string>? links = null) => new()
    {
        Status = status,
        Name = name,
        StatusMessage = statusMessage,
        Tags = tags,
        Links = Links(links),
    };

    /// <summary>A file's properties; <paramref name="content"/> makes it a directory.</summary>
    /// <param name="size">The size in bytes.</param>
    /// <param name="content">Directory entries (absolute path → properties), or null for a file.</param>
    /// <param name="permissions">The permissions (rwx...).</param>
    /// <returns>The model.</returns>
    public static FileInfo FileInfo(long size = 0, IReadOnlyDictionary<string, FileInfo>? content = null, string permissions = "rw-") => new()
    {
        IsDirectory = content is not null,
        Size = size,
        Permissions = permissions,
        Content = content,
    };

    private static Dictionary<string, Link>? Links(IReadOnlyDictionary<string, string>? links) =>
        links?.ToDictionary(kv => kv.Key, kv => new Link { Href = kv.Value }, StringComparer.Ordinal);
}
