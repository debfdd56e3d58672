using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Toolkit.Peers.JAliEn;

/// <summary>One job of the peer's task queue.</summary>
public sealed class JAlienJob
{
    public required long Id { get; init; }

    public required string Owner { get; init; }

    public required string Name { get; init; }

    /// <summary>The master job (0 for none).</summary>
    public long Split { get; init; }

    public int Priority { get; set; } = 50;

    public string Status { get; set; } = "WAITING";

    public string Site { get; set; } = string.Empty;

    public string Node { get; set; } = string.Empty;

    public string Jdl { get; init; } = string.Empty;

    /// <summary>The trace log ("TIME [state     ]: ..." lines), empty when the job has none.</summary>
    public List<string> Trace { get; } = [];
}

/// <summary>The peer's task queue (in memory) and its quotas.</summary>
public sealed class JAlienJobs
{
    private readonly List<JAlienJob> _jobs = [];
    private readonly Lock _lock = new();
    private long _next = 3_000_000_000;

    /// <summary>The most unfinished jobs per user (jquota's maxUnfinishedJobs).</summary>
    public long MaxUnfinishedJobs { get; set; } = 1000;

    /// <summary>The most files per user (fquota's maxNbFiles).</summary>
    public long MaxFiles { get; set; } = 100_000;

    /// <summary>The most bytes per user (fquota's maxTotalSize).</summary>
    public long MaxTotalSize { get; set; } = 10L << 30;

    public JAlienJob Add(string owner, string name, string jdl, long split = 0, string status = "WAITING")
    {
        lock (_lock)
        {
            var job = new JAlienJob { Id = ++_next, Owner = owner, Name = name, Jdl = jdl, Split = split, Status = status };
            job.Trace.Add(Stamp() + " [state     ]: Job state transition to " + status);
            _jobs.Add(job);
            return job;
        }
    }

    public JAlienJob? Get(long id)
    {
        lock (_lock)
        {
            return _jobs.FirstOrDefault(j => j.Id == id);
        }
    }

    public List<JAlienJob> All()
    {
        lock (_lock)
        {
            return [.. _jobs];
        }
    }

    public static string Stamp() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Job states that are still running or queued (not final).</summary>
    public static bool IsActive(string status) => status is "INSERTING" or "WAITING" or "ASSIGNED" or "STARTED" or "RUNNING" or "SAVING" or "SPLITTING" or "OVER_WAITING";

    public static bool IsError(string status) => status.StartsWith("ERROR_", StringComparison.Ordinal) || status is "FAILED" or "EXPIRED" or "ZOMBIE";
}
