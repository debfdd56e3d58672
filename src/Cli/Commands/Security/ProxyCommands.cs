using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Toolkit.Runtime.Security;

namespace Toolkit.Cli;

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
        cmd.SetAction(parse => Run(() =>
        {
            var lifetime = ParseValid(parse.GetValue(valid)!);
            var (certPath, keyPath) = LocateUserCredential(parse.GetValue(cert), parse.GetValue(key));
            string outPath = parse.GetValue(output) ?? DefaultProxyPath();
            bool fromStdin = parse.GetValue(pwstdin);
            using var user = X509Credential.Load(certPath, keyPath, prompt => fromStdin ? Console.In.ReadLine() : ProxyPassphrase.Ask(prompt));
            bool q = parse.GetValue(quiet);
            if (!q)
            {
                Console.WriteLine($"Your identity: {user.Identity}");
            }
            user.EnsureValid(DateTimeOffset.UtcNow);
            using var created = ProxyFactory.CreateProxy(user, new ProxyOptions { Lifetime = lifetime, KeySize = parse.GetValue(bits), PathLength = parse.GetValue(pathLength) });
            created.WritePem(outPath);
            if (!q)
            {
                Console.WriteLine($"Creating proxy ... Done");
                Console.WriteLine($"Your proxy is valid until: {created.NotAfter.UtcDateTime.ToString("ddd MMM d HH:mm:ss yyyy 'UTC'", CultureInfo.InvariantCulture)}");
                Console.WriteLine($"Proxy written to {outPath}");
            }
            return 0;
        }));
        return cmd;
    }

    private static Command CreateInfo()
    {
        var file = new Option<string?>("-file", "--file", "-f") { Description = "Proxy file (default X509_USER_PROXY, else /tmp/x509up_u<uid>)" };
        var json = new Option<bool>("--json", "-json") { Description = "Print JSON" };
        var exists = new Option<bool>("-exists", "--exists", "-e") { Description = "Only check: exit 0 when a valid proxy exists, else 1" };
        var cmd = new Command("info", "Show a proxy certificate (like grid-proxy-info / voms-proxy-info -all)") { file, json, exists };
        cmd.SetAction(parse => Run(() =>
        {
            string path = parse.GetValue(file) ?? DefaultProxyPath();
            if (!File.Exists(path))
            {
                if (parse.GetValue(exists))
                {
                    return 1;
                }
                throw new CredentialException("proxy file not found", path);
            }
            var certs = X509Credential.ReadCertificates(File.ReadAllText(path), path);
            if (certs.Count == 0)
            {
                throw new CredentialException("no certificate in the file", path);
            }
            var now = DateTimeOffset.UtcNow;
            var leaf = certs[0];
            var endEntity = certs.FirstOrDefault(c => !ProxyCertificates.IsProxy(c)) ?? certs[^1];
            var notAfter = certs.TakeWhile(c => c != endEntity).Append(endEntity).Min(c => new DateTimeOffset(c.NotAfter.ToUniversalTime()));
            var left = notAfter > now ? notAfter - now : TimeSpan.Zero;
            if (parse.GetValue(exists))
            {
                return left > TimeSpan.Zero ? 0 : 1;
            }
            IReadOnlyList<VomsAttributes> voms = certs.TakeWhile(ProxyCertificates.IsProxy).Select(VomsAttributes.Read).FirstOrDefault(v => v.Count > 0) ?? [];
            int strength;
            using (var rsa = leaf.GetRSAPublicKey())
            using (var ec = rsa is null ? leaf.GetECDsaPublicKey() : null)
            {
                strength = rsa?.KeySize ?? ec?.KeySize ?? 0;
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(InfoJson(leaf, endEntity, strength, path, notAfter, left, voms));
                return 0;
            }
            Console.WriteLine($"subject  : {DistinguishedNames.ToGridForm(leaf.SubjectName)}");
            Console.WriteLine($"issuer   : {DistinguishedNames.ToGridForm(leaf.IssuerName)}");
            Console.WriteLine($"identity : {DistinguishedNames.ToGridForm(endEntity.SubjectName)}");
            Console.WriteLine($"type     : {ProxyCertificates.Describe(leaf)}");
            Console.WriteLine($"strength : {strength.ToString(CultureInfo.InvariantCulture)} bits");
            Console.WriteLine($"path     : {path}");
            Console.WriteLine($"timeleft : {FormatLeft(left)}");
            foreach (var v in voms)
            {
                Console.WriteLine($"=== VO {v.Vo} extension information ===");
                Console.WriteLine($"VO        : {v.Vo}");
                Console.WriteLine($"issuer    : {v.Issuer}");
                foreach (var fqan in v.Fqans)
                {
                    Console.WriteLine($"attribute : {fqan}");
                }
                Console.WriteLine($"timeleft  : {FormatLeft(v.NotAfter > now ? v.NotAfter - now : TimeSpan.Zero)}");
                if (v.ServerUri is not null)
                {
                    Console.WriteLine($"uri       : {v.ServerUri}");
                }
                Console.WriteLine($"serial    : {v.SerialNumber}");
            }
            return 0;
        }));
        return cmd;
    }

    private static Command CreateDestroy()
    {
        var file = new Option<string?>("-file", "--file", "-f") { Description = "Proxy file (default X509_USER_PROXY, else /tmp/x509up_u<uid>)" };
        var cmd = new Command("destroy", "Remove the proxy file (like grid-proxy-destroy)") { file };
        cmd.SetAction(parse => Run(() =>
        {
            string path = parse.GetValue(file) ?? DefaultProxyPath();
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"no proxy at {path}");
                return 1;
            }
            // Overwrite before unlinking so the key does not linger in the file's blocks.
            long length = new FileInfo(path).Length;
            using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                fs.Write(new byte[length]);
            }
            File.Delete(path);
            return 0;
        }));
        return cmd;
    }

    internal static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (CliErrors.TryReport(e, out var exitCode))
        {
            return exitCode;
        }
    }

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

    private static (string Cert, string Key) LocateUserCredential(string? cert, string? key)
    {
        if (cert is not null || key is not null)
        {
            return (cert ?? key!, key ?? cert!);
        }
        string? envCert = Environment.GetEnvironmentVariable("X509_USER_CERT");
        string? envKey = Environment.GetEnvironmentVariable("X509_USER_KEY");
        if (!string.IsNullOrEmpty(envCert) && !string.IsNullOrEmpty(envKey))
        {
            return (envCert, envKey);
        }
        string home = Environment.GetEnvironmentVariable("HOME") ?? ".";
        return (Path.Combine(home, ".globus", "usercert.pem"), Path.Combine(home, ".globus", "userkey.pem"));
    }

    internal static string DefaultProxyPath()
    {
        string? env = Environment.GetEnvironmentVariable("X509_USER_PROXY");
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }
        string uid = "0";
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                uid = line[4..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
                break;
            }
        }
        return "/tmp/x509up_u" + uid;
    }

    internal static string FormatLeft(TimeSpan left) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours}:{left.Minutes:00}:{left.Seconds:00}");

    private static string InfoJson(X509Certificate2 leaf, X509Certificate2 endEntity, int strength, string path, DateTimeOffset notAfter, TimeSpan left, IReadOnlyList<VomsAttributes> voms)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("subject", DistinguishedNames.ToGridForm(leaf.SubjectName));
            w.WriteString("issuer", DistinguishedNames.ToGridForm(leaf.IssuerName));
            w.WriteString("identity", DistinguishedNames.ToGridForm(endEntity.SubjectName));
            w.WriteString("type", ProxyCertificates.Describe(leaf));
            w.WriteNumber("strength", strength);
            w.WriteString("path", path);
            w.WriteString("notAfter", notAfter.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
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
                w.WriteString("notBefore", v.NotBefore.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                w.WriteString("notAfter", v.NotAfter.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
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
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
