using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace Toolkit.Peers.Unicore;

public sealed partial class UnicorePeer
{
    /// <summary>A job of the local TSI: a /bin/sh process in the job's directory, stdout and stderr in files there.</summary>
    internal sealed class PeerJob(string id, string owner, string jobsRoot, JsonObject description, string command)
    {
        private readonly object _lock = new();
        private Process? _process;
        private bool _aborted;

        public string Id => id;

        public string Owner => owner;

        public string Dir { get; } = Path.Combine(jobsRoot, id);

        public DateTimeOffset Created { get; } = DateTimeOffset.Now;

        public DateTimeOffset? Terminated { get; private set; }

        public string Status { get; private set; } = "QUEUED";

        public string StatusMessage { get; private set; } = string.Empty;

        public int? ExitCode { get; private set; }

        public int Pid { get; private set; }

        public List<string> Log { get; } = new();

        public IReadOnlyList<string> Tags { get; } = description[nameof(Tags)] is JsonArray t ? t.Select(x => x?.GetValue<string>() ?? string.Empty).ToList() : new List<string>();

        public bool IsFinal => Status is "SUCCESSFUL" or "FAILED";

        /// <summary>Completes when the current run has ended.</summary>
        public Task Finished { get; private set; } = Task.CompletedTask;

        public void Set(string status, string message)
        {
            lock (_lock)
            {
                Status = status;
                StatusMessage = message;
                Log.Add(Time(DateTimeOffset.Now) + " " + status + (message.Length > 0 ? ": " + message : string.Empty));
            }
        }

        public void Start()
        {
            lock (_lock)
            {
                _aborted = false;
                ExitCode = null;
                Terminated = null;
            }

            var script = new StringBuilder();
            if (description["Environment"] is JsonArray env)
            {
                foreach (var e in env)
                {
                    var kv = e?.GetValue<string>() ?? string.Empty;
                    int eq = kv.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new HttpError(400, "Invalid job description: Environment entry '" + kv + "' is not NAME=VALUE");
                    }

                    script.Append("export ").Append(kv[..eq]).Append("='").Append(kv[(eq + 1)..].Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
                }
            }

            script.Append('(').Append(command).Append(") > stdout 2> stderr");
            if (Str(description, "Stdin") is { } stdin)
            {
                script.Append(" < '").Append(stdin.Replace("'", "'\\''", StringComparison.Ordinal)).Append('\'');
            }

            var psi = new ProcessStartInfo("/bin/sh") { WorkingDirectory = Dir, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(script.ToString());
            Set("RUNNING", string.Empty);
            var process = Process.Start(psi)!;
            lock (_lock)
            {
                _process = process;
                Pid = process.Id;
            }

            Finished = Task.Run(async () =>
            {
                await process.WaitForExitAsync();
                lock (_lock)
                {
                    ExitCode = process.ExitCode;
                    Terminated = DateTimeOffset.Now;
                    _process = null;
                }

                process.Dispose();
                if (_aborted)
                {
                    Set("FAILED", "Job was aborted by the user");
                }
                else
                {
                    // As UNICORE: the job succeeded as far as UNICORE is concerned; the exit code tells the rest.
                    Set("SUCCESSFUL", ExitCode == 0 ? string.Empty : "Exit code " + ExitCode);
                }
            });
        }

        public void Abort()
        {
            lock (_lock)
            {
                if (IsFinal)
                {
                    return;
                }

                _aborted = true;
                if (_process is null)
                {
                    Status = "FAILED";
                    StatusMessage = "Job was aborted by the user";
                    return;
                }
            }

            Kill();
        }

        public void Kill()
        {
            Process? p;
            lock (_lock)
            {
                p = _process;
            }

            try
            {
                p?.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }

        public JsonObject Properties(UnicorePeer peer)
        {
            lock (_lock)
            {
                var self = peer.U("jobs/" + Id);
                var props = new JsonObject
                {
                    ["status"] = Status,
                    ["statusMessage"] = StatusMessage,
                    ["name"] = Str(description, "Name") ?? "UNICORE_Job",
                    ["owner"] = "UID=" + Owner,
                    ["queue"] = "local",
                    ["submissionTime"] = Time(Created),
                    ["currentTime"] = Time(DateTimeOffset.Now),
                    ["log"] = new JsonArray(Log.Select(l => (JsonNode?)l).ToArray()),
                    ["tags"] = new JsonArray(Tags.Select(l => (JsonNode?)l).ToArray()),
                    ["acl"] = new JsonArray(),
                    ["_links"] = Links(("self", self), ("action:start", self + "/actions/start"), ("action:abort", self + "/actions/abort"),
                        ("action:restart", self + "/actions/restart"), ("workingDirectory", peer.U("storages/" + Id + "-uspace")), ("details", self + "/details")),
                };
                if (ExitCode is { } code)
                {
                    props["exitCode"] = code.ToString(CultureInfo.InvariantCulture);
                }

                if (Terminated is { } t)
                {
                    props["terminationTime"] = Time(t);
                }

                return props;
            }
        }
    }
}
