using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Security.Cryptography.X509Certificates;
using Toolkit.Runtime.Security;

namespace Toolkit.Cli;

/// <summary>The options of <c>toolkit proxy init</c>.</summary>
/// <param name="Valid">Lifetime as HH:MM.</param>
/// <param name="Bits">RSA key size of the proxy.</param>
/// <param name="Cert">User certificate; null for discovery.</param>
/// <param name="Key">User key; null for discovery.</param>
/// <param name="Out">Proxy file; null for the default.</param>
/// <param name="PathLength">Maximum number of proxies that may follow.</param>
/// <param name="PassphraseFromStdin">Read the key passphrase from standard input.</param>
/// <param name="Quiet">Print nothing on success.</param>
internal sealed record ProxyInitOptions(string Valid = "12:00", int Bits = 2048, string? Cert = null, string? Key = null, string? Out = null, int? PathLength = null, bool PassphraseFromStdin = false, bool Quiet = false);

/// <summary>The options of <c>toolkit proxy info</c>.</summary>
/// <param name="File">Proxy file; null for the default.</param>
/// <param name="Json">Print JSON.</param>
/// <param name="Exists">Only check validity, through the exit code.</param>
internal sealed record ProxyInfoOptions(string? File = null, bool Json = false, bool Exists = false);

/// <summary>The options of <c>toolkit proxy destroy</c>.</summary>
/// <param name="File">Proxy file; null for the default.</param>
internal sealed record ProxyDestroyOptions(string? File = null);

/// <summary><c>toolkit proxy init|info|destroy</c>: grid-proxy-init / grid-proxy-info / grid-proxy-destroy equivalents.</summary>
internal static class ProxyCommands
{
    public static Command Create()
    {
        var proxy = new Command("proxy", "Create, inspect and remove RFC 3820 proxy certificates");
        proxy.Subcommands.Add(CreateInit());
        proxy.Subcommands.Add(CreateInfo());
        proxy.Subcommands.Add(CreateDestroy());
        return proxy;
    }

    private static Command CreateInit()
    {
        var valid = new Option<string>("-valid", "--valid") { Description = "Proxy lifetime as HH:MM (default 12:00)", DefaultValueFactory = _ => "12:00" };
        var bits = new Option<int>("-bits", "--bits") { Description = "RSA key size of the proxy (default 2048)", DefaultValueFactory = _ => 2048 };
        var cert = new Option<string?>("-cert", "--cert") { Description = "User certificate (default X509_USER_CERT, else ~/.globus/usercert.pem)" };
        var key = new Option<string?>("-key", "--key") { Description = "User private key (default X509_USER_KEY, else ~/.globus/userkey.pem)" };
        var output = new Option<string?>("-out", "--out") { Description = "Proxy file (default X509_USER_PROXY, else /tmp/x509up_u<uid>)" };
        var pathLength = new Option<int?>("-path-length", "--path-length") { Description = "Maximum number of proxies that may follow this one" };
        var pwstdin = new Option<bool>("-pwstdin", "--pwstdin") { Description = "Read the key passphrase from standard input" };
        var quiet = new Option<bool>("-q", "--quiet") { Description = "Print nothing on success" };
        var cmd = new Command("init", "Create a proxy certificate from the user certificate (like grid-proxy-init)")
        {
            valid, bits, cert, key, output, pathLength, pwstdin, quiet,
        };
        cmd.SetAction(parse => Init(
            new ProxyInitOptions(parse.GetValue(valid)!, parse.GetValue(bits), parse.GetValue(cert), parse.GetValue(key), parse.GetValue(output), parse.GetValue(pathLength), parse.GetValue(pwstdin), parse.GetValue(quiet)),
            CliConsole.System()));
        return cmd;
    }

