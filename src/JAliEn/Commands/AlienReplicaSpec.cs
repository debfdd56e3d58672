using System;
using System.Collections.Generic;
using System.Globalization;

namespace Toolkit.JAliEn;

/// <summary>
/// A storage specifier, the part after '@' in <c>lfn@disk:2,ALICE::CERN::EOS,!ALICE::FZK::SE</c>: QoS tags with a
/// replica count (<c>disk:N</c>), storage elements to use, and storage elements to avoid (<c>!SE</c>). On the wire
/// (<c>access write lfn SPEC</c>) it is the comma-joined list.
/// </summary>
public sealed class AlienReplicaSpec : IEquatable<AlienReplicaSpec>
{
    /// <summary>Creates a specifier.</summary>
    /// <param name="tags">QoS tags with counts, <c>(disk, 2)</c> for <c>disk:2</c>.</param>
    /// <param name="storageElements">SEs to write to.</param>
    /// <param name="excluded">SEs to avoid.</param>
    public AlienReplicaSpec(IReadOnlyList<KeyValuePair<string, int>> tags, IReadOnlyList<string> storageElements, IReadOnlyList<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(storageElements);
        ArgumentNullException.ThrowIfNull(excluded);
        foreach (var t in tags)
        {
            Check(t.Key, "tag");
            ArgumentOutOfRangeException.ThrowIfNegative(t.Value);
            if (t.Key.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException("the QoS tag '" + t.Key + "' holds ':'", nameof(tags));
            }
        }

        foreach (var s in storageElements)
        {
            Check(s, "storage element");
            if (s.StartsWith('!') || s.Contains(':', StringComparison.Ordinal) && !s.Contains("::", StringComparison.Ordinal))
            {
                throw new ArgumentException("'" + s + "' is not a storage element name", nameof(storageElements));
            }
        }

        foreach (var s in excluded)
        {
            Check(s, "excluded storage element");
        }

        Tags = tags;
        StorageElements = storageElements;
        Excluded = excluded;
    }

    /// <summary>QoS tags with their replica counts.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Tags { get; }

    /// <summary>SEs to write to.</summary>
    public IReadOnlyList<string> StorageElements { get; }

    /// <summary>SEs to avoid.</summary>
    public IReadOnlyList<string> Excluded { get; }

    /// <summary>A specifier of <paramref name="replicas"/> replicas on QoS <c>disk</c>.</summary>
    /// <param name="replicas">The count.</param>
    /// <returns>The specifier.</returns>
    public static AlienReplicaSpec Disk(int replicas) => new(new[] { new KeyValuePair<string, int>("disk", replicas) }, Array.Empty<string>(), Array.Empty<string>());

    /// <summary>Parses <c>disk:2,SE,!SE</c> (the text after '@').</summary>
    /// <param name="text">The specifier.</param>
    /// <returns>The parsed specifier.</returns>
    /// <exception cref="FormatException">An item is empty or a count is not a number.</exception>
    public static AlienReplicaSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tags = new List<KeyValuePair<string, int>>();
        var ses = new List<string>();
        var excluded = new List<string>();
        foreach (var raw in text.Split(','))
        {
            var item = raw.Trim();
            if (item.Length == 0)
            {
                throw new FormatException("empty item in the storage specifier '" + text + "'");
            }

            if (item[0] == '!')
            {
                excluded.Add(item.Length > 1 ? item[1..] : throw new FormatException("'!' without a storage element in '" + text + "'"));
                continue;
            }

            var colon = item.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && item.IndexOf("::", StringComparison.Ordinal) < 0)
            {
                tags.Add(new KeyValuePair<string, int>(item[..colon], int.TryParse(item.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? n
                    : throw new FormatException("the replica count in '" + item + "' is not a number")));
                continue;
            }

            ses.Add(item);
        }

        return new AlienReplicaSpec(tags, ses, excluded);
    }

    /// <summary>Splits <c>path@spec</c> at its last '@' (grid paths may hold '@' only before the spec).</summary>
    /// <param name="pathWithSpec">The path, maybe with a specifier.</param>
    /// <param name="path">The path.</param>
    /// <param name="spec">The specifier, or null.</param>
    public static void Split(string pathWithSpec, out string path, out AlienReplicaSpec? spec)
    {
        ArgumentNullException.ThrowIfNull(pathWithSpec);
        var at = pathWithSpec.LastIndexOf('@');
        if (at < 0 || at == pathWithSpec.Length - 1 || pathWithSpec.IndexOf('/', at) >= 0)
        {
            path = pathWithSpec;
            spec = null;
            return;
        }

        path = pathWithSpec[..at];
        spec = Parse(pathWithSpec[(at + 1)..]);
    }

    /// <summary>The wire form: tags, SEs, then excluded SEs, comma-joined.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var items = new List<string>();
        foreach (var t in Tags)
        {
            items.Add(t.Key + ":" + t.Value.ToString(CultureInfo.InvariantCulture));
        }

        items.AddRange(StorageElements);
        foreach (var e in Excluded)
        {
            items.Add("!" + e);
        }

        return string.Join(',', items);
    }

    /// <inheritdoc/>
    public bool Equals(AlienReplicaSpec? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AlienReplicaSpec);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    private static void Check(string item, string what)
    {
        if (string.IsNullOrWhiteSpace(item) || item.Contains(',', StringComparison.Ordinal) || item.Contains('@', StringComparison.Ordinal) || item.StartsWith('!') && what != "excluded storage element" || item.Trim() != item)
        {
            throw new ArgumentException("'" + item + "' is not a valid " + what + " in a storage specifier");
        }

        if (what == "excluded storage element" && item.StartsWith('!'))
        {
            throw new ArgumentException("'" + item + "' starts with '!' (give the SE name only)");
        }
    }
}
