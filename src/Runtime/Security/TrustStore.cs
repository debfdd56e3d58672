using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Toolkit.Runtime.Security;

/// <summary>
/// The grid trust anchors: CA certificates (and their CRLs) from <c>X509_CERT_DIR</c>, else
/// <c>/etc/grid-security/certificates</c>, or a fixed set (<see cref="FromCertificates"/>). A directory is read on
/// demand, as OpenSSL's <c>-CApath</c> does: when a chain needs the issuer named N, the store reads
/// <c>HASH.0</c>, <c>HASH.1</c>, … (HASH being N's subject hash, the current and the pre-1.0 one, see
/// <see cref="SubjectHash"/>) and, when it checks revocation by N, <c>HASH.r0</c>, <c>HASH.r1</c>, …; each file is read
/// once (names that link to the same file count once) and kept, and a name not found is remembered too. So a client
/// start costs one directory listing, not the ~150 CAs and CRLs of a real directory. <c>*.pem</c> files that no hashed
/// name links to are read (all at once) the first time a lookup finds nothing. Other files (signing policies,
/// namespaces, info files) are never read.
/// </summary>
public sealed class TrustStore
{
    /// <summary>The conventional trust directory, used when <c>X509_CERT_DIR</c> is unset.</summary>
    public const string DefaultDirectory = "/etc/grid-security/certificates";

    private const int MaxFilesPerHash = 100;
    private const int MaxIssuerNames = 64;

    private readonly object _gate = new();

    // A fixed store (FromCertificates): everything is known up front.
    private readonly X509Certificate2Collection? _fixed;
    private readonly List<CertificateRevocationList>? _fixedCrls;

    // A directory store: what has been read, by real path, and what each name led to.
    private readonly Dictionary<string, LoadedFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<X509Certificate2>> _issuers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CertificateRevocationList>> _crlsByIssuer = new(StringComparer.Ordinal);
    private readonly List<string> _read = [];
    private List<X509Certificate2>? _loosePem;
    private X509Certificate2Collection? _all;
    private List<CertificateRevocationList>? _allCrls;

    private TrustStore(string? directory, X509Certificate2Collection? authorities, List<CertificateRevocationList>? crls)
    {
        Directory = directory;
        _fixed = authorities;
        _fixedCrls = crls;
    }

    /// <summary>The directory the store reads, or null when built from certificates.</summary>
    public string? Directory { get; }

    /// <summary>
    /// The CA certificates (roots and intermediates). For a directory store this reads every certificate file of the
    /// directory (<c>*.0</c>…<c>*.9</c>, <c>*.pem</c>), once; validation does not need it.
    /// </summary>
    public X509Certificate2Collection Authorities
    {
        get
        {
            if (_fixed is not null)
            {
                return _fixed;
            }

            lock (_gate)
            {
                if (_all is null)
                {
                    var all = new X509Certificate2Collection();
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (string file in ListFiles(Directory!).Where(f => IsCertificateFile(f)))
                    {
                        foreach (var cert in ReadFile(file, crl: false).Certificates)
                        {
                            if (seen.Add(cert.Thumbprint))
                            {
                                all.Add(cert);
                            }
                        }
                    }

                    _all = all;
                }

                return _all;
            }
        }
    }

    /// <summary>Number of CRLs in the store (for a directory store this reads every <c>*.r0</c>…<c>*.r9</c> file, once).</summary>
    public int CrlCount
    {
        get
        {
            if (_fixedCrls is not null)
            {
                return _fixedCrls.Count;
            }

            lock (_gate)
            {
                _allCrls ??= ListFiles(Directory!).Where(IsCrlFile).Select(f => ReadFile(f, crl: true)).Distinct().SelectMany(f => f.Crls).ToList();
                return _allCrls.Count;
            }
        }
    }

    /// <summary>
    /// The files of the directory the store has read so far (certificates and CRLs, by the path they were found
    /// under), in the order read. A diagnostic: a TLS client start reads only the CAs and CRLs its peers need.
    /// </summary>
    public IReadOnlyList<string> FilesRead
    {
        get
        {
            lock (_gate)
            {
                return [.. _read];
            }
        }
    }

    /// <summary>The directory <see cref="Load"/> uses: <paramref name="directory"/>, else <c>X509_CERT_DIR</c>, else <see cref="DefaultDirectory"/>.</summary>
    /// <param name="directory">An explicit directory, or null.</param>
    /// <param name="environment">Environment lookup; null for the process environment.</param>
    /// <returns>The directory path.</returns>
    public static string ResolveDirectory(string? directory = null, Func<string, string?>? environment = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        return directory ?? (string.IsNullOrWhiteSpace(env("X509_CERT_DIR")) ? DefaultDirectory : env("X509_CERT_DIR")!);
    }

