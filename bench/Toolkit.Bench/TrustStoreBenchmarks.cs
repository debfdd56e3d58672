using System;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Toolkit.Runtime.Security;
using Toolkit.TestSupport;

namespace Toolkit.Bench;

/// <summary>
/// The start cost of a grid TLS client's trust store over a directory the size of a real one (150 root CAs with their
/// CRLs, an intermediate, old and new hash links, signing policies; made with openssl in the setup): opening it and
/// verifying one server chain (root, intermediate, user), against reading the whole directory.
/// </summary>
[MemoryDiagnoser]
public class TrustStoreBenchmarks
{
    private GridCaDirectory _ca = null!;
    private X509Certificate2 _user = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ca = new GridCaDirectory(150);
        _user = X509CertificateLoader.LoadCertificateFromFile(_ca.GoodUser);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _user.Dispose();
        _ca.Dispose();
    }

    /// <summary>A client start: open the trust directory, verify one chain (the first TLS handshake's check).</summary>
    [Benchmark]
    public int OpenAndVerifyOneChain()
    {
        var trust = TrustStore.Load(_ca.CertDir);
        int errors = trust.Validate(_user, [], DateTimeOffset.UtcNow).Count;
        return errors == 0 ? 0 : throw new InvalidOperationException("the chain did not verify");
    }

    /// <summary>Every CA and CRL of the directory read and parsed (what every start paid before the on-demand lookup).</summary>
    [Benchmark]
    public int ReadWholeDirectory()
    {
        var trust = TrustStore.Load(_ca.CertDir);
        return trust.Authorities.Count + trust.CrlCount;
    }
}
