using System.IO;
using System.Text;
using Spectre.Console;
using Toolkit.Cli;
using Toolkit.Fts3;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.Cli.Tests.Fts3;

/// <summary>The live view of <c>toolkit fts status --watch</c> (src/Cli/Commands/Fts3/FtsWatchView.cs), rendered without a terminal.</summary>
public sealed class WatchViewTests
{
    private static Job Parse(string json) => ApiJson.Parse<Job>(Encoding.UTF8.GetBytes(json));

    private static string Render(Job job)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 200;
        console.Write(FtsWatchView.Build(job));
        return text.ToString();
    }

    [Fact]
    public void Mixed_file_states_are_counted_and_listed()
    {
        var job = Parse("""
            {"job_id": "7c3e2a4e-0000-4000-8000-000000000001", "job_state": "ACTIVE", "files": [
              {"file_id": 11, "file_state": "FINISHED", "source_surl": "https://a.example.org/1", "dest_surl": "https://b.example.org/1", "filesize": 1572864, "throughput": 12.5},
              {"file_id": 12, "file_state": "FAILED", "source_surl": "https://a.example.org/2", "dest_surl": "https://b.example.org/2", "reason": "No such file"},
              {"file_id": 13, "file_state": "CANCELED", "source_surl": "https://a.example.org/3", "dest_surl": "https://b.example.org/3"},
              {"file_id": 14, "file_state": "ACTIVE", "source_surl": "https://a.example.org/4", "dest_surl": "https://b.example.org/4", "filesize": 512},
              {"file_id": 15, "file_state": "STAGING", "source_surl": "https://a.example.org/5", "dest_surl": "https://b.example.org/5"},
              {"file_id": 16, "file_state": "SUBMITTED", "source_surl": "https://a.example.org/6", "dest_surl": "https://b.example.org/6"},
              {"file_id": 17, "file_state": "ON_HOLD", "source_surl": "https://a.example.org/7", "dest_surl": "https://b.example.org/7"}
            ]}
            """);

        Assert.Equal(new FtsWatchView.Counts(1, 1, 1, 2, 2), FtsWatchView.Count(job.Files!));
        var text = Render(job);
        Assert.Contains("Job 7c3e2a4e-0000-4000-8000-000000000001  ACTIVE", text);
        Assert.Contains("finished 1 · failed 1 · canceled 1 · active 2 · other 2 · total 7", text);
        Assert.Matches(@"│\s*11\s*│\s*https://a\.example\.org/1\s*│\s*https://b\.example\.org/1\s*│\s*FINISHED\s*│\s*1\.5 MiB\s*│\s*12\.5 MB/s\s*│", text);
        Assert.Matches(@"│\s*12\s*│\s*https://a\.example\.org/2\s*│\s*https://b\.example\.org/2\s*│\s*FAILED: No such file\s*│", text);
        Assert.Matches(@"│\s*14\s*│.*│\s*ACTIVE\s*│\s*512 B\s*│", text);
        foreach (var state in new[] { "CANCELED", "STAGING", "SUBMITTED", "ON_HOLD" })
        {
            Assert.Contains(state, text);
        }
    }

    [Fact]
    public void A_job_without_files_shows_state_and_zero_counts()
    {
        var text = Render(Parse("""{"job_id": "j1", "job_state": "SUBMITTED"}"""));
        Assert.Contains("Job j1  SUBMITTED", text);
        Assert.Contains("total 0", text);
        Assert.DoesNotContain("│", text);
    }

    [Fact]
    public void Sizes_use_binary_units()
    {
        Assert.Equal("0 B", FtsWatchView.Size(0));
        Assert.Equal("1023 B", FtsWatchView.Size(1023));
        Assert.Equal("1 KiB", FtsWatchView.Size(1024));
        Assert.Equal("2.5 GiB", FtsWatchView.Size(5L * 1024 * 1024 * 512));
    }
}
