using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Toolkit.Runtime.Security;

namespace Toolkit.Bench;

/// <summary>Grid security hot paths: token inspection, digest, JWT signing, delegation signing, proxy chain validation.</summary>
[MemoryDiagnoser]
public class SecurityBenchmarks
{
    private X509Credential _user = null!;
    private X509Credential _proxy = null!;
    private ProxyChainValidator _validator = null!;
    private string _csr = "";
    private string _jwt = "";
    private DigestChallenge _challenge = null!;
    private ECDsa _ec = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var caKey = RSA.Create(2048);
        var caReq = new CertificateRequest("CN=Bench CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caReq.PublicKey, false));
        var ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var userKey = RSA.Create(2048);
        var userReq = new CertificateRequest("CN=Bench User, O=Bench", userKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        userReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var userCert = userReq.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [1, 2, 3]).CopyWithPrivateKey(userKey);
        _user = new X509Credential(userCert, []);
        _proxy = ProxyFactory.CreateProxy(_user, new ProxyOptions { KeySize = 1024 });
        _validator = new ProxyChainValidator(TrustStore.FromCertificates([ca]));
        using var serverKey = RSA.Create(2048);
        _csr = new CertificateRequest("O=Dummy", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
        _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _jwt = JwtSigner.CreateShortLived(_ec, "CN=Bench User,O=Bench", TimeSpan.FromMinutes(5), extraClaims: [new("scope", "storage.read:/ storage.modify:/"), new("aud", "https://wlcg.cern.ch/jwt/v1/any")]);
        if (!DigestChallenge.TryParse("realm=\"metacat\", nonce=\"7ypf/xlj9XXwfDPEoM4URrv\", algorithm=MD5, qop=\"auth\"", out var c))
        {
            throw new InvalidOperationException("challenge did not parse");
        }
        _challenge = c!;
    }

    [Benchmark]
    public JwtInfo InspectJwt() => JwtInfo.Parse(_jwt);

    [Benchmark]
    public string DigestResponseMd5() => DigestAuthHandler.ComputeResponse(_challenge, "alice", "s3cret", "GET", "/auth?method=digest", "0a4f113b", 1);

    [Benchmark]
    public string SignJwtEs256() => JwtSigner.CreateShortLived(_ec, "CN=Bench User,O=Bench", TimeSpan.FromMinutes(5));

    [Benchmark]
    public string SignDelegationRequest() => ProxyFactory.SignDelegationRequest(_user, _csr, TimeSpan.FromHours(12));

    [Benchmark]
    public bool ValidateProxyChain() => _validator.Validate(_proxy.Certificate, [_user.Certificate]).IsValid;
}
