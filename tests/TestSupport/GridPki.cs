using System;
using System.Collections.Generic;
using System.IO;
using Toolkit.Runtime.Security;

namespace Toolkit.TestSupport;

/// <summary>
/// A throwaway grid PKI made with the real openssl at test time: a CA (in a hashed X509_CERT_DIR), a user
/// certificate (serial 1234567), a localhost server certificate, a VOMS server certificate and a vomsdir.
/// </summary>
public sealed class GridPki : IDisposable
{
    public GridPki()
    {
        Dir = Directory.CreateTempSubdirectory("toolkit-pki-").FullName;
        File.WriteAllText(P("ext.cnf"), """
            [req]
            distinguished_name=dn
            [dn]
            [ca_ext]
            basicConstraints=critical,CA:TRUE
            keyUsage=critical,keyCertSign,cRLSign
            subjectKeyIdentifier=hash
            [user_ext]
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature,keyEncipherment,dataEncipherment
            extendedKeyUsage=clientAuth
            subjectKeyIdentifier=hash
            authorityKeyIdentifier=keyid
            [server_ext]
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature,keyEncipherment
            extendedKeyUsage=serverAuth,clientAuth
            subjectKeyIdentifier=hash
            authorityKeyIdentifier=keyid
            subjectAltName=DNS:localhost,IP:127.0.0.1
            [wrong_ext]
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature,keyEncipherment
            extendedKeyUsage=serverAuth
            subjectAltName=DNS:wrong.example.org
            """);
        Tool.MustRun("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", P("ca.key"), "-out", CaPath,
            "-days", "30", "-subj", "/DC=org/DC=toolkit/CN=Toolkit Test CA", "-config", P("ext.cnf"), "-extensions", "ca_ext");
        Issue("user", "/DC=org/DC=toolkit/CN=Test User", "1234567", "user_ext");
        Issue("server", "/DC=org/DC=toolkit/CN=localhost", "2001", "server_ext");
        Issue("wrong", "/DC=org/DC=toolkit/CN=wrong.example.org", "2002", "wrong_ext");
        Issue("voms", "/DC=org/DC=toolkit/CN=voms.toolkit.test", "42", "server_ext");
        Directory.CreateDirectory(CertDir);
        string hash = Tool.MustRun("openssl", "x509", "-hash", "-noout", "-in", CaPath).Stdout.Trim();
        File.Copy(CaPath, Path.Combine(CertDir, hash + ".0"));
        Directory.CreateDirectory(Path.Combine(VomsDir, "testvo"));
        File.WriteAllText(Path.Combine(VomsDir, "testvo", "voms.toolkit.test.lsc"),
            "/DC=org/DC=toolkit/CN=voms.toolkit.test\n/DC=org/DC=toolkit/CN=Toolkit Test CA\n");
    }

    public string Dir { get; }

    public string CaPath => P("ca.pem");

    public string CaKeyPath => P("ca.key");

    public string CertDir => P("certificates");

    public string VomsDir => P("vomsdir");

    public string UserCert => P("usercert.pem");

    public string UserKey => P("userkey.pem");

    public string ServerCert => P("servercert.pem");

    public string ServerKey => P("serverkey.pem");

    public string WrongNameCert => P("wrongcert.pem");

    public string WrongNameKey => P("wrongkey.pem");

    public string VomsCert => P("vomscert.pem");

    public string VomsKey => P("vomskey.pem");

    public string P(string name) => Path.Combine(Dir, name);

    /// <summary>Environment for grid tools: trust only this CA.</summary>
    public Dictionary<string, string> ToolEnv => new()
    {
        ["X509_CERT_DIR"] = CertDir,
        ["X509_VOMS_DIR"] = VomsDir,
        ["X509_USER_PROXY"] = P("no-such-proxy"),
    };

    public X509Credential LoadUser() => X509Credential.Load(UserCert, UserKey);

    public string NewFile(string prefix) => P(prefix + "-" + Guid.NewGuid().ToString("N")[..8]);

    private void Issue(string name, string subject, string serial, string ext)
    {
        string key = P(name + "key.pem");
        Tool.MustRun("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", P(name + ".csr"), "-subj", subject, "-config", P("ext.cnf"));
        Tool.MustRun("openssl", "x509", "-req", "-in", P(name + ".csr"), "-CA", CaPath, "-CAkey", P("ca.key"), "-set_serial", serial,
            "-days", "10", "-extfile", P("ext.cnf"), "-extensions", ext, "-out", P(name + "cert.pem"));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
