using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace Toolkit.JAliEn.Transfer;

/// <summary>
/// The one-line progress of a cp on a terminal: files done of planned, bytes, failures and the last file. Safe to
/// call from the parallel transfers; each call returns the text of the line to draw over the previous one.
/// </summary>
public sealed class AlienCopyProgress
{
    private readonly Lock _lock = new();
    private int _planned, _done, _failed;
    private long _plannedBytes, _doneBytes;

    /// <summary>Adds planned files (call once per source).</summary>
    /// <param name="items">The planned items.</param>
    public void Plan(IReadOnlyList<AlienCopyItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        lock (_lock)
        {
            _planned += items.Count;
            foreach (var item in items)
            {
                _plannedBytes += item.Size;
            }
        }
    }

    /// <summary>Counts a finished file and returns the new line (without a line end).</summary>
    /// <param name="item">The file.</param>
    /// <param name="width">The terminal width; the line is cut to fit.</param>
    /// <returns>The line.</returns>
    public string Done(AlienCopyItem item, int width = 80)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock)
        {
            _done++;
            _doneBytes += item.Status == AlienCopyStatus.Failed ? 0 : item.Size;
            _failed += item.Status == AlienCopyStatus.Failed ? 1 : 0;
            string name = item.Source[(item.Source.LastIndexOf('/') + 1)..];
            string line = string.Create(CultureInfo.InvariantCulture,
                $"[{_done}/{Math.Max(_done, _planned)}] {Bytes(_doneBytes)}/{Bytes(Math.Max(_doneBytes, _plannedBytes))}{(_failed > 0 ? ", " + _failed.ToString(CultureInfo.InvariantCulture) + " failed" : string.Empty)} {item.Status.ToString().ToLowerInvariant()} {name}");
            return line.Length > Math.Max(20, width - 1) ? line[..(Math.Max(20, width - 1) - 1)] + "…" : line;
        }
    }

    private static string Bytes(long n) => n switch
    {
        < 1024 => n.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (n / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (n / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (n / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
    };
}
