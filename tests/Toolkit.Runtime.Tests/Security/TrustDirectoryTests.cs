using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using Toolkit.Runtime.Security;

namespace Toolkit.Runtime.Tests.Security;

/// <summary>The 150-CA directory, made once for these tests with the real openssl.</summary>
public sealed class GridCaDirectoryFixture : IDisposable
{
    public GridCaDirectory Ca { get; } = new(150);

    public void Dispose() => Ca.Dispose();
}

/// <summary>
/// <see cref="TrustStore"/> over a directory the size of a real one: opening it reads no file, a validation reads the
/// files of the CAs and CRLs its chain needs and no other, and the verdicts are openssl's (<c>verify -CApath -crl_check</c>)
/// over the same directory: good, revoked, unknown CA, not yet valid, expired.
/// </summary>
public sealed class TrustDirectoryTests(GridCaDirectoryFixture fixture) : IClassFixture<GridCaDirectoryFixture>
{
    private GridCaDirectory Ca => fixture.Ca;

    private static X509Certificate2 Cert(string path) => X509CertificateLoader.LoadCertificateFromFile(path);

    private static string[] Names(IEnumerable<string> paths) => paths.Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void Subject_hashes_are_the_ones_openssl_rehash_links_by()
    {
        // Every CA (mixed case, runs of spaces, tabs, e-mail, UTF-8, multi-valued RDNs): its two links are its two hashes.
        int checkedCas = 0;
        foreach (string pem in Directory.EnumerateFiles(Ca.CertDir, "*.pem"))
        {
            using X509Certificate2 ca = Cert(pem);
            string[] expected = [TrustStore.SubjectHash(ca.SubjectName) + ".0", TrustStore.SubjectHash(ca.SubjectName, old: true) + ".0"];
            Assert.Equal(expected.Order(StringComparer.Ordinal), Ca.LinksTo(pem));
            checkedCas++;
        }

        Assert.Equal(Ca.Roots + 1, checkedCas);
        using X509Certificate2 root0 = Cert(Ca.Root0Pem);
        Assert.Equal(Tool.MustRun("openssl", "x509", "-hash", "-noout", "-in", Ca.Root0Pem).Stdout.Trim(), TrustStore.SubjectHash(root0.SubjectName));
        Assert.Equal(Tool.MustRun("openssl", "x509", "-subject_hash_old", "-noout", "-in", Ca.Root0Pem).Stdout.Trim(), TrustStore.SubjectHash(root0.SubjectName, old: true));
    }

    [Fact]
    public void Opening_reads_nothing_and_a_validation_reads_only_its_chain()
    {
        var trust = TrustStore.Load(Ca.CertDir);
        Assert.Empty(trust.FilesRead);

        using X509Certificate2 good = Cert(Ca.GoodUser);
        using X509Certificate2 intermediate = Cert(Ca.IntermediatePem);
        using X509Certificate2 root = Cert(Ca.Root0Pem);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Assert.Empty(trust.Validate(good, [], now));
        string i = TrustStore.SubjectHash(intermediate.SubjectName), r = TrustStore.SubjectHash(root.SubjectName);
        string[] chain = [i + ".0", i + ".r0", r + ".0", r + ".r0"];
        Assert.Equal(chain.Order(StringComparer.Ordinal), Names(trust.FilesRead));

        // Again: nothing more is read (the files and the answers are kept).
        Assert.Empty(trust.Validate(good, [intermediate], now));
        Assert.Equal(4, trust.FilesRead.Count);

        // openssl agrees over the same directory.
        Tool.Result v = Tool.Openssl("verify", "-CApath", Ca.CertDir, "-crl_check_all", Ca.GoodUser);
        Assert.True(v.ExitCode == 0, v.ToString());

        // The whole directory, when asked for: every CA (the old and the new hash name of one file count once) and CRL.
        Assert.Equal(Ca.Roots + 1, trust.Authorities.Count);
        Assert.Equal(Ca.Roots + 1, trust.CrlCount);
        Assert.Equal(2 * (Ca.Roots + 1), trust.FilesRead.Count);
    }

    [Fact]
    public void A_revoked_user_is_refused_as_openssl_refuses_it()
    {
        var trust = TrustStore.Load(Ca.CertDir);
        using X509Certificate2 revoked = Cert(Ca.RevokedUser);
        IReadOnlyList<string> errors = trust.Validate(revoked, [], DateTimeOffset.UtcNow);
        Assert.Contains(errors, e => e.Contains("'/DC=org/DC=igtf/CN=Revoked User' (serial 03EA) is revoked by", StringComparison.Ordinal));
        Assert.Equal(4, trust.FilesRead.Count);

        // Through the proxy validator too.
        Assert.False(new ProxyChainValidator(trust).Validate(revoked, []).IsValid);
        Tool.Result v = Tool.Openssl("verify", "-CApath", Ca.CertDir, "-crl_check_all", Ca.RevokedUser);
        Assert.NotEqual(0, v.ExitCode);
        Assert.Contains("certificate revoked", v.Stdout + v.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_of_an_unknown_ca_is_refused_and_no_file_is_read()
    {
        var trust = TrustStore.Load(Ca.CertDir);
        using X509Certificate2 stranger = Cert(Ca.StrangerUser);
        IReadOnlyList<string> errors = trust.Validate(stranger, [], DateTimeOffset.UtcNow);
        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.StartsWith("PartialChain", StringComparison.Ordinal) || e.StartsWith("UntrustedRoot", StringComparison.Ordinal));
        Assert.Empty(trust.FilesRead);

        // The stranger's own CA presented along is not a trust anchor either.
        using X509Certificate2 strangerCa = Cert(Ca.P("stranger-ca.pem"));
        Assert.NotEmpty(trust.Validate(stranger, [strangerCa], DateTimeOffset.UtcNow));
        Assert.Empty(trust.FilesRead);
        Tool.Result v = Tool.Openssl("verify", "-CApath", Ca.CertDir, Ca.StrangerUser);
        Assert.NotEqual(0, v.ExitCode);
    }

    [Fact]
    public void Not_yet_valid_and_expired_chains_are_refused()
    {
        var trust = TrustStore.Load(Ca.CertDir);
        using X509Certificate2 good = Cert(Ca.GoodUser);
        Assert.Contains(trust.Validate(good, [], DateTimeOffset.UtcNow.AddDays(-2)), e => e.StartsWith("NotTimeValid", StringComparison.Ordinal));
        Assert.Contains(trust.Validate(good, [], DateTimeOffset.UtcNow.AddDays(20)), e => e.StartsWith("NotTimeValid", StringComparison.Ordinal));
        Assert.Empty(trust.Validate(good, [], DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_broken_file_on_the_path_refuses_the_chain_and_names_the_file()
    {
        // A copy of the directory whose intermediate's file is not a certificate: opening works, the chain through it is refused.
        string dir = Ca.P("broken-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        using X509Certificate2 intermediate = Cert(Ca.IntermediatePem);
        string i = TrustStore.SubjectHash(intermediate.SubjectName);
        foreach (string f in Directory.EnumerateFiles(Ca.CertDir))
        {
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        }

        File.WriteAllText(Path.Combine(dir, i + ".0"), "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        var trust = TrustStore.Load(dir);
        using X509Certificate2 good = Cert(Ca.GoodUser);
        IReadOnlyList<string> errors = trust.Validate(good, [], DateTimeOffset.UtcNow);
        Assert.Contains(errors, e => e.Contains(i + ".0", StringComparison.Ordinal));
        Assert.Throws<CredentialException>(() => trust.Authorities);
    }
}
