using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Toolkit.Runtime.Security;

namespace Toolkit.Runtime.Tests.Security;

public sealed class PropertyTests
{
    private static readonly X500DistinguishedName Issuer = new("CN=Test User, DC=toolkit, DC=org");

    [Property]
    public bool Appending_a_cn_always_gives_a_proxy_subject_of_the_issuer(NonEmptyString s)
    {
        string cn = s.Get.Replace("\0", "", StringComparison.Ordinal);
        if (cn.Length == 0 || cn.Any(char.IsSurrogate))
        {
            return true;
        }
        var subject = DistinguishedNames.AppendCommonName(Issuer, cn);
        return DistinguishedNames.IsProxySubjectOf(subject, Issuer)
            && DistinguishedNames.LastCommonName(subject) == cn
            && DistinguishedNames.ToGridForm(subject) == "/DC=org/DC=toolkit/CN=Test User/CN=" + cn
            && !DistinguishedNames.IsProxySubjectOf(Issuer, subject);
    }

    [Property]
    public void Random_voms_extension_bytes_parse_or_fail_with_the_typed_error(byte[] bytes)
    {
        try
        {
            VomsAttributes.Parse(bytes);
        }
        catch (CredentialException)
        {
        }
    }

    [Property]
    public void Random_pem_text_reads_or_fails_with_the_typed_error(byte[] bytes, bool legacy)
    {
        string body = Convert.ToBase64String(bytes);
        string pem = legacy
            ? $"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,{Convert.ToHexString(bytes.Take(16).ToArray())}\n\n{body}\n-----END RSA PRIVATE KEY-----\n"
            : $"-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n";
        try
        {
            using var key = PemKeyReader.ReadPrivateKey(pem, _ => "pw", "random");
        }
        catch (CredentialException)
        {
        }
        try
        {
            X509Credential.ReadCertificates(pem);
        }
        catch (CredentialException)
        {
        }
    }

    [Fact]
    public void Truncated_and_bit_flipped_proxy_certificates_never_crash_the_readers()
    {
        using var key = System.Security.Cryptography.RSA.Create(1024);
        var req = new CertificateRequest(DistinguishedNames.AppendCommonName(Issuer, "123"), key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(ProxyCertificates.CreateProxyCertInfo(pathLength: 2));
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));
        byte[] der = cert.RawData;
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), ArbMap.Default.ArbFor<byte>(), (pos, mask) =>
        {
            byte[] copy = (byte[])der.Clone();
            int at = Math.Abs(pos % copy.Length);
            copy[at] ^= mask == 0 ? (byte)1 : mask;
            foreach (var candidate in new[] { copy, der.AsSpan(0, at).ToArray() })
            {
                X509Certificate2 c;
                try
                {
                    c = X509CertificateLoader.LoadCertificate(candidate);
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    continue;
                }
                using (c)
                {
                    try
                    {
                        _ = ProxyCertificates.Describe(c);
                        _ = ProxyCertificates.GetPathLengthConstraint(c);
                        _ = DistinguishedNames.ToGridForm(c.SubjectName);
                        _ = VomsAttributes.Read(c);
                    }
                    catch (CredentialException)
                    {
                    }
                }
            }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Property]
    public bool Evp_bytes_to_key_prefixes_agree(string? pw, byte[] salt)
    {
        pw ??= "";
        if (pw.Any(char.IsSurrogate))
        {
            return true;
        }
        var longKey = OpenSslKeyDerivation.EvpBytesToKeyMd5(pw, salt, 48);
        var shortKey = OpenSslKeyDerivation.EvpBytesToKeyMd5(pw, salt, 16);
        var md5 = System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(pw).Concat(salt).ToArray());
        return longKey.AsSpan(0, 16).SequenceEqual(shortKey) && shortKey.SequenceEqual(md5);
    }
}
