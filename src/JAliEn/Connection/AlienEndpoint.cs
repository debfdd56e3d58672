using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.JAliEn.Connection;

/// <summary>Where an endpoint came from, in alienpy's order of preference.</summary>
public enum AlienEndpointSource
{
    /// <summary><c>ALIENPY_JCENTRAL</c> (and <c>ALIENPY_JCENTRAL_PORT</c>): the only endpoint tried.</summary>
    JCentralVariable,

    /// <summary><c>JALIEN_HOST</c>/<c>JALIEN_WSPORT</c>: a JBox named in the environment.</summary>
    JBoxEnvironment,

    /// <summary><c>${TMPDIR}/jclient_token_&lt;uid&gt;</c> written by a live JBox.</summary>
    JBoxTokenFile,

    /// <summary>The central services, <c>alice-jcentral.cern.ch:8097</c>.</summary>
    Central,

    /// <summary>Given by the caller.</summary>
    Explicit,
}

/// <summary>A JAliEn websocket endpoint.</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Source">Why it was chosen.</param>
/// <param name="Path">The websocket path, <c>/websocket/json</c>.</param>
public sealed record AlienEndpoint(string Host, int Port, AlienEndpointSource Source, string Path = AlienEndpoint.JsonPath)
{
    /// <summary>The JSON websocket path.</summary>
    public const string JsonPath = "/websocket/json";

    /// <summary>The central services' host.</summary>
    public const string CentralHost = "alice-jcentral.cern.ch";

    /// <summary>The central services' port (and the default of the port variables).</summary>
    public const int DefaultPort = 8097;

    /// <summary>The <c>wss://</c> URI.</summary>
    public Uri Uri => new(string.Create(CultureInfo.InvariantCulture, $"wss://{(Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}:{Port}{Path}"));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port} ({Source})");
}

/// <summary>alienpy's endpoint selection: <c>ALIENPY_JCENTRAL</c> → JBox environment → JBox token file with a live PID → central.</summary>
public static class AlienEndpointResolver
{
    /// <summary>Chooses the endpoint.</summary>
    /// <param name="environment">Variables, temp directory and uid.</param>
    /// <param name="portAnswers">Probe for "does host:port accept TCP"; null for a real connect with a 1 s timeout.</param>
    /// <param name="cancellationToken">Cancels the probes.</param>
    /// <returns>The endpoint.</returns>
    public static async Task<AlienEndpoint> ResolveAsync(AlienEnvironment environment, Func<string, int, CancellationToken, Task<bool>>? portAnswers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        portAnswers ??= ProbeAsync;
        if (environment.Get("ALIENPY_JCENTRAL") is { } jcentral)
        {
            return new AlienEndpoint(jcentral, Port(environment.Get("ALIENPY_JCENTRAL_PORT"), "ALIENPY_JCENTRAL_PORT"), AlienEndpointSource.JCentralVariable);
        }
        if (environment.Get("JALIEN_HOST") is { } jbox)
        {
            int port = Port(environment.Get("JALIEN_WSPORT"), "JALIEN_WSPORT");
            if (await portAnswers(jbox, port, cancellationToken).ConfigureAwait(false))
            {
                return new AlienEndpoint(jbox, port, AlienEndpointSource.JBoxEnvironment);
            }
        }
        if (ReadTokenFile(environment) is { } file
            && file.TryGetValue("JALIEN_HOST", out var host)
            && file.TryGetValue("JALIEN_PID", out var pid)
            && IsLiveProcessOf(pid, environment.UserId))
        {
            int port = Port(file.GetValueOrDefault("JALIEN_WSPORT"), "JALIEN_WSPORT in the jclient_token file");
            if (await portAnswers(host, port, cancellationToken).ConfigureAwait(false))
            {
                return new AlienEndpoint(host, port, AlienEndpointSource.JBoxTokenFile);
            }
        }
        return new AlienEndpoint(AlienEndpoint.CentralHost, AlienEndpoint.DefaultPort, AlienEndpointSource.Central);
    }

    /// <summary>The <c>KEY=VALUE</c> pairs of <c>${TMPDIR}/jclient_token_&lt;uid&gt;</c>, or null when there is none.</summary>
    /// <param name="environment">The environment.</param>
    /// <returns>The pairs.</returns>
    public static Dictionary<string, string>? ReadTokenFile(AlienEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string path = System.IO.Path.Combine(environment.TempDirectory, "jclient_token_" + environment.UserId.ToString(CultureInfo.InvariantCulture));
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > 64 * 1024)
            {
                return null;
            }
            var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines(path))
            {
                int eq = line.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    pairs[line[..eq].Trim()] = line[(eq + 1)..].Trim();
                }
            }
            return pairs;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="pid"/> is a running process owned by <paramref name="uid"/>.</summary>
    /// <param name="pid">The pid text.</param>
    /// <param name="uid">The uid.</param>
    /// <returns>True when it is.</returns>
    public static bool IsLiveProcessOf(string pid, long uid) =>
        int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
        && AlienEnvironment.ProcessOwner(n.ToString(CultureInfo.InvariantCulture)) == uid;

    private static int Port(string? text, string what)
    {
        if (text is null)
        {
            return AlienEndpoint.DefaultPort;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and < 65536
            ? port
            : throw new ArgumentException($"{what} is '{text}', not a TCP port (1-65535)");
    }

    private static async Task<bool> ProbeAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
