using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;

namespace Toolkit.Peers.JAliEn;

internal sealed partial class JAlienSession
{
    /// <summary>
    /// <c>access [-s size] [-m md5] [-f] [-u] read|write lfn [disk:N,SE,!SE]</c>: one row per replica with the URL on
    /// the SE's real xrootd and an opaque envelope (a plain xrootd does not check it).
    /// </summary>
    private JAlienReply Access(List<string> args)
    {
        var (flags, pos) = Split(args, "-s", "-m", "-j");
        if (pos.Count < 2 || pos[0] is not ("read" or "write"))
        {
            return new JAlienReply().Fail(EINVAL, "usage: access [options] read|write <lfn> [<specs>]");
        }
        string lfn = Abs(pos[1]);
        var specs = string.Join(',', pos.Skip(2)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var excluded = specs.Where(s => s.StartsWith('!')).Select(s => s[1..]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var reply = new JAlienReply();
        if (pos[0] == "read")
        {
            if (Catalogue.Get(lfn) is not { IsDirectory: false } file)
            {
                return reply.Fail(ENOENT, "No such file: " + pos[1]);
            }
            var replicas = file.Replicas.Where(r => !excluded.Contains(r.Key)).ToList();
            if (replicas.Count == 0)
            {
                return reply.Fail(EIO, "No replica of " + file.Path + " is available");
            }
            foreach (var (se, pfn) in replicas)
            {
                reply.Row(string.Empty, ("url", pfn), ("envelope", NewEnvelope()), ("se", se), ("guid", file.Guid.ToString()), ("md5", file.Md5),
                    ("size", file.Size.ToString(CultureInfo.InvariantCulture)), ("nSEs", replicas.Count.ToString(CultureInfo.InvariantCulture)), ("tags", "disk"));
            }
            return reply;
        }
        if (!long.TryParse(Value(flags, "-s"), NumberStyles.None, CultureInfo.InvariantCulture, out long size))
        {
            return reply.Fail(EINVAL, "access write needs the size (-s)");
        }
        string md5 = Value(flags, "-m") ?? string.Empty;
        string parent = lfn[..(lfn.LastIndexOf('/') + 1)];
        if (Catalogue.Get(parent) is not { IsDirectory: true })
        {
            return reply.Fail(ENOENT, "Parent directory does not exist: " + parent);
        }
        if (!lfn.StartsWith(Home, StringComparison.Ordinal) && !lfn.StartsWith("/tmp/", StringComparison.Ordinal))
        {
            return reply.Fail(EPERM, "Permission denied: " + lfn);
        }
        Guid guid;
        if (Catalogue.Get(lfn) is { } existing)
        {
            if (existing.IsDirectory || existing.Size != size || (md5.Length > 0 && existing.Md5 != md5))
            {
                return reply.Fail(EEXIST, "File already exists: " + lfn);
            }
            guid = existing.Guid;
            excluded.UnionWith(existing.Replicas.Keys);
        }
        else
        {
            guid = peer.Envelopes.Values.FirstOrDefault(v => v.Lfn == lfn).Guid is var g && g != Guid.Empty ? g : Guid.NewGuid();
        }
        int wanted = specs.Where(s => s.StartsWith("disk:", StringComparison.OrdinalIgnoreCase) && !s.Contains("::", StringComparison.Ordinal))
            .Select(s => int.TryParse(s[5..], CultureInfo.InvariantCulture, out int n) ? n : 0).DefaultIfEmpty(0).Sum();
        // SE names hold "::" (ALICE::CERN::EOS); a QoS tag is "name:N".
        var named = specs.Where(s => !s.StartsWith('!') && peer.Options.StorageElements.ContainsKey(s)).ToList();
        if (wanted == 0 && named.Count == 0)
        {
            wanted = 1;
        }
        var chosen = named.Where(s => !excluded.Contains(s)).ToList();
        chosen.AddRange(peer.Options.StorageElements.Keys.Where(s => !excluded.Contains(s) && !chosen.Contains(s)).Take(wanted));
        if (chosen.Count == 0)
        {
            return reply.Fail(EIO, "No storage element is available for " + lfn + " (all excluded or none configured)");
        }
        string g36 = guid.ToString();
        foreach (var se in chosen)
        {
            string pfn = peer.Options.StorageElements[se].TrimEnd('/') + "/" + g36[..2] + "/" + g36;
            string envelope = NewEnvelope();
            peer.Envelopes[envelope] = (lfn, guid, se, pfn, size, md5);
            reply.Row(string.Empty, ("url", pfn), ("envelope", envelope), ("se", se), ("guid", g36), ("md5", md5),
                ("size", size.ToString(CultureInfo.InvariantCulture)), ("nSEs", chosen.Count.ToString(CultureInfo.InvariantCulture)), ("tags", "disk"));
        }
        return reply;
    }

    private static string NewEnvelope() =>
        "-----BEGIN SEALED CIPHER-----\n" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)) + "\n-----END SEALED ENVELOPE-----\n";

    /// <summary><c>commit envelope size lfn perm expire pfn se guid md5</c>: registers the replica written with an envelope from <c>access write</c>.</summary>
    private JAlienReply Commit(List<string> args)
    {
        if (args.Count < 9)
        {
            return new JAlienReply().Fail(EINVAL, "usage: commit <envelope> <size> <lfn> <perm> <expire> <pfn> <se> <guid> <md5>");
        }
        if (!peer.Envelopes.TryRemove(args[0], out var issued))
        {
            return new JAlienReply().Fail(EINVAL, "The envelope was not issued by this service (or was already used)");
        }
        string lfn = Abs(args[2]);
        if (lfn != issued.Lfn || args[5] != issued.Pfn || args[6] != issued.Se
            || !long.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size) || size != issued.Size)
        {
            return new JAlienReply().Fail(EINVAL, "The commit does not match its envelope (lfn, size, pfn or SE differ)");
        }
        var entry = Catalogue.Get(lfn);
        if (entry is null)
        {
            entry = new JAlienEntry { Path = lfn, Owner = user, Group = user, Permissions = args[3], Size = size, Md5 = args[8], Guid = issued.Guid };
            Catalogue.Add(entry);
            entry = Catalogue.Get(lfn)!;
        }
        lock (Catalogue.SyncRoot)
        {
            entry.Replicas[issued.Se] = issued.Pfn;
        }
        return new JAlienReply().Row(lfn, ("path", lfn), ("lfn", "1"), ("pfn", issued.Pfn));
    }
}
