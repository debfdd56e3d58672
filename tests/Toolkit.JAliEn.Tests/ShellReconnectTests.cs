using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Peers.JAliEn;

namespace Toolkit.JAliEn.Tests;

/// <summary>
/// The interactive shell (the real binary, fed line by line on stdin) when its connection is lost: a cut socket is
/// reconnected transparently, a server that is down gives an error and the shell goes on, and once the server is back
/// the next command runs in the same cwd. Command mode keeps the errno exit.
/// </summary>
[Collection("jalien")]
public sealed class ShellReconnectTests(JAlienFixture fx)
{
    private const string Home = "/alice/cern.ch/user/j/jdoe/";

    [Fact]
    public async Task Interactive_shell_survives_a_cut_connection_and_a_server_restart_with_its_cwd_and_history()
    {
        var peer = await fx.StartPeerAsync(TimeSpan.FromMinutes(15));
        int port = peer.Port;
        var env = fx.NewEnvironment(peer);
        string home = env["TMPDIR"];
        env["HOME"] = home;
        env["ALIENPY_CONNECT_TRIES"] = "2";
        env["ALIENPY_CONNECT_TRIES_INTERVAL"] = "0.1";
        await using var shell = ShellProcess.Start(env);
        try
        {
            await shell.SendAsync("mkdir -p s1/s2; cd s1/s2");
            await shell.SendAsync("pwd");
            await shell.WaitForOutputAsync(Home + "s1/s2/\n");

            // The server cuts the socket: the next command reconnects, restores the cwd and runs, with no error.
            Assert.Equal(1, peer.AbortSessions());
            await shell.SendAsync("cd ..");
            await shell.SendAsync("pwd");
            await shell.WaitForOutputAsync(Home + "s1/\n");
            Assert.Equal(2, peer.SessionsOpened);
            Assert.DoesNotContain("error", shell.Error, StringComparison.Ordinal);

            // The server goes away: the command fails with a clear message and the shell keeps its prompt.
            await peer.DisposeAsync();
            await shell.SendAsync("ls");
            await shell.WaitForErrorAsync("the next command reconnects");
            Assert.Contains("could not connect to", shell.Error, StringComparison.Ordinal);
            Assert.Contains("cwd " + Home + "s1/", shell.Error, StringComparison.Ordinal);
            await shell.SendAsync("$?");
            await shell.WaitForOutputAsync("107\n");

            // The server is back (same port, the directory still there): the next pwd is in the same directory.
            peer = await fx.StartPeerAsync(TimeSpan.FromMinutes(15), port: port);
            peer.Catalogue.MakeDirectories(Home + "s1/s2/", "jdoe");
            await shell.SendAsync("pwd");
            await shell.WaitForOutputAsync(Home + "s1/\n" + "AliEn[jdoe]:" + Home + "s1/ >");
            Assert.Contains("cd " + Home + "s1/", peer.Log);
            await shell.SendAsync("exit");
            Assert.Equal(0, await shell.WaitForExitAsync());
            Assert.Equal(["mkdir -p s1/s2; cd s1/s2", "pwd", "cd ..", "pwd", "ls", "$?", "pwd", "exit"], File.ReadAllLines(Path.Combine(home, ".alienpy_history")));
        }
        finally
        {
            await peer.DisposeAsync();
        }
    }

