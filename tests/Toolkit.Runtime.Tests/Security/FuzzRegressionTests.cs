using System;
using System.IO;
using System.Linq;
using System.Text;
using Toolkit.Runtime.Security;

namespace Toolkit.Runtime.Tests.Security;

/// <summary>
/// Inputs afl-fuzz found crashing credential parsing (fuzz/README.md, target <c>pem</c>: byte 0 picks the parser, the
/// rest is the input), replayed: each must end in a <see cref="CredentialException"/>. An EC key on a curve the
/// platform does not know threw <see cref="PlatformNotSupportedException"/> out of <see cref="X509Credential.FromPem"/>;
/// a PKCS#1 RSA key of version 116, which loads but cannot be exported again, threw <see cref="System.Security.Cryptography.CryptographicException"/>
/// when it was paired with its certificate.
/// </summary>
public class FuzzRegressionTests
{
    private static string Dir => RepoPaths.Combine("tests", "Toolkit.Runtime.Tests", "FuzzRegressions", "pem");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Dir).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_crashing_credential_input_is_a_credential_exception(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Dir, name));
        var text = Encoding.UTF8.GetString(bytes.AsSpan(1));
        switch (bytes[0] % 3)
        {
            case 0:
                Assert.ThrowsAny<CredentialException>(() => X509Credential.FromPem(text, passphrase: null, source: "fuzz"));
                break;
            case 1:
                Assert.ThrowsAny<CredentialException>(() => X509Credential.ReadCertificates(text, "fuzz"));
                break;
            default:
                Assert.ThrowsAny<CredentialException>(() => VomsAttributes.Parse(bytes.AsSpan(1).ToArray()));
                break;
        }
    }
}
