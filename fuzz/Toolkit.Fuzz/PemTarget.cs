using System;
using System.Text;
using Toolkit.Runtime.Security;

namespace Toolkit.Fuzz;

/// <summary>
/// PEM/DER credential parsing: <see cref="X509Credential.FromPem"/> (certificates, keys in every format, chain
/// ordering), <see cref="X509Credential.ReadCertificates(string, string)"/> and the DER of a VOMS extension
/// (<see cref="VomsAttributes.Parse"/>). Bad input is a <see cref="CredentialException"/>; anything else is a crash.
/// The first byte picks the parser; no passphrase is given, so an encrypted key ends at the prompt (a hostile key
/// derivation count would only measure the KDF).
/// </summary>
internal static class PemTarget
{
    public static void Run(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        var body = data.AsSpan(1).ToArray();
        try
        {
            switch (data[0] % 3)
            {
                case 0:
                    using (X509Credential.FromPem(Encoding.UTF8.GetString(body), passphrase: null, source: "fuzz"))
                    {
                    }

                    break;
                case 1:
                    foreach (var c in X509Credential.ReadCertificates(Encoding.UTF8.GetString(body), "fuzz"))
                    {
                        c.Dispose();
                    }

                    break;
                default:
                    VomsAttributes.Parse(body);
                    break;
            }
        }
        catch (CredentialException)
        {
        }
    }
}
