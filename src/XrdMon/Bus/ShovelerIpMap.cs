using System;
using System.Collections.Generic;
using System.Net;

namespace Toolkit.XrdMon.Bus;

/// <summary>
/// The shoveler's IP mapping, applied to the sender address before it is written as <c>remote</c>: when
/// <see cref="MapAll"/> is set every sender becomes that text; otherwise an address found in the map is replaced by
/// its value and any other address is kept. The port is never mapped. Typical use: a server behind NAT, or a
/// container whose source address is private, reported as its public address.
/// </summary>
public sealed class ShovelerIpMap
{
    private readonly Dictionary<string, string> _map = new(StringComparer.Ordinal);

    /// <summary>When set, every sender address is replaced by this text.</summary>
    public string? MapAll { get; init; }

    /// <summary>Entries: address text (as <see cref="ShovelerMessage.AddressText"/> writes it) to replacement.</summary>
    public int Count => _map.Count;

    /// <summary>Adds one entry.</summary>
    /// <param name="from">The address as seen.</param>
    /// <param name="to">What to report instead.</param>
    public void Add(IPAddress from, string to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentException.ThrowIfNullOrEmpty(to);
        _map[ShovelerMessage.AddressText(from)] = to;
    }

    /// <summary>Parses <c>FROM=TO</c> (an entry) or <c>*=TO</c> (map all).</summary>
    /// <param name="entries">The entries.</param>
    /// <returns>The map.</returns>
    /// <exception cref="FormatException">An entry is not <c>ADDRESS=TEXT</c>.</exception>
    public static ShovelerIpMap Parse(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        string? all = null;
        var pairs = new List<(IPAddress, string)>();
        foreach (string e in entries)
        {
            int eq = e.IndexOf('=', StringComparison.Ordinal);
            string from = eq > 0 ? e[..eq].Trim() : string.Empty;
            string to = eq > 0 ? e[(eq + 1)..].Trim() : string.Empty;
            if (to.Length == 0)
            {
                throw new FormatException($"--ip-map '{e}': expected ADDRESS=REPLACEMENT or *=REPLACEMENT");
            }

            if (from == "*")
            {
                all = to;
            }
            else if (IPAddress.TryParse(from.Trim('[', ']'), out IPAddress? a))
            {
                pairs.Add((a, to));
            }
            else
            {
                throw new FormatException($"--ip-map '{e}': '{from}' is not an IP address");
            }
        }

        var map = new ShovelerIpMap { MapAll = all };
        foreach ((IPAddress a, string to) in pairs)
        {
            map.Add(a, to);
        }

        return map;
    }

    /// <summary>The host text to report for <paramref name="address"/>.</summary>
    /// <param name="address">The sender address.</param>
    /// <returns>The mapped or original address text.</returns>
    public string Map(IPAddress address)
    {
        if (MapAll is not null)
        {
            return MapAll;
        }

        string text = ShovelerMessage.AddressText(address);
        return _map.Count > 0 && _map.TryGetValue(text, out string? to) ? to : text;
    }
}
