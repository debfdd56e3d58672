using System;
using System.IO;
using System.Threading.Tasks;
using Toolkit.Peers.DataDispatcher;
using Toolkit.DataDispatcher;

namespace Toolkit.DataDispatcher.Tests;

/// <summary>One peer per test class, with an owner (alice, digest + LDAP), a second user (bob) and an admin.</summary>
public sealed class PeerFixture : IAsyncLifetime
{
    public DataDispatcherPeer Peer { get; } = new();

    public string Dir { get; } = Directory.CreateTempSubdirectory("dd-tests-").FullName;

    public string AliceToken { get; private set; } = "";

    public string BobToken { get; private set; } = "";

    public string AdminToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Peer.AddUser("alice", "alice-pw", ldapPassword: "alice-ldap");
        Peer.AddUser("bob", "bob-pw");
        Peer.AddUser("admin", "admin-pw", admin: true);
        await Peer.StartAsync();
        AliceToken = Peer.IssueToken("alice");
        BobToken = Peer.IssueToken("bob");
        AdminToken = Peer.IssueToken("admin");
    }

    public async Task DisposeAsync()
    {
        await Peer.DisposeAsync();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A fresh directory (worker id file, token library) for one client.</summary>
    public string NewDir()
    {
        var d = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }

    public DataDispatcherClient Client(string? token = null, TimeProvider? clock = null, Func<double>? random = null, string? workerId = null, string? dir = null, TimeSpan? timeout = null, string? library = null)
    {
        dir ??= NewDir();
        return new DataDispatcherClient(new DataDispatcherClientOptions
        {
            ServerUrl = Peer.DataUrl.ToString(),
            Token = token,
            TokenLibrary = library ?? Path.Combine(dir, ".token_library"),
            CurrentDirectory = dir,
            WorkerId = workerId,
            Environment = _ => null,
            TimeProvider = clock,
            Random = random,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });
    }
}
