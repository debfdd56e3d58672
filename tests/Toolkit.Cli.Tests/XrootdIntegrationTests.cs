using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Toolkit.Cli.Tests;

/// <summary>
/// Runs Debian's xrootd (scripts/test-packages.txt installs xrootd-server, xrootd-client and python3-xrootd) on loopback in a
/// private network namespace with full detailed monitoring pointed at <c>toolkit xrdmon listen</c>, drives known
/// traffic with xrdcp (Integration/xrootd_traffic.sh), and checks the collector's summaries and events.
/// </summary>
public class XrootdIntegrationTests
{
    [Fact]
    public async System.Threading.Tasks.Task Live_collector_summarises_real_xrootd_traffic()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"xrdmon-it-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string out_ = Path.Combine(dir, "events.jsonl");
            string toolkit = ToolkitCli.Dll;
            var psi = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string a in new[]
            {
                Path.Combine(AppContext.BaseDirectory, "Integration", "xrootd_traffic.sh"), dir,
                "dotnet", toolkit, "xrdmon", "listen", "--events", "--out", out_, "--window", "8",
            })
            {
                psi.ArgumentList.Add(a);
            }

            using Process p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEndAsync();
            using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(3));
            await p.WaitForExitAsync(timeout.Token);
            string log = await stdout + await stderr;
            Assert.True(p.ExitCode == 0, $"integration script failed ({p.ExitCode}):\n{log}");

            string[] traffic = File.ReadAllLines(Path.Combine(dir, "traffic.txt"));
            Assert.Contains("collector-exit 0", traffic);
            List<JsonElement> events = File.ReadAllLines(out_).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            var summaries = events.Where(e => e.GetProperty("event").GetString() == "summary").ToList();
            Assert.DoesNotContain(events, e => e.TryGetProperty("unresolved", out _) && e.GetProperty("event").GetString() == "summary");

            string User(JsonElement e) => e.GetProperty("user").GetProperty("name").GetString()!;
            string Lfn(JsonElement e) => e.GetProperty("lfn").GetString()!;
            long N(JsonElement e, string name) => e.GetProperty(name).GetInt64();

            // Uploads by alice: kXR_pgwrite counts a 4-byte CRC per 4 KiB page.
            foreach (string line in traffic.Where(t => t.StartsWith("upload alice ", StringComparison.Ordinal)))
            {
                string[] f = line.Split(' ');
                long size = long.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture);
                JsonElement s = Assert.Single(summaries, s => Lfn(s) == f[2] && s.GetProperty("rw").GetBoolean());
                Assert.Equal("alice", User(s));
                Assert.Equal(size + (4 * ((size + 4095) / 4096)), N(s, "write_bytes"));
                Assert.Equal(0, N(s, "read_bytes"));
                Assert.False(s.GetProperty("forced").GetBoolean());
            }

            // Downloads by bob and by four concurrent clients: exact byte counts and user names.
            var downloads = traffic.Where(t => t.StartsWith("download ", StringComparison.Ordinal)).Select(t => t.Split(' ')).ToList();
            Assert.Equal(7, downloads.Count);
            foreach (string[] d in downloads)
            {
                long size = long.Parse(d[3], System.Globalization.CultureInfo.InvariantCulture);
                JsonElement s = Assert.Single(summaries, s => Lfn(s) == d[2] && User(s) == d[1]);
                Assert.Equal(size, N(s, "read_bytes") + N(s, "readv_bytes"));
                Assert.Equal(0, N(s, "write_bytes"));
                Assert.Equal(size, N(s, "file_size"));
                Assert.Equal("127.0.0.1", s.GetProperty("client_host").GetString()!.Replace("[::ffff:", string.Empty, StringComparison.Ordinal).TrimEnd(']'));
            }

            // The failed open leaves no access, the killed client a forced close and a forced disconnect.
            Assert.DoesNotContain(summaries, s => Lfn(s) == "/it/missing");
            JsonElement killed = Assert.Single(summaries, s => User(s) == "eve");
            Assert.Equal("/it/big", Lfn(killed));
            Assert.True(killed.GetProperty("forced").GetBoolean());
            Assert.InRange(N(killed, "read_bytes"), 4096, 4096 + 16_000_000); // the read it asked for before freezing may count
            // The session's end is reported, resolved to eve. Whether xrootd flags the t-stream disconnect itself as forced
            // depends on whether its async 16 MB read was already on the wire when the client froze (under load it sometimes
            // is not, and the server then sees an idle session close); the forced close above is what xrootd always reports.
            Assert.Contains(events, e => e.GetProperty("event").GetString() == "disconnect" && e.TryGetProperty("user", out JsonElement u)
                && u.GetProperty("name").GetString() == "eve" && e.TryGetProperty("forced", out _) && e.GetProperty("duration").GetInt64() >= 0);

            // Every summary names the monitored server.
            Assert.All(summaries, s => Assert.Equal("xrootd", s.GetProperty("server").GetProperty("pgm").GetString()));
            Assert.Equal(5 + 7 + 1, summaries.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
