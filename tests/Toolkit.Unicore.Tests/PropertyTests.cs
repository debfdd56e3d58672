using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.Runtime.Json;

namespace Toolkit.Unicore.Tests;

/// <summary>Properties of the job description's wire form.</summary>
public sealed class PropertyTests
{
    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool A_job_description_survives_a_round_trip(NonNull<string> exe, string[] args, string[] env, string? jobType)
    {
        var job = new JobDescription
        {
            Executable = exe.Get,
            Arguments = args.Where(a => a is not null).ToArray(),
            Environment = env.Where(a => a is not null).Select(e => "K=" + e).ToArray(),
            JobType = jobType,
        };
        var bytes = ApiJson.Serialize(job);
        var back = ApiJson.Parse<JobDescription>(bytes);
        return back.Executable == job.Executable && back.Arguments!.SequenceEqual(job.Arguments) && back.Environment!.SequenceEqual(job.Environment)
            && back.JobType == job.JobType && ApiJson.Serialize(back).AsSpan().SequenceEqual(bytes);
    }
}