    [Fact]
    public async Task Command_mode_and_batch_files_still_exit_with_the_errno_when_the_server_is_gone()
    {
        var peer = await fx.StartPeerAsync(TimeSpan.FromMinutes(15));
        var env = fx.NewEnvironment(peer).ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        env["HOME"] = env["TMPDIR"];
        env["ALIENPY_CONNECT_TRIES"] = "1";
        await peer.DisposeAsync();
        var r = await Toolkit.TestSupport.ToolkitCli.RunAsync(["alien", "pwd; pwd"], env);
        Assert.Equal(107, r.ExitCode);
        Assert.Contains("could not connect to", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("the next command reconnects", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_trace_names_each_phase_and_the_system_CA_store_is_left_out_but_children_keep_the_environment()
    {
        var env = fx.NewEnvironment().ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        env["HOME"] = env["TMPDIR"];
        env["TOOLKIT_TRACE_STARTUP"] = "1";
        env["SSL_CERT_DIR"] = "/no/such/system/dir";
        var r = await Toolkit.TestSupport.ToolkitCli.RunAsync(["alien"], env, stdin: "!echo \"[$SSL_CERT_DIR]\"\n");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("AliEn[jdoe]:" + Home + " >", r.Stdout, StringComparison.Ordinal);
        // The shell's own process has the system store emptied; a local command still sees the user's value.
        Assert.Contains("[/no/such/system/dir]", r.Stdout, StringComparison.Ordinal);
        string[] order = ["system CA store skipped", "endpoint 127.0.0.1", "credentials (", "CA certificates", "TLS client certificate context", "TCP connect",
            "server certificate verified", "TLS handshake and websocket upgrade", "session start (commandlist", "first prompt", "connection closed, exit"];
        int at = 0;
        foreach (var phase in order)
        {
            int next = r.Stderr.IndexOf(phase, at, StringComparison.Ordinal);
            Assert.True(next >= 0, $"no '{phase}' after offset {at} in:\n{r.Stderr}");
            at = next;
        }

        env["TOOLKIT_ALIEN_SYSTEM_CAS"] = "1";
        var kept = await Toolkit.TestSupport.ToolkitCli.RunAsync(["alien", "pwd"], env);
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Equal(Home, kept.Stdout.Trim());
        Assert.DoesNotContain("system CA store skipped", kept.Stderr, StringComparison.Ordinal);
        Assert.Contains("session start (commandlist", kept.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The binary with stdin kept open, stdout and stderr collected as they come.</summary>
    private sealed class ShellProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _out = new();
        private readonly StringBuilder _err = new();
        private readonly Task _pumps;
        private int _outMark;
        private int _errMark;

        private ShellProcess(Process process)
        {
            _process = process;
            _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, _out), PumpAsync(process.StandardError, _err));
        }

        public string Output
        {
            get
            {
                lock (_out)
                {
                    return _out.ToString();
                }
            }
        }

        public string Error
        {
            get
            {
                lock (_err)
                {
                    return _err.ToString();
                }
            }
        }

        public static ShellProcess Start(Dictionary<string, string> env)
        {
            var psi = Toolkit.TestSupport.Tool.StartInfo("dotnet", [Toolkit.TestSupport.ToolkitCli.Dll, "alien"]);
            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            foreach (var name in new[] { "JALIEN_TOKEN_CERT", "JALIEN_TOKEN_KEY", "JALIEN_HOST", "ALIENPY_NO_CWD_RESTORE" })
            {
                psi.Environment.Remove(name);
            }
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
            return new ShellProcess(Process.Start(psi)!);
        }

        /// <summary>Sends a line; the waits that follow look only at what the shell writes from now on.</summary>
        public async Task SendAsync(string line)
        {
            _outMark = Output.Length;
            _errMark = Error.Length;
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }

        public Task WaitForOutputAsync(string text) => WaitAsync(() => Output[_outMark..], text);

        public Task WaitForErrorAsync(string text) => WaitAsync(() => Error[_errMark..], text);

        public async Task<int> WaitForExitAsync()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(cts.Token);
            await _pumps;
            return _process.ExitCode;
        }

        private async Task WaitAsync(Func<string> read, string text)
        {
            var deadline = Stopwatch.StartNew();
            while (!read().Contains(text, StringComparison.Ordinal))
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(60) || _process.HasExited)
                {
                    throw new Xunit.Sdk.XunitException($"no '{text}' from the shell (exited: {_process.HasExited})\nstdout:\n{Output}\nstderr:\n{Error}");
                }
                await Task.Delay(50);
            }
        }

        private static async Task PumpAsync(StreamReader reader, StringBuilder into)
        {
            var buffer = new char[4096];
            int n;
            while ((n = await reader.ReadAsync(buffer)) > 0)
            {
                lock (into)
                {
                    into.Append(buffer, 0, n);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
    }
}
