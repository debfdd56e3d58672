using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Toolkit.TestSupport;

/// <summary>
/// A grid CA directory the size of a real <c>/etc/grid-security/certificates</c>, made with the real openssl: many
/// root CAs (<c>ALIAS.pem</c>, subjects with mixed case, runs of spaces, e-mail, UTF-8 and multi-valued RDNs), each
/// with an empty CRL (<c>ALIAS.crl</c>, by <c>openssl ca -gencrl</c>), an intermediate CA under root 0 whose CRL
/// revokes one user, <c>openssl rehash -compat</c> links (<c>HASH.0</c> and <c>HASH.r0</c>, current and old hashes)
/// and the <c>.signing_policy</c>, <c>.namespaces</c> and <c>.info</c> files IGTF ships. Outside the directory: a
/// good user and a revoked user under the intermediate, and a user of a CA that is not in the directory.
/// </summary>
public sealed class GridCaDirectory : IDisposable
{
    /// <summary>Makes the directory (about 300 openssl runs, four at a time).</summary>
    /// <param name="roots">How many root CAs.</param>
    public GridCaDirectory(int roots = 150)
    {
        Roots = roots;
        Dir = Directory.CreateTempSubdirectory("toolkit-cadir-").FullName;
        Directory.CreateDirectory(CertDir);
        Directory.CreateDirectory(P("keys"));
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
            keyUsage=critical,digitalSignature,keyEncipherment
            extendedKeyUsage=clientAuth
            subjectKeyIdentifier=hash
            authorityKeyIdentifier=keyid
            [ca]
            default_ca=empty
            [empty]
            database=empty-index.txt
            default_md=sha256
            default_crl_days=30
            [revoking]
            database=revoking-index.txt
            default_md=sha256
            default_crl_days=30
            """);
        File.WriteAllText(P("empty-index.txt"), string.Empty);
        File.WriteAllText(P("revoking-index.txt"), string.Empty);

        Parallel.For(0, roots, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            (string subject, string[] flags) = RootSubject(i);
            string alias = Alias(i);
            Run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", P("keys", alias + ".key"),
                "-out", Path.Combine(CertDir, alias + ".pem"), "-days", "30", "-subj", subject, .. flags, "-set_serial", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-config", P("ext.cnf"), "-extensions", "ca_ext"]);
            if (i != 0)
            {
                Gencrl("empty", alias, Path.Combine(CertDir, alias + ".pem"));
            }

            File.WriteAllText(Path.Combine(CertDir, alias + ".signing_policy"), $"access_id_CA X509 '{subject}'\npos_rights globus CA:sign\ncond_subjects globus '\"*\"'\n");
            File.WriteAllText(Path.Combine(CertDir, alias + ".namespaces"), $"TO Issuer \"{subject}\" PERMIT Subject \".*\"\n");
            File.WriteAllText(Path.Combine(CertDir, alias + ".info"), $"alias = {alias}\nversion = 1.0-1\n");
        });

        // Root 0 → intermediate (in the directory) → good and revoked users; a stranger CA (not in it) → its user.
        Issue("intermediate", "/DC=org/DC=igtf/CN=Grid Intermediate CA", Root0Pem, Root0Key, "4242", "ca_ext", Path.Combine(CertDir, "intermediate.pem"));
        Issue("good", "/DC=org/DC=igtf/CN=Good User", IntermediatePem, P("keys", "intermediate.key"), "1001", "user_ext", GoodUser);
        Issue("revoked", "/DC=org/DC=igtf/CN=Revoked User", IntermediatePem, P("keys", "intermediate.key"), "1002", "user_ext", RevokedUser);
        Run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", P("keys", "stranger-ca.key"),
            "-out", P("stranger-ca.pem"), "-days", "30", "-subj", "/DC=org/DC=elsewhere/CN=Stranger CA", "-config", P("ext.cnf"), "-extensions", "ca_ext"]);
        Issue("stranger", "/DC=org/DC=elsewhere/CN=Stranger", P("stranger-ca.pem"), P("keys", "stranger-ca.key"), "7", "user_ext", StrangerUser);
        Gencrl("empty", Alias(0), Root0Pem);
        Run(["ca", "-config", P("ext.cnf"), "-name", "revoking", "-keyfile", P("keys", "intermediate.key"), "-cert", IntermediatePem, "-revoke", RevokedUser]);
        Gencrl("revoking", "intermediate", IntermediatePem);
        Run(["rehash", "-compat", CertDir]);
    }

    public int Roots { get; }

    public string Dir { get; }

    /// <summary>The hashed directory (what <c>X509_CERT_DIR</c> names).</summary>
    public string CertDir => P("certificates");

    public string Root0Pem => Path.Combine(CertDir, Alias(0) + ".pem");

    public string IntermediatePem => Path.Combine(CertDir, "intermediate.pem");

    public string GoodUser => P("good.pem");

    public string RevokedUser => P("revoked.pem");

    public string StrangerUser => P("stranger.pem");

    private string Root0Key => P("keys", Alias(0) + ".key");

    public static string Alias(int i) => "Grid-CA-" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);

    public string P(params string[] parts) => Path.Combine([Dir, .. parts]);

    /// <summary>The names of the files that are links to <paramref name="target"/> (its hashed names).</summary>
    public IReadOnlyList<string> LinksTo(string target) => Directory.EnumerateFileSystemEntries(CertDir)
        .Where(f => new FileInfo(f).LinkTarget is { } t && Path.GetFileName(t) == Path.GetFileName(target))
        .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    private static (string Subject, string[] Flags) RootSubject(int i) => (i % 6) switch
    {
        0 => ($"/DC=org/DC=igtf/O=Grid Org {i}/CN=Grid CA {i}", []),
        1 => ($"/C=DE/O=GermanGrid  Spaces/OU=Unit {i}/CN=GridKa   CA {i}", []),
        2 => ($"/DC=ORG/DC=Mixed/CN=UPPER Case CA {i}/emailAddress=ca{i}@Example.ORG", []),
        3 => ($"/C=CH/O=Hélène Réseau {i}/CN=Zürich CA {i}", ["-utf8"]),
        4 => ($"/O=Multi {i}+OU=Valued/CN=Multi RDN CA {i}", ["-multivalue-rdn"]),
        _ => ($"/DC=net/DC=Example/CN=Tab\tand  Case CA {i}", []),
    };

    private void Issue(string name, string subject, string caPem, string caKey, string serial, string ext, string output)
    {
        Run(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", P("keys", name + ".key"), "-out", P(name + ".csr"), "-subj", subject, "-config", P("ext.cnf")]);
        Run(["x509", "-req", "-in", P(name + ".csr"), "-CA", caPem, "-CAkey", caKey, "-set_serial", serial, "-days", "10", "-extfile", P("ext.cnf"), "-extensions", ext, "-out", output]);
    }

    private void Gencrl(string section, string alias, string caPem) =>
        Run(["ca", "-config", P("ext.cnf"), "-name", section, "-keyfile", P("keys", alias + ".key"), "-cert", caPem, "-gencrl", "-out", Path.Combine(CertDir, alias + ".crl")]);

    private void Run(string[] args)
    {
        Tool.Result r = Tool.Run("openssl", args, workDir: Dir);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {r}");
        }
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
