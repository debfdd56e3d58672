using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Spectre.Console;
using Spectre.Console.Rendering;
using Toolkit.Fts3;

namespace Toolkit.Cli;

/// <summary>
/// What <c>toolkit fts status JOB --watch</c> shows on a terminal: the job id and state, a bar and counts of the files
/// by state (finished / failed / canceled / active / other of total) and a table of the files. Pure: job status in,
/// Spectre renderable out, so it can be rendered to a string in tests.
/// </summary>
internal static class FtsWatchView
{
    /// <summary>File states counted as "active": the transfer (or its staging/archiving step) is in flight.</summary>
    private static readonly HashSet<string> ActiveStates = new(StringComparer.Ordinal) { "ACTIVE", "STARTED", "STAGING", "ARCHIVING", "QOS_TRANSITION" };

    /// <summary>Counts of files by state.</summary>
    internal readonly record struct Counts(int Finished, int Failed, int Canceled, int Active, int Other)
    {
        public int Total => Finished + Failed + Canceled + Active + Other;
    }

    /// <summary>Counts the job's files by state.</summary>
    internal static Counts Count(IReadOnlyList<JobFile> files)
    {
        int finished = 0, failed = 0, canceled = 0, active = 0, other = 0;
        foreach (var f in files)
        {
            switch (f.FileState?.Value)
            {
                case "FINISHED":
                {
                    finished++;
                    break;
                }

                case "FAILED":
                {
                    failed++;
                    break;
                }

                case "CANCELED":
                {
                    canceled++;
                    break;
                }

                case { } s when ActiveStates.Contains(s):
                {
                    active++;
                    break;
                }

                default:
                {
                    other++;
                    break;
                }
            }
        }

        return new Counts(finished, failed, canceled, active, other);
    }

    /// <summary>Builds the view of one poll of the job.</summary>
    internal static IRenderable Build(Job job)
    {
        var files = job.Files ?? Array.Empty<JobFile>();
        var c = Count(files);
        var state = job.JobState?.Value ?? "?";
        var header = new Markup("[bold]Job[/] " + Markup.Escape(TerminalText.Clean(job.JobId ?? "?")) + "  [bold]" + Markup.Escape(TerminalText.Clean(state)) + "[/]");
        var summary = new Markup(string.Create(CultureInfo.InvariantCulture,
            $"finished {c.Finished} · failed {c.Failed} · canceled {c.Canceled} · active {c.Active} · other {c.Other} · total {c.Total}"));
        var rows = new List<IRenderable> { header };
        if (c.Total > 0)
        {
            rows.Add(new BreakdownChart()
                .HideTags()
                .AddItem("finished", c.Finished, Color.Green)
                .AddItem("failed", c.Failed, Color.Red)
                .AddItem("canceled", c.Canceled, Color.Yellow)
                .AddItem("active", c.Active, Color.Blue)
                .AddItem("other", c.Other, Color.Grey));
        }

        rows.Add(summary);
        if (files.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("File")
                .AddColumn("Source")
                .AddColumn("Destination")
                .AddColumn("State")
                .AddColumn(new TableColumn("Size").RightAligned())
                .AddColumn(new TableColumn("Throughput").RightAligned());
            foreach (var f in files)
            {
                var fileState = f.FileState?.Value ?? "?";
                var stateCell = f.Reason is { Length: > 0 } reason ? fileState + ": " + reason : fileState;
                table.AddRow(
                    new Text(f.FileId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty),
                    new Text(TerminalText.Clean(f.SourceSurl)),
                    new Text(TerminalText.Clean(f.DestSurl)),
                    new Text(TerminalText.Clean(stateCell), new Style(StateColor(fileState))),
                    new Text(f.Filesize is { } size ? Size(size) : string.Empty),
                    new Text(f.Throughput is { } mbps && mbps > 0 ? mbps.ToString("0.##", CultureInfo.InvariantCulture) + " MB/s" : string.Empty));
            }

            rows.Add(table);
        }

        return new Rows(rows);
    }

    /// <summary>A byte count with a binary unit, e.g. 1.5 MiB.</summary>
    internal static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
            : value.ToString("0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    private static Color StateColor(string state) => state switch
    {
        "FINISHED" => Color.Green,
        "FAILED" => Color.Red,
        "CANCELED" => Color.Yellow,
        _ when ActiveStates.Contains(state) => Color.Blue,
        _ => Color.Default,
    };
}
