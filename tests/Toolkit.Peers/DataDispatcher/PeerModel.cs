using System.Collections.Generic;

namespace Toolkit.Peers.DataDispatcher;

/// <summary>A user of the peer: digest secret per realm (hex MD5(user:realm:password)), LDAP password, DNs, admin flag.</summary>
public sealed class PeerUser
{
    public required string Name { get; init; }

    public Dictionary<string, string> DigestHa1 { get; } = new();

    public string? LdapPassword { get; set; }

    public List<string> Dns { get; } = new();

    public bool IsAdmin { get; set; }

    public List<string> Roles { get; } = new();
}

public sealed class PeerProject
{
    public long Id { get; init; }

    public required string Owner { get; init; }

    public string State { get; set; } = "active";

    public string AttributesJson { get; set; } = "{}";

    public double Created { get; init; }

    public double? Ended { get; set; }

    public string? Query { get; set; }

    public double? WorkerTimeout { get; set; }

    public double? IdleTimeout { get; set; }

    public List<string> Users { get; } = new();

    public List<string> Roles { get; } = new();

    public List<PeerHandle> Handles { get; } = new();

    public bool IsVirtual => AttributesJson.Replace(" ", "", System.StringComparison.Ordinal).Contains("\"virtual\":true", System.StringComparison.Ordinal);
}

public sealed class PeerHandle
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string State { get; set; } = "initial";

    public string? WorkerId { get; set; }

    public int Attempts { get; set; }

    public string AttributesJson { get; set; } = "{}";

    public double? ReservedSince { get; set; }

    public long Order { get; init; }

    public string Did => Namespace + ":" + Name;
}

public sealed class PeerRse
{
    public required string Name { get; init; }

    public string? Description { get; set; }

    public bool IsAvailable { get; set; } = true;

    public bool IsTape { get; set; }

    public bool IsEnabled { get; set; } = true;

    public string? PinUrl { get; set; }

    public string? PollUrl { get; set; }

    public string? RemovePrefix { get; set; }

    public string? AddPrefix { get; set; }

    public string? PinPrefix { get; set; }

    public int Preference { get; set; }

    public string Type { get; set; } = "native";
}

public sealed record PeerReplica(string Rse, string Path, string Url, bool Available = true, int Preference = 0);

/// <summary>One release the server accepted: who released what, and how.</summary>
public sealed record PeerRelease(long ProjectId, string Did, string WorkerId, string Outcome);
