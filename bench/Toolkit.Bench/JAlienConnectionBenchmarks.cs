using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Toolkit.JAliEn;
using Toolkit.JAliEn.Connection;
using Toolkit.Peers.JAliEn;
using Toolkit.TestSupport;

namespace Toolkit.Bench;

/// <summary>
/// Round trips over loopback TLS 1.2 to the JAliEn peer (tests/Toolkit.Peers/JAliEn): <c>pwd</c> and <c>ls</c> of a
/// 20-entry directory on one connection and on a pool of 4; 64 <c>commit</c> requests one by one against one pipelined
/// batch (the peer rejects the made-up envelope with EINVAL, so only the exchange is measured).
/// <c>dotnet run -c Release --project bench/Toolkit.Bench -- --filter '*JAlienConnection*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class JAlienConnectionBenchmarks
{
    private GridPki _pki = null!;
    private JAlienPeer _peer = null!;
    private AlienConnection _one = null!;
    private AlienConnectionPool _pool = null!;
    private readonly AlienCommandLine _pwd = new("pwd", []);
    private AlienCommandLine _ls = null!;
    private List<AlienCommandLine> _commits = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _pki = new GridPki();
        _peer = await JAlienPeer.StartAsync(new JAlienPeerOptions { CertificatePath = _pki.ServerCert, KeyPath = _pki.ServerKey, CaDirectory = _pki.CertDir });
        _peer.AddAccount("/DC=org/DC=toolkit/CN=Test User", "jdoe");
        for (int i = 0; i < 20; i++)
        {
            _peer.Catalogue.MakeDirectories(JAlienPeer.HomeOf("jdoe") + "d" + i + "/", "jdoe");
        }
        var env = new Dictionary<string, string>
        {
            ["TMPDIR"] = _pki.Dir, ["X509_USER_CERT"] = _pki.UserCert, ["X509_USER_KEY"] = _pki.UserKey, ["X509_CERT_DIR"] = _pki.CertDir,
            ["ALIENPY_JCENTRAL"] = "127.0.0.1", ["ALIENPY_JCENTRAL_PORT"] = _peer.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var environment = AlienEnvironment.FromDictionary(env, _pki.Dir);
        var options = new AlienConnectionOptions { Environment = environment, RefreshToken = false };
        _one = await AlienConnection.ConnectAsync(options);
        _pool = await AlienConnectionPool.CreateAsync(options, 4);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _pool.SendAsync(_pwd, CancellationToken.None)));
        _ls = new AlienCommandLine("ls", ["-l", _one.HomeDirectory]);
        _commits = Enumerable.Range(0, 64).Select(i => new AlienCommandLine("commit",
            ["envelope-" + i, "1024", _one.HomeDirectory + "f" + i, "644", "0", "root://127.0.0.1:1//se/f" + i, "ALICE::PEER::SE1", Guid.NewGuid().ToString(), "d41d8cd98f00b204e9800998ecf8427e"])).ToList();
    }

    [Benchmark]
    public async Task<int> Pwd_one_connection() => (await _one.SendAsync(_pwd, CancellationToken.None)).Length;

    [Benchmark]
    public async Task<int> Ls_one_connection() => (await _one.SendAsync(_ls, CancellationToken.None)).Length;

    [Benchmark(OperationsPerInvoke = 4)]
    public async Task<int> Pwd_pool_of_4()
    {
        var replies = await Task.WhenAll(_pool.SendAsync(_pwd, CancellationToken.None), _pool.SendAsync(_pwd, CancellationToken.None),
            _pool.SendAsync(_pwd, CancellationToken.None), _pool.SendAsync(_pwd, CancellationToken.None));
        return replies.Sum(r => r.Length);
    }

    [Benchmark(OperationsPerInvoke = 4)]
    public async Task<int> Ls_pool_of_4()
    {
        var replies = await Task.WhenAll(_pool.SendAsync(_ls, CancellationToken.None), _pool.SendAsync(_ls, CancellationToken.None),
            _pool.SendAsync(_ls, CancellationToken.None), _pool.SendAsync(_ls, CancellationToken.None));
        return replies.Sum(r => r.Length);
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public async Task<int> Commit_64_one_by_one()
    {
        int n = 0;
        foreach (var line in _commits)
        {
            n += (await _one.SendAsync(line, CancellationToken.None)).Length;
        }
        return n;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public async Task<int> Commit_64_pipelined() => (await _one.SendPipelinedAsync(_commits, CancellationToken.None)).Sum(r => r.Length);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _pool.DisposeAsync();
        await _one.DisposeAsync();
        await _peer.DisposeAsync();
        _pki.Dispose();
    }
}