    /// <summary><c>proxy init</c>.</summary>
    public static int Init(ProxyInitOptions o, CliConsole console) => CliErrors.Run(console.Error, () =>
    {
        var lifetime = ParseValid(o.Valid);
        var location = CredentialDiscovery.LocateUserCertificate(new CredentialSearchOptions { CertificatePath = o.Cert, KeyPath = o.Key });
        string outPath = o.Out ?? CredentialDiscovery.DefaultProxyPath();
        using var user = X509Credential.Load(location.CertificatePath, location.KeyPath, prompt => o.PassphraseFromStdin ? console.In.ReadLine() : console.AskSecret(prompt));
        if (!o.Quiet)
        {
            console.Out.WriteLine($"Your identity: {user.Identity}");
        }

        user.EnsureValid(DateTimeOffset.UtcNow);
        using var created = ProxyFactory.CreateProxy(user, new ProxyOptions { Lifetime = lifetime, KeySize = o.Bits, PathLength = o.PathLength });
        created.WritePem(outPath);
        if (!o.Quiet)
        {
            console.Out.WriteLine("Creating proxy ... Done");
            console.Out.WriteLine($"Your proxy is valid until: {TimeFormats.Globus(created.NotAfter)}");
            console.Out.WriteLine($"Proxy written to {outPath}");
        }

        return ExitCodes.Ok;
    });

    private static Command CreateInfo()
    {
        var file = new Option<string?>("-file", "--file", "-f") { Description = "Proxy file (default X509_USER_PROXY, else /tmp/x509up_u<uid>)" };
        var json = CliOptions.Json(hiddenAliases: "-json");
        var exists = new Option<bool>("-exists", "--exists", "-e") { Description = "Only check: exit 0 when a valid proxy exists, else 1" };
        var cmd = new Command("info", "Show a proxy certificate (like grid-proxy-info / voms-proxy-info -all)") { file, exists };
        json.AddTo(cmd);
        cmd.SetAction(parse => Info(new ProxyInfoOptions(parse.GetValue(file), json.GetValue(parse), parse.GetValue(exists)), CliConsole.System()));
        return cmd;
    }

    /// <summary><c>proxy info</c>.</summary>
    public static int Info(ProxyInfoOptions o, CliConsole console) => CliErrors.Run(console.Error, () =>
    {
        string path = o.File ?? CredentialDiscovery.DefaultProxyPath();
        if (!File.Exists(path))
        {
            if (o.Exists)
            {
                return ExitCodes.Failure;
            }

            throw new CredentialException("proxy file not found", path);
        }

        // The proxy holds its private key: the same permission rule as fts whoami --proxy (SecureFile.EnsurePrivate).
        var certs = X509Credential.ReadCertificateFile(path);
        if (certs.Count == 0)
        {
            throw new CredentialException("no certificate in the file", path);
        }

        var now = DateTimeOffset.UtcNow;
        var leaf = certs[0];
        var endEntity = certs.FirstOrDefault(c => !ProxyCertificates.IsProxy(c)) ?? certs[^1];
        var notAfter = certs.TakeWhile(c => c != endEntity).Append(endEntity).Min(c => new DateTimeOffset(c.NotAfter.ToUniversalTime()));
        var left = notAfter > now ? notAfter - now : TimeSpan.Zero;
        if (o.Exists)
        {
            return left > TimeSpan.Zero ? ExitCodes.Ok : ExitCodes.Failure;
        }

        IReadOnlyList<VomsAttributes> voms = certs.TakeWhile(ProxyCertificates.IsProxy).Select(VomsAttributes.Read).FirstOrDefault(v => v.Count > 0) ?? [];
        int strength;
        using (var rsa = leaf.GetRSAPublicKey())
        using (var ec = rsa is null ? leaf.GetECDsaPublicKey() : null)
        {
            strength = rsa?.KeySize ?? ec?.KeySize ?? 0;
        }

        if (o.Json)
        {
            JsonOutput.WriteIndented(console.Out, (Utf8JsonWriter w) => InfoJson(w, leaf, endEntity, strength, path, notAfter, left, voms));
            return ExitCodes.Ok;
        }

        var text = console.Out;
        text.WriteLine($"subject  : {DistinguishedNames.ToGridForm(leaf.SubjectName)}");
        text.WriteLine($"issuer   : {DistinguishedNames.ToGridForm(leaf.IssuerName)}");
        text.WriteLine($"identity : {DistinguishedNames.ToGridForm(endEntity.SubjectName)}");
        text.WriteLine($"type     : {ProxyCertificates.Describe(leaf)}");
        text.WriteLine($"strength : {strength.ToString(CultureInfo.InvariantCulture)} bits");
        text.WriteLine($"path     : {path}");
        text.WriteLine($"timeleft : {TimeFormats.Left(left)}");
        foreach (var v in voms)
        {
            text.WriteLine($"=== VO {v.Vo} extension information ===");
            text.WriteLine($"VO        : {v.Vo}");
            text.WriteLine($"issuer    : {v.Issuer}");
            foreach (var fqan in v.Fqans)
            {
                text.WriteLine($"attribute : {fqan}");
            }

            text.WriteLine($"timeleft  : {TimeFormats.Left(v.NotAfter > now ? v.NotAfter - now : TimeSpan.Zero)}");
            if (v.ServerUri is not null)
            {
                text.WriteLine($"uri       : {v.ServerUri}");
            }

            text.WriteLine($"serial    : {v.SerialNumber}");
        }

        return ExitCodes.Ok;
    });

