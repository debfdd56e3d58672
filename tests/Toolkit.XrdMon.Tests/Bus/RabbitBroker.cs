using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Toolkit.XrdMon.Bus;

namespace Toolkit.XrdMon.Tests.Bus;

/// <summary>
/// A private Debian <c>rabbitmq-server</c> for the tests: its own node name, free ports (AMQP, distribution, epmd),
/// data and log directories under a temporary directory, the consistent-hash exchange and STOMP plugins enabled, bound to
/// 127.0.0.1. The tests own its lifecycle: <see cref="Kill"/> is a crash (SIGKILL of the whole process tree),
/// <see cref="Start"/> starts it again on the same data (durable queues and persistent messages survive).
/// <see cref="Dispose"/> kills the broker and its own epmd and deletes the directory, also when a test failed;
/// a process-exit hook does the same if the test host ends first.
/// </summary>
public sealed class RabbitBroker : IDisposable
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private readonly string _dir;
    private readonly int _distPort;
    private readonly int _epmdPort;
    private Process? _broker;
    private Process? _epmd;

    public RabbitBroker()
    {
        if (!File.Exists(Server))
        {
            throw new InvalidOperationException("rabbitmq-server is not installed (scripts/test-packages.txt lists it; apt-get install -y rabbitmq-server)");
        }

        _dir = Directory.CreateTempSubdirectory("toolkit-rabbit-").FullName;
        Port = FreePort();
        _distPort = FreePort();
        _epmdPort = FreePort();
        StompPort = FreePort();
        File.WriteAllText(Path.Combine(_dir, "enabled_plugins"), "[rabbitmq_consistent_hash_exchange,rabbitmq_stomp].\n");
        File.WriteAllText(Path.Combine(_dir, "rabbitmq.conf"),
            $"listeners.tcp.default = 127.0.0.1:{Port}\nloopback_users = none\ndefault_user = tk\ndefault_pass = {Password}\nlog.console = false\nlog.file.level = warning\n"
            + $"stomp.listeners.tcp.1 = 127.0.0.1:{StompPort}\n");
        AppDomain.CurrentDomain.ProcessExit += OnExit;
        StartEpmd();
        Start();
    }

    /// <summary>The AMQP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The broker user's password (the URL below carries it: tests check it never reaches a log).</summary>
    public string Password { get; } = "pw-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>amqp://tk:PASSWORD@127.0.0.1:PORT/</summary>
    public string Url => $"amqp://tk:{Password}@127.0.0.1:{Port}/";

    public AmqpEndpoint Endpoint => new(Url);

    /// <summary>The STOMP port on 127.0.0.1 (the broker's rabbitmq_stomp plugin).</summary>
    public int StompPort { get; }

    /// <summary>stomp://tk:PASSWORD@127.0.0.1:PORT/</summary>
    public string StompUrl => $"stomp://tk:{Password}@127.0.0.1:{StompPort}/";

    /// <summary>How long the last start took.</summary>
    public TimeSpan StartTime { get; private set; }

    private void StartEpmd()
    {
        var psi = new ProcessStartInfo("epmd", ["-port", _epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _epmd = Process.Start(psi)!;
        _epmd.OutputDataReceived += (_, _) => { };
        _epmd.ErrorDataReceived += (_, _) => { };
        _epmd.BeginOutputReadLine();
        _epmd.BeginErrorReadLine();
    }

    /// <summary>Starts the broker and waits (up to 120 s) until it accepts an AMQP connection.</summary>
    public void Start()
    {
        var sw = Stopwatch.StartNew();
        var psi = new ProcessStartInfo(Server)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        psi.Environment["HOME"] = _dir;
        psi.Environment["RABBITMQ_NODENAME"] = $"toolkit{Port}@localhost";
        psi.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        psi.Environment["RABBITMQ_NODE_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["RABBITMQ_DIST_PORT"] = _distPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["ERL_EPMD_PORT"] = _epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_dir, "mnesia");
        psi.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(_dir, "log");
        psi.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_dir, "enabled_plugins");
        psi.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(_dir, "rabbitmq.conf");
        psi.Environment["RABBITMQ_PID_FILE"] = Path.Combine(_dir, "pid");
        psi.Environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_dir, "rabbitmq-env.conf");
        psi.Environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_dir, "advanced.config");
        psi.Environment.Remove("RABBITMQ_ALLOW_INPUT");
        _broker = Process.Start(psi)!;
        _broker.OutputDataReceived += (_, _) => { };
        _broker.ErrorDataReceived += (_, _) => { };
        _broker.BeginOutputReadLine();
        _broker.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            if (_broker.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited with {_broker.ExitCode} during start; logs in {_dir}/log");
            }

            if (TryConnect())
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"rabbitmq-server did not accept connections within 120 s; logs in {_dir}/log");
            }

            Thread.Sleep(250);
        }

        StartTime = sw.Elapsed;
    }

    private bool TryConnect()
    {
        try
        {
            using var tcp = new TcpClient();
            if (!tcp.ConnectAsync(IPAddress.Loopback, Port).Wait(1000))
            {
                return false;
            }
        }
        catch (AggregateException)
        {
            return false;
        }

        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using IConnection c = Endpoint.CreateFactory("probe").CreateConnectionAsync(cts.Token).GetAwaiter().GetResult();
            return c.IsOpen;
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.BrokerUnreachableException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    /// <summary>Starts the broker again if a test killed it and did not get to restart it.</summary>
    public void EnsureRunning()
    {
        if (_broker is null || _broker.HasExited)
        {
            Kill();
            Start();
        }
    }

    /// <summary>A crash: SIGKILL to the broker and its children.</summary>
    public void Kill()
    {
        if (_broker is { HasExited: false } b)
        {
            b.Kill(entireProcessTree: true);
            b.WaitForExit(10_000);
        }

        _broker?.Dispose();
        _broker = null;
    }

    /// <summary>Opens a connection and channel for test set-up and inspection.</summary>
    public async Task<(IConnection, IChannel)> OpenAsync()
    {
        IConnection c = await Endpoint.ConnectAsync("test", CancellationToken.None);
        IChannel ch = await c.CreateChannelAsync();
        return (c, ch);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private void OnExit(object? sender, EventArgs e) => Stop();

    private void Stop()
    {
        Kill();
        if (_epmd is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(5000);
        }

        _epmd?.Dispose();
        _epmd = null;
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        Stop();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process: the temporary directory is left behind.
        }
    }
}

/// <summary>One broker for all the bus tests (they use distinct exchange and queue names).</summary>
[CollectionDefinition("rabbit")]
public sealed class RabbitGroup : ICollectionFixture<RabbitBroker>;
