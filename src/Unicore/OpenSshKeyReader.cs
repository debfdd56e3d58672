using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Toolkit.Runtime.Security;

namespace Toolkit.Unicore;

/// <summary>
/// Reads unencrypted OpenSSH private keys (<c>openssh-key-v1</c>): RSA and ECDSA (nistp256/384/521). Encrypted
/// ones need bcrypt-pbkdf, which .NET does not have; Ed25519 cannot sign with System.Security.Cryptography. Both
/// are refused with a <see cref="CredentialException"/> that says so.
/// </summary>
internal static class OpenSshKeyReader
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("openssh-key-v1\0");

    public static AsymmetricAlgorithm Read(string text, string source)
    {
        const string Begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
        const string End = "-----END OPENSSH PRIVATE KEY-----";
        int b = text.IndexOf(Begin, StringComparison.Ordinal);
        int e = text.IndexOf(End, StringComparison.Ordinal);
        if (b < 0 || e < b)
        {
            throw new CredentialException("no OpenSSH private key block", source);
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(text[(b + Begin.Length)..e]);
        }
        catch (FormatException ex)
        {
            throw new CredentialException("the OpenSSH key is not valid base64", source, ex);
        }

        var r = new Reader(data, source);
        if (!data.AsSpan().StartsWith(Magic))
        {
            throw new CredentialException("not an openssh-key-v1 key", source);
        }

        r.Skip(Magic.Length);
        string cipher = r.String();
        string kdf = r.String();
        r.Bytes();
        if (cipher != "none" || kdf != "none")
        {
            throw new CredentialException($"the OpenSSH key is encrypted ({cipher}/{kdf}); bcrypt-pbkdf is not available here: decrypt it first (ssh-keygen -p -N '' -f KEY) or convert it to PEM (ssh-keygen -p -m PEM -f KEY)", source);
        }

        if (r.UInt32() != 1)
        {
            throw new CredentialException("an OpenSSH key file with several keys is not supported", source);
        }

        r.Bytes(); // public key
        var priv = new Reader(r.Bytes(), source);
        if (priv.UInt32() != priv.UInt32())
        {
            throw new CredentialException("the OpenSSH key's check integers differ (corrupt file)", source);
        }

        string type = priv.String();
        switch (type)
        {
            case "ssh-rsa":
                {
                    var n = priv.Mpint();
                    var ex = priv.Mpint();
                    var d = priv.Mpint();
                    var iqmp = priv.Mpint();
                    var p = priv.Mpint();
                    var q = priv.Mpint();
                    var bi = (byte[] v) => new BigInteger(v, isUnsigned: true, isBigEndian: true);
                    var pad = (BigInteger v, int len) =>
                    {
                        var bytes = v.ToByteArray(isUnsigned: true, isBigEndian: true);
                        if (bytes.Length >= len)
                        {
                            return bytes;
                        }

                        var o = new byte[len];
                        bytes.CopyTo(o, len - bytes.Length);
                        return o;
                    };
                    int nl = n.Length, hl = (nl + 1) / 2;
                    var parameters = new RSAParameters
                    {
                        Modulus = n,
                        Exponent = ex,
                        D = pad(bi(d), nl),
                        P = pad(bi(p), hl),
                        Q = pad(bi(q), hl),
                        DP = pad(bi(d) % (bi(p) - 1), hl),
                        DQ = pad(bi(d) % (bi(q) - 1), hl),
                        InverseQ = pad(bi(iqmp), hl),
                    };
                    var rsa = RSA.Create();
                    try
                    {
                        rsa.ImportParameters(parameters);
                        return rsa;
                    }
                    catch (CryptographicException cex)
                    {
                        rsa.Dispose();
                        throw new CredentialException("the OpenSSH RSA key is inconsistent: " + cex.Message, source, cex);
                    }
                }

            case "ecdsa-sha2-nistp256":
            case "ecdsa-sha2-nistp384":
            case "ecdsa-sha2-nistp521":
                {
                    string curveName = priv.String();
                    var q = priv.Bytes();
                    var d = priv.Mpint();
                    var curve = curveName switch
                    {
                        "nistp256" => ECCurve.NamedCurves.nistP256,
                        "nistp384" => ECCurve.NamedCurves.nistP384,
                        _ => ECCurve.NamedCurves.nistP521,
                    };
                    int len = curveName switch { "nistp256" => 32, "nistp384" => 48, _ => 66 };
                    if (q.Length != 1 + (2 * len) || q[0] != 4)
                    {
                        throw new CredentialException("the OpenSSH ECDSA public point is not an uncompressed point", source);
                    }

                    var dd = new byte[len];
                    d.AsSpan(Math.Max(0, d.Length - len)).CopyTo(dd.AsSpan(Math.Max(0, len - d.Length)));
                    var ec = ECDsa.Create();
                    try
                    {
                        ec.ImportParameters(new ECParameters { Curve = curve, D = dd, Q = new ECPoint { X = q[1..(1 + len)], Y = q[(1 + len)..] } });
                        return ec;
                    }
                    catch (CryptographicException cex)
                    {
                        ec.Dispose();
                        throw new CredentialException("the OpenSSH ECDSA key is inconsistent: " + cex.Message, source, cex);
                    }
                }

            case "ssh-ed25519":
                throw new CredentialException("Ed25519 (EdDSA) keys cannot sign JWTs with System.Security.Cryptography; use an RSA or ECDSA P-256 key", source);
            default:
                throw new CredentialException($"unsupported OpenSSH key type '{type}'", source);
        }
    }

    private sealed class Reader(byte[] data, string source)
    {
        private int _pos;

        public void Skip(int n) => _pos += n;

        public uint UInt32()
        {
            if (_pos + 4 > data.Length)
            {
                throw new CredentialException($"the OpenSSH key is truncated at byte {_pos}", source);
            }

            var v = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(_pos));
            _pos += 4;
            return v;
        }

        public byte[] Bytes()
        {
            uint len = UInt32();
            if (len > (uint)(data.Length - _pos))
            {
                throw new CredentialException($"the OpenSSH key is truncated at byte {_pos} (a field of {len} bytes)", source);
            }

            var v = data.AsSpan(_pos, (int)len).ToArray();
            _pos += (int)len;
            return v;
        }

        public string String() => Encoding.ASCII.GetString(Bytes());

        public byte[] Mpint()
        {
            var v = Bytes();
            int i = 0;
            while (i < v.Length - 1 && v[i] == 0)
            {
                i++;
            }

            return v[i..];
        }
    }
}
