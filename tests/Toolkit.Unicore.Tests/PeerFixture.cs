using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Toolkit.Peers.Unicore;

namespace Toolkit.Unicore.Tests;

/// <summary>One UNICORE peer for a test class: demouser/test123, other/pw, a bearer token, and RSA and EC keys trusted for signed JWTs.</summary>
public sealed class PeerFixture : IAsyncLifetime
{
    public const string BearerToken = "demo-bearer-token";

    public UnicorePeer Peer { get; } = new(NewOptions());

    public static RSA RsaKey { get; } = RSA.Create(2048);

    public static ECDsa EcKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static UnicorePeerOptions NewOptions()
    {
        var o = new UnicorePeerOptions();
        o.Users["other"] = "pw";
        o.BearerTokens[BearerToken] = "demouser";
        var rsaPublic = RSA.Create();
        rsaPublic.ImportSubjectPublicKeyInfo(RsaKey.ExportSubjectPublicKeyInfo(), out _);
        o.JwtKeys["demouser"] = rsaPublic;
        var ecPublic = ECDsa.Create();
        ecPublic.ImportSubjectPublicKeyInfo(EcKey.ExportSubjectPublicKeyInfo(), out _);
        o.JwtKeys["ecuser"] = ecPublic;
        return o;
    }

    public UnicoreClient Client(UnicoreCredential? credential = null, Func<UnicoreClientOptions, UnicoreClientOptions>? configure = null)
    {
        var options = new UnicoreClientOptions
        {
            SiteUrl = Peer.SiteUrl,
            RegistryUrl = Peer.RegistryUrl,
            Credential = credential ?? UnicoreCredential.Basic("demouser", "test123"),
            PollInitialDelay = TimeSpan.FromMilliseconds(50),
            PollMaxDelay = TimeSpan.FromMilliseconds(200),
            Timeout = TimeSpan.FromSeconds(20),
        };
        return new UnicoreClient(configure is null ? options : configure(options));
    }

    public string NewDir()
    {
        var dir = Path.Combine(Peer.Root, "client-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public Task InitializeAsync() => Peer.StartAsync();

    public async Task DisposeAsync() => await Peer.DisposeAsync();
}

internal static class Jobs
{
    public static JobDescription Echo(params string[] words) => new() { Executable = "/bin/echo", Arguments = words };

    public static JobDescription Shell(string script, IReadOnlyList<string>? tags = null) => new() { Executable = "/bin/sh", Arguments = ["-c", "'" + script + "'"], Tags = tags };
}