    private static Command CreateDestroy()
    {
        var file = new Option<string?>("-file", "--file", "-f") { Description = "Proxy file (default X509_USER_PROXY, else /tmp/x509up_u<uid>)" };
        var cmd = new Command("destroy", "Remove the proxy file (like grid-proxy-destroy)") { file };
        cmd.SetAction(parse => Destroy(new ProxyDestroyOptions(parse.GetValue(file)), CliConsole.System()));
        return cmd;
    }

    /// <summary><c>proxy destroy</c>.</summary>
    public static int Destroy(ProxyDestroyOptions o, CliConsole console) => CliErrors.Run(console.Error, () =>
    {
        string path = o.File ?? CredentialDiscovery.DefaultProxyPath();
        if (!File.Exists(path))
        {
            console.Error.WriteLine($"no proxy at {path}");
            return ExitCodes.Failure;
        }

        // Overwrite before unlinking so the key does not linger in the file's blocks.
        long length = new FileInfo(path).Length;
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            fs.Write(new byte[length]);
        }

        File.Delete(path);
        return ExitCodes.Ok;
    });

    internal static TimeSpan ParseValid(string text)
    {
        var parts = text.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int m) && m < 60 && (h > 0 || m > 0))
        {
            return new TimeSpan(h, m, 0);
        }

        throw new FormatException($"-valid expects HH:MM (e.g. 12:00), got '{text}'");
    }

    private static void InfoJson(Utf8JsonWriter w, X509Certificate2 leaf, X509Certificate2 endEntity, int strength, string path, DateTimeOffset notAfter, TimeSpan left, IReadOnlyList<VomsAttributes> voms)
    {
        w.WriteStartObject();
        w.WriteString("subject", DistinguishedNames.ToGridForm(leaf.SubjectName));
        w.WriteString("issuer", DistinguishedNames.ToGridForm(leaf.IssuerName));
        w.WriteString("identity", DistinguishedNames.ToGridForm(endEntity.SubjectName));
        w.WriteString("type", ProxyCertificates.Describe(leaf));
        w.WriteNumber("strength", strength);
        w.WriteString("path", path);
        w.WriteString("notAfter", TimeFormats.Iso(notAfter));
        w.WriteNumber("timeLeftSeconds", (long)left.TotalSeconds);
        w.WriteStartArray("voms");
        foreach (var v in voms)
        {
            w.WriteStartObject();
            w.WriteString("vo", v.Vo);
            w.WriteString("issuer", v.Issuer);
            w.WriteStartArray("fqans");
            foreach (var f in v.Fqans)
            {
                w.WriteStringValue(f);
            }

            w.WriteEndArray();
            w.WriteString("notBefore", TimeFormats.Iso(v.NotBefore));
            w.WriteString("notAfter", TimeFormats.Iso(v.NotAfter));
            w.WriteString("serial", v.SerialNumber);
            if (v.ServerUri is not null)
            {
                w.WriteString("uri", v.ServerUri);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
