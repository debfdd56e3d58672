using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn.Connection;

namespace Toolkit.JAliEn.Tests;

/// <summary>The session start as one pipelined batch (commandlist, the restored cwd, the token), and its phase trace.</summary>
[Collection("jalien")]
public sealed class SessionStartTests(JAlienFixture fx)
{
    private const string Home = "/alice/cern.ch/user/j/jdoe/";

    private static AlienConnectionOptions With(Dictionary<string, string> env, string? initial, Action<string>? phase = null)
    {
        var o = JAlienFixture.Options(env);
        return new AlienConnectionOptions
        {
            Environment = o.Environment, KeepAlive = o.KeepAlive, InitialDirectory = initial, PhaseCompleted = phase,
        };
    }

    [Fact]
    public async Task Initial_directory_is_restored_in_the_session_start_and_home_stays_home()
    {
        await using var peer = await fx.StartPeerAsync(TimeSpan.FromMinutes(15));
        peer.Catalogue.MakeDirectories(Home + "a/b/", "jdoe");
        var env = fx.NewEnvironment(peer);
        var phases = new ConcurrentQueue<string>();
        await using var c = await AlienConnection.ConnectAsync(With(env, Home + "a/b/", phases.Enqueue), CancellationToken.None);
        Assert.Equal(Home + "a/b/", c.CurrentDirectory);
        Assert.Equal(Home, c.HomeDirectory);
        Assert.Contains("ls", c.ServerCommands);
        // One batch, in the spec's order, and nothing else before the first command of the caller.
        Assert.Equal(["commandlist -nomsg", "cd " + Home + "a/b/", "token -nomsg"], peer.Log.ToArray());
        Assert.Equal(1, peer.SessionsOpened);

        var names = phases.ToArray();
        string[] expected = ["endpoint", "credentials (user certificate)", "CA certificates", "TLS client certificate context", "TCP connect", "server certificate verified", "TLS handshake and websocket upgrade", "session start (commandlist, cd, token, one round trip)"];
        Assert.Equal(expected.Length, names.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(expected[i], names[i], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_vanished_initial_directory_leaves_the_session_at_home()
    {
        await using var peer = await fx.StartPeerAsync(TimeSpan.FromMinutes(15));
        var env = fx.NewEnvironment(peer);
        await using var c = await AlienConnection.ConnectAsync(With(env, Home + "gone/", null), CancellationToken.None);
        Assert.Equal(Home, c.CurrentDirectory);
        Assert.Equal(Home, c.HomeDirectory);
        Assert.Equal("jdoe", c.User);
    }
}
