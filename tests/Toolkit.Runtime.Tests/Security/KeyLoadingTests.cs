using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Toolkit.Runtime.Security;

namespace Toolkit.Runtime.Tests.Security;

[Collection("pki")]
public sealed class KeyLoadingTests(GridPki pki)
{
    private const string Pass = "correct horse battery";

    private string Convert(params string[] args)
    {
        string outPath = pki.NewFile("key");
        Tool.MustRun("openssl", [.. args, "-out", outPath]);
        File.SetUnixFileMode(outPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return outPath;
    }

    [Theory]
    [InlineData("-des3")]
    [InlineData("-aes128")]
    [InlineData("-aes192")]
    [InlineData("-aes256")]
    public void Legacy_openssl_encrypted_keys_decrypt(string cipher)
    {
        string path = Convert("rsa", "-in", pki.UserKey, "-traditional", cipher, "-passout", "pass:" + Pass);
        string text = File.ReadAllText(path);
        Assert.Contains("Proc-Type: 4,ENCRYPTED", text);
        string? prompt = null;
        using var cred = X509Credential.Load(pki.UserCert, path, p => { prompt = p; return Pass; });
        Assert.Contains(path, prompt);
        using var expected = RSA.Create();
        expected.ImportFromPem(File.ReadAllText(pki.UserKey));
        using var actual = cred.Certificate.GetRSAPrivateKey()!;
        Assert.Equal(expected.ExportParameters(true).D, actual.ExportParameters(true).D);

        var wrong = Assert.Throws<CredentialException>(() => X509Credential.Load(pki.UserCert, path, _ => "wrong"));
        Assert.Contains("passphrase", wrong.Message);
        Assert.DoesNotContain("wrong", wrong.Message.Replace("wrong passphrase", "", StringComparison.Ordinal));
        Assert.Throws<CredentialException>(() => X509Credential.Load(pki.UserCert, path));
    }

    [Fact]
    public void Pkcs1_pkcs8_encrypted_pkcs8_and_ec_keys_load()
    {
        string pkcs1 = Convert("rsa", "-in", pki.UserKey, "-traditional");
        Assert.Contains("BEGIN RSA PRIVATE KEY", File.ReadAllText(pkcs1));
        using (var c = X509Credential.Load(pki.UserCert, pkcs1)) { Assert.True(c.Certificate.HasPrivateKey); }
        string pkcs8 = Convert("pkcs8", "-topk8", "-nocrypt", "-in", pki.UserKey);
        using (var c = X509Credential.Load(pki.UserCert, pkcs8)) { Assert.True(c.Certificate.HasPrivateKey); }
        string enc8 = Convert("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", pki.UserKey, "-passout", "pass:" + Pass);
        Assert.Contains("BEGIN ENCRYPTED PRIVATE KEY", File.ReadAllText(enc8));
        using (var c = X509Credential.Load(pki.UserCert, enc8, _ => Pass)) { Assert.True(c.Certificate.HasPrivateKey); }
        Assert.Throws<CredentialException>(() => X509Credential.Load(pki.UserCert, enc8, _ => "nope"));

        // An EC key (SEC 1), legacy-encrypted, signs a JWT after loading.
        string ec = Convert("ecparam", "-name", "prime256v1", "-genkey", "-noout");
        string ecEnc = Convert("ec", "-in", ec, "-aes256", "-passout", "pass:" + Pass);
        using var key = PemKeyReader.ReadPrivateKey(File.ReadAllText(ecEnc), _ => Pass, ecEnc);
        Assert.IsAssignableFrom<ECDsa>(key);

        // Key that matches no certificate.
        var e = Assert.Throws<CredentialException>(() => X509Credential.Load(pki.UserCert, ec));
        Assert.Contains("does not belong", e.Message);
    }

    [Fact]
    public void Ed25519_keys_get_a_clear_error()
    {
        string ed = Convert("genpkey", "-algorithm", "ed25519");
        var e = Assert.Throws<CredentialException>(() => PemKeyReader.ReadPrivateKey(File.ReadAllText(ed), null, ed));
        Assert.Contains("Ed25519", e.Message);
    }

    [Fact]
    public void Evp_bytes_to_key_matches_openssl_enc()
    {
        // openssl enc -P prints the key and IV that EVP_BytesToKey(MD5, 1 iteration) derives.
        var r = Tool.MustRun("openssl", "enc", "-aes-256-cbc", "-P", "-md", "md5", "-S", "0102030405060708", "-pass", "pass:" + Pass);
        string keyHex = "", ivHex = "";
        foreach (var line in r.Stdout.Split('\n'))
        {
            if (line.StartsWith("key=", StringComparison.Ordinal)) { keyHex = line[4..].Trim(); }
            if (line.StartsWith("iv =", StringComparison.Ordinal)) { ivHex = line[4..].Trim(); }
        }
        byte[] salt = [1, 2, 3, 4, 5, 6, 7, 8];
        byte[] both = OpenSslKeyDerivation.EvpBytesToKeyMd5(Pass, salt, 48);
        Assert.Equal(keyHex, System.Convert.ToHexString(both.AsSpan(0, 32)));
        Assert.Equal(ivHex, System.Convert.ToHexString(both.AsSpan(32, 16)));
    }

    [Fact]
    public void Key_files_readable_by_others_are_refused()
    {
        string path = Convert("rsa", "-in", pki.UserKey);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var e = Assert.Throws<CredentialException>(() => X509Credential.Load(pki.UserCert, path));
        Assert.Contains("0644", e.Message);
        Assert.Contains("chmod 600", e.Message);
        Assert.Equal(path, e.Source);
    }

    [Fact]
    public void Cert_key_and_chain_in_any_order()
    {
        using var user = pki.LoadUser();
        using var proxy = ProxyFactory.CreateProxy(user);
        string keyPem;
        using (var rsa = proxy.Certificate.GetRSAPrivateKey()!) { keyPem = rsa.ExportPkcs8PrivateKeyPem(); }
        string shuffled = user.Certificate.ExportCertificatePem() + "\n" + keyPem + "\n" + proxy.Certificate.ExportCertificatePem() + "\n";
        using var cred = X509Credential.FromPem(shuffled);
        Assert.Equal(proxy.Certificate.Thumbprint, cred.Certificate.Thumbprint);
        Assert.Equal(user.Certificate.Thumbprint, Assert.Single(cred.Chain).Thumbprint);
    }

    [Fact]
    public void Expired_and_not_yet_valid_credentials_report_their_times()
    {
        using var key = RSA.Create(2048);
        var req = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Old", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var nb = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var na = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var cert = req.CreateSelfSigned(nb, na);
        using var cred = new X509Credential(cert, []);
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var e = Assert.Throws<CredentialValidityException>(() => cred.EnsureValid(now));
        Assert.True(e.IsExpired);
        Assert.Contains("expired at 2021-01-01 00:00:00 UTC", e.Message);
        Assert.Contains("now 2026-11-25 12:00:00 UTC", e.Message);
        Assert.Equal(na, e.NotAfter);
        var early = Assert.Throws<CredentialValidityException>(() => cred.EnsureValid(new DateTimeOffset(2019, 6, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.False(early.IsExpired);
        Assert.Contains("not valid before 2020-01-01 00:00:00 UTC", early.Message);
        Assert.Equal(TimeSpan.Zero, cred.TimeLeft(now));
    }
}