    /// <summary>
    /// OpenSSL's subject hash of <paramref name="name"/>, the stem of its files in a hashed directory: eight hex digits,
    /// as <c>openssl x509 -hash</c> (or, with <paramref name="old"/>, <c>-subject_hash_old</c>) prints them.
    /// </summary>
    /// <param name="name">A subject (or issuer) name.</param>
    /// <param name="old">The pre-OpenSSL-1.0 hash (MD5 of the DER name) instead of the current one (SHA-1 of the canonical name).</param>
    /// <returns>The hash.</returns>
    /// <exception cref="CredentialException">The name is not valid DER.</exception>
    public static string SubjectHash(X500DistinguishedName name, bool old = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            return old ? OpenSslNameHash.HashOld(name) : OpenSslNameHash.Hash(name);
        }
        catch (AsnContentException e)
        {
            throw new CredentialException("the distinguished name is not valid DER", "a certificate name", e);
        }
    }

    /// <summary>
    /// Opens the trust directory. Only its listing is read here (it must exist and hold at least one certificate file
    /// name); the certificates and CRLs are read when a validation needs them.
    /// </summary>
    /// <param name="directory">An explicit directory; null for <c>X509_CERT_DIR</c> or the default.</param>
    /// <param name="environment">Environment lookup; null for the process environment.</param>
    /// <returns>The store.</returns>
    /// <exception cref="CredentialException">The directory does not exist or holds no CA certificate file.</exception>
    public static TrustStore Load(string? directory = null, Func<string, string?>? environment = null)
    {
        string dir = ResolveDirectory(directory, environment);
        if (!System.IO.Directory.Exists(dir))
        {
            throw new CredentialException("the trust directory does not exist (set X509_CERT_DIR or install the CA certificates)", dir);
        }
        if (!ListFiles(dir).Any(f => IsCertificateFile(f)))
        {
            throw new CredentialException("the trust directory holds no CA certificate (*.0 or *.pem)", dir);
        }
        return new TrustStore(dir, null, null);
    }

    /// <summary>Builds a store from certificates and optional DER or PEM CRLs.</summary>
    /// <param name="authorities">CA certificates.</param>
    /// <param name="crls">CRLs, DER or PEM encoded; null for none.</param>
    /// <returns>The store.</returns>
    public static TrustStore FromCertificates(IEnumerable<X509Certificate2> authorities, IEnumerable<byte[]>? crls = null)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        var list = new List<CertificateRevocationList>();
        foreach (var crl in crls ?? [])
        {
            foreach (var der in ReadBlocks(crl, "X509 CRL", "CRL"))
            {
                list.Add(CertificateRevocationList.Parse(der, "CRL"));
            }
        }
        return new TrustStore(null, new X509Certificate2Collection(authorities.ToArray()), list);
    }

    /// <summary>
    /// Validates a (non-proxy) certificate against the store: a path to one of the CAs, every certificate valid at
    /// <paramref name="now"/>, and none revoked by a CRL of the store (a CRL whose signature does not verify is an error).
    /// </summary>
    /// <param name="certificate">The end-entity certificate.</param>
    /// <param name="intermediates">Certificates the peer sent along; may include CAs not in the store.</param>
    /// <param name="now">The verification time.</param>
    /// <returns>Empty when valid, else one message per problem.</returns>
    public IReadOnlyList<string> Validate(X509Certificate2 certificate, IEnumerable<X509Certificate2> intermediates, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(intermediates);
        var errors = new List<string>();
        var presented = intermediates.ToList();
        IEnumerable<X509Certificate2> authorities;
        try
        {
            authorities = _fixed ?? (IEnumerable<X509Certificate2>)IssuersFor(certificate, presented);
        }
        catch (CredentialException e)
        {
            // A file of the trust directory the chain needs is unreadable or not a certificate: refuse, saying which.
            errors.Add(e.Message);
            return errors;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        foreach (var ca in authorities)
        {
            if (ca.SubjectName.RawData.AsSpan().SequenceEqual(ca.IssuerName.RawData))
            {
                chain.ChainPolicy.CustomTrustStore.Add(ca);
            }
            else
            {
                chain.ChainPolicy.ExtraStore.Add(ca);
            }
        }
        foreach (var c in presented)
        {
            chain.ChainPolicy.ExtraStore.Add(c);
        }
        if (!chain.Build(certificate))
        {
            foreach (var status in chain.ChainStatus)
            {
                errors.Add($"{status.Status}: {status.StatusInformation.Trim()}");
            }
            if (errors.Count == 0)
            {
                errors.Add("no chain to a trusted CA");
            }
            return errors;
        }
        var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
        for (int i = 0; i + 1 < elements.Count; i++)
        {
            try
            {
                CheckRevocation(elements[i], elements[i + 1], now, errors);
            }
            catch (CredentialException e)
            {
                errors.Add(e.Message);
            }
        }
        return errors;
    }

    /// <summary>Adds an error when a CRL from <paramref name="issuer"/> lists <paramref name="certificate"/>.</summary>
    internal void CheckRevocation(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset now, List<string> errors)
    {
        foreach (var crl in _fixedCrls ?? CrlsFor(issuer.SubjectName))
        {
            if (!crl.Issuer.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
            {
                continue;
            }
            if (!crl.IsSignedBy(issuer))
            {
                errors.Add($"the CRL {crl.Source} of '{DistinguishedNames.ToGridForm(issuer.SubjectName)}' has a bad signature");
                continue;
            }
            if (crl.NextUpdate is DateTimeOffset next && next < now)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"the CRL {crl.Source} of '{DistinguishedNames.ToGridForm(issuer.SubjectName)}' expired at {next:u}"));
            }
            if (crl.Revoked.Contains(CertificateRevocationList.NormalizeSerial(certificate.SerialNumberBytes.Span)))
            {
                errors.Add($"certificate '{DistinguishedNames.ToGridForm(certificate.SubjectName)}' (serial {certificate.SerialNumber}) is revoked by {crl.Source}");
            }
        }
    }

    /// <summary>The directory's CAs that may issue <paramref name="leaf"/> or a presented certificate, and their issuers in turn.</summary>
    private List<X509Certificate2> IssuersFor(X509Certificate2 leaf, List<X509Certificate2> presented)
    {
        var found = new List<X509Certificate2>();
        var thumbprints = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<X500DistinguishedName>();
        queue.Enqueue(leaf.IssuerName);
        foreach (var c in presented)
        {
            queue.Enqueue(c.IssuerName);
        }
        while (queue.Count > 0 && names.Count < MaxIssuerNames)
        {
            var name = queue.Dequeue();
            string key = NameKey(name);
            if (!names.Add(key))
            {
                continue;
            }
            foreach (var ca in Issuers(name, key))
            {
                if (thumbprints.Add(ca.Thumbprint))
                {
                    found.Add(ca);
                    if (!ca.SubjectName.RawData.AsSpan().SequenceEqual(ca.IssuerName.RawData))
                    {
                        queue.Enqueue(ca.IssuerName);
                    }
                }
            }
        }
        return found;
    }

    /// <summary>The CAs named <paramref name="name"/>: from its hashed files, else from the <c>*.pem</c> files no hashed name links to.</summary>
    private List<X509Certificate2> Issuers(X500DistinguishedName name, string key)
    {
        lock (_gate)
        {
            if (!_issuers.TryGetValue(key, out var list))
            {
                list = ByHash(name, crl: false).SelectMany(f => f.Certificates).Where(c => NameKey(c.SubjectName) == key).ToList();
                if (list.Count == 0)
                {
                    list = LoosePem().Where(c => NameKey(c.SubjectName) == key).ToList();
                }
                _issuers[key] = list;
            }
            return list;
        }
    }

    /// <summary>The CRLs in the hashed CRL files of <paramref name="issuer"/>.</summary>
    private List<CertificateRevocationList> CrlsFor(X500DistinguishedName issuer)
    {
        string key = NameKey(issuer);
        lock (_gate)
        {
            if (!_crlsByIssuer.TryGetValue(key, out var list))
            {
                list = ByHash(issuer, crl: true).SelectMany(f => f.Crls).ToList();
                _crlsByIssuer[key] = list;
            }
            return list;
        }
    }

    /// <summary>Reads <c>HASH.0</c>… (or <c>HASH.r0</c>…) under the current and the old hash, up to the first missing number. Under the lock.</summary>
    private List<LoadedFile> ByHash(X500DistinguishedName name, bool crl)
    {
        string[] hashes;
        try
        {
            hashes = [OpenSslNameHash.Hash(name), OpenSslNameHash.HashOld(name)];
        }
        catch (AsnContentException)
        {
            return [];
        }
        var files = new List<LoadedFile>();
        foreach (string hash in hashes.Distinct(StringComparer.Ordinal))
        {
            for (int n = 0; n < MaxFilesPerHash; n++)
            {
                string path = Path.Combine(Directory!, hash + (crl ? ".r" : ".") + n.ToString(CultureInfo.InvariantCulture));
                if (!File.Exists(path))
                {
                    break;
                }
                LoadedFile file = ReadFile(path, crl);
                if (!files.Contains(file))
                {
                    files.Add(file);
                }
            }
        }
        return files;
    }

    /// <summary>The certificates of the <c>*.pem</c> files that no hashed name links to (read once, at the first miss). Under the lock.</summary>
    private List<X509Certificate2> LoosePem()
    {
        if (_loosePem is null)
        {
            var files = ListFiles(Directory!);
            var covered = new HashSet<string>(files.Where(f => IsCertificateFile(f, pem: false)).Select(RealPath), StringComparer.Ordinal);
            _loosePem = files.Where(f => Path.GetExtension(f) == ".pem" && !covered.Contains(RealPath(f)))
                .SelectMany(f => ReadFile(f, crl: false).Certificates).ToList();
        }
        return _loosePem;
    }

    /// <summary>Reads and parses a file once (by its real path); a file that fails fails every time. Under the lock.</summary>
    private LoadedFile ReadFile(string path, bool crl)
    {
        string real = RealPath(path);
        if (!_files.TryGetValue(real, out var file))
        {
            try
            {
                byte[] bytes = SecureFile.ReadBounded(path, "it");
                _read.Add(path);
                file = crl
                    ? new LoadedFile([], ReadBlocks(bytes, "X509 CRL", path).Select(der => CertificateRevocationList.Parse(der, path)).ToList(), null)
                    : new LoadedFile(ReadCertificates(bytes, path), [], null);
            }
            catch (CredentialException e)
            {
                file = new LoadedFile([], [], e);
            }
            _files[real] = file;
        }
        if (file.Error is not null)
        {
            throw new CredentialException(file.Error.Message, file.Error);
        }
        return file;
    }

    private static string RealPath(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Path.GetFullPath(path);
        }
    }

    /// <summary>How OpenSSL compares names (the canonical encoding); the DER bytes when that fails.</summary>
    private static string NameKey(X500DistinguishedName name)
    {
        try
        {
            return Convert.ToHexString(OpenSslNameHash.Canonical(name));
        }
        catch (AsnContentException)
        {
            return "der:" + Convert.ToHexString(name.RawData);
        }
    }

    private static List<string> ListFiles(string dir)
    {
        try
        {
            return System.IO.Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialException("cannot list the trust directory: " + e.Message, dir, e);
        }
    }

    private static bool IsCertificateFile(string file, bool pem = true)
    {
        string ext = Path.GetExtension(file);
        return (pem && ext == ".pem") || (ext.Length == 2 && char.IsAsciiDigit(ext[1]));
    }

    private static bool IsCrlFile(string file)
    {
        string ext = Path.GetExtension(file);
        return ext.Length == 3 && ext[1] == 'r' && char.IsAsciiDigit(ext[2]);
    }

    private static List<X509Certificate2> ReadCertificates(byte[] bytes, string source)
    {
        var list = new List<X509Certificate2>();
        foreach (var der in ReadBlocks(bytes, "CERTIFICATE", source))
        {
            try
            {
                list.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
            {
                throw new CredentialException("not a valid X.509 certificate", source, e);
            }
        }
        return list;
    }

    /// <summary>One file as read (compared by reference: two names of one file give the same object).</summary>
    private sealed class LoadedFile(List<X509Certificate2> certificates, List<CertificateRevocationList> crls, CredentialException? error)
    {
        public List<X509Certificate2> Certificates => certificates;

        public List<CertificateRevocationList> Crls => crls;

        public CredentialException? Error => error;
    }

    private static List<byte[]> ReadBlocks(byte[] bytes, string label, string source)
    {
        if (bytes.Length > 0 && bytes[0] == 0x30)
        {
            return [bytes];
        }
        string text = System.Text.Encoding.ASCII.GetString(bytes);
        return PemBlock.ParseAll(text, source).Where(b => b.Label == label || (label == "CERTIFICATE" && b.Label == "TRUSTED CERTIFICATE")).Select(b => b.Data).ToList();
    }
}
