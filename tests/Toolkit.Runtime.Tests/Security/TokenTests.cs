using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Toolkit.Runtime.Security;

namespace Toolkit.Runtime.Tests.Security;

[Collection("pki")]
public sealed class TokenTests(GridPki pki)
{
    private static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static string UnsignedJwt(string claims) => B64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + B64(claims) + ".c2ln";

    [Fact]
    public void Inspects_wlcg_claims_with_fractional_timestamps()
    {
        string token = UnsignedJwt("""{"iss":"https://issuer.example/","sub":"u123","scope":"storage.read:/ compute.create","aud":["https://wlcg.cern.ch/jwt/v1/any","fts"],"exp":1795345721.75,"nbf":1795340000,"iat":"1795340000.5","wlcg.groups":["/dteam"]}""");
        var info = JwtInfo.Parse(token);
        Assert.Equal("HS256", info.Algorithm);
        Assert.Equal("https://issuer.example/", info.Issuer);
        Assert.Equal("u123", info.Subject);
        Assert.Equal(["storage.read:/", "compute.create"], info.Scopes);
        Assert.Equal(["https://wlcg.cern.ch/jwt/v1/any", "fts"], info.Audiences);
        Assert.Equal(["/dteam"], info.Groups);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795345721750), info.ExpiresAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795340000500), info.IssuedAt);
        Assert.Equal(TimeSpan.FromSeconds(21.75), info.TimeLeft(DateTimeOffset.FromUnixTimeSeconds(1795345700)));
        Assert.Equal(TimeSpan.Zero, info.TimeLeft(DateTimeOffset.FromUnixTimeSeconds(1795345800)));

        var single = JwtInfo.Parse(UnsignedJwt("""{"aud":"one","scp":["a","b"]}"""));
        Assert.Equal(["one"], single.Audiences);
        Assert.Equal(["a", "b"], single.Scopes);
        Assert.Null(single.ExpiresAt);

        var e = Assert.Throws<CredentialException>(() => JwtInfo.Parse("opaque-secret-token-value"));
        Assert.DoesNotContain("opaque-secret-token-value", e.Message);
        Assert.False(JwtInfo.TryParse("a.b", out _));
        Assert.False(JwtInfo.TryParse(B64("[]") + "." + B64("{}") + ".x", out _));
    }

    [Theory]
    [InlineData("exp", "\"soon\"")]
    [InlineData("nbf", "true")]
    [InlineData("iat", "[1]")]
    [InlineData("exp", "1e300")]
    [InlineData("exp", "\"NaN\"")]
    public void A_time_claim_that_is_not_a_numeric_date_is_a_typed_error_naming_the_claim(string claim, string value)
    {
        // Issue 17, defect 8: a non-numeric exp was read as "no exp" (never expires).
        string token = UnsignedJwt("{\"sub\":\"u1\",\"" + claim + "\":" + value + "}");
        var e = Assert.Throws<JwtClaimException>(() => JwtInfo.Parse(token));
        Assert.Equal(claim, e.Claim);
        Assert.Contains($"'{claim}'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<CredentialException>(e);
    }

    [Fact]
    public void Random_text_never_crashes_the_jwt_parser()
    {
        var rnd = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            var chars = Enumerable.Range(0, rnd.Next(0, 60)).Select(_ => "ab.-_=+/{}\"0"[rnd.Next(12)]).ToArray();
            JwtInfo.TryParse(new string(chars), out _);
        }
    }

    [Fact]
    public void Discovery_follows_the_wlcg_order()
    {
        string dir = pki.NewFile("bt");
        Directory.CreateDirectory(Path.Combine(dir, "xdg"));
        Directory.CreateDirectory(Path.Combine(dir, "tmp"));
        var env = new Dictionary<string, string>();
        BearerToken? Find() => BearerTokenDiscovery.Find(k => env.GetValueOrDefault(k), 777, Path.Combine(dir, "tmp"));

        Assert.Null(Find());
        Assert.Throws<CredentialException>(() => BearerTokenDiscovery.Require(k => env.GetValueOrDefault(k), 777, Path.Combine(dir, "tmp")));
        File.WriteAllText(Path.Combine(dir, "tmp", "bt_u777"), "tmp-token\n");
        Assert.Equal("tmp-token", Find()!.Value);
        env["XDG_RUNTIME_DIR"] = Path.Combine(dir, "xdg");
        Assert.Equal("tmp-token", Find()!.Value);
        File.WriteAllText(Path.Combine(dir, "xdg", "bt_u777"), " xdg-token ");
        Assert.Equal("xdg-token", Find()!.Value);
        string file = Path.Combine(dir, "file-token");
        File.WriteAllText(file, "file-token");
        env["BEARER_TOKEN_FILE"] = file;
        var fromFile = Find()!;
        Assert.Equal("file-token", fromFile.Value);
        Assert.Equal("BEARER_TOKEN_FILE=" + file, fromFile.Source);
        env["BEARER_TOKEN"] = "env-token";
        var fromEnv = Find()!;
        Assert.Equal("env-token", fromEnv.Value);
        Assert.DoesNotContain("env-token", fromEnv.ToString());
        env.Remove("BEARER_TOKEN");
        env["BEARER_TOKEN_FILE"] = Path.Combine(dir, "missing");
        Assert.Throws<CredentialException>(() => Find());
    }

    [Fact]
    public void Signs_rs256_and_es256_that_openssl_verifies()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        foreach (AsymmetricAlgorithm key in new AsymmetricAlgorithm[] { rsa, ec })
        {
            string jwt = JwtSigner.CreateShortLived(key, "CN=Demo User,O=Test", TimeSpan.FromSeconds(300),
                extraClaims: [new("etd", "false"), new("aud", new[] { "unicore" })]);
            var info = JwtInfo.Parse(jwt);
            Assert.Equal(key is RSA ? "RS256" : "ES256", info.Algorithm);
            Assert.Equal("CN=Demo User,O=Test", info.Subject);
            Assert.Equal("CN=Demo User,O=Test", info.Issuer);
            Assert.Equal(TimeSpan.FromSeconds(300), info.ExpiresAt - info.IssuedAt);
            Assert.Contains("\"etd\":\"false\"", info.ClaimsJson);
            Assert.Equal(["unicore"], info.Audiences);

            // openssl checks the signature over "header.payload" with the public key.
            var parts = jwt.Split('.');
            byte[] sig = FromB64Url(parts[2]);
            if (key is ECDsa e)
            {
                sig = ConvertP1363ToDer(sig);
                File.WriteAllText(pki.P("jwt.pub"), e.ExportSubjectPublicKeyInfoPem());
            }
            else
            {
                File.WriteAllText(pki.P("jwt.pub"), ((RSA)key).ExportSubjectPublicKeyInfoPem());
            }
            File.WriteAllBytes(pki.P("jwt.data"), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
            File.WriteAllBytes(pki.P("jwt.sig"), sig);
            var v = Tool.Openssl("dgst", "-sha256", "-verify", pki.P("jwt.pub"), "-signature", pki.P("jwt.sig"), pki.P("jwt.data"));
            Assert.True(v.ExitCode == 0, v.ToString());
            Assert.Contains("Verified OK", v.Stdout);
        }
    }

    [Fact]
    public void Unsupported_keys_get_a_clear_error()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Equal("ES384", JwtSigner.AlgorithmFor(p384));
        using var dsa = DSA.Create();
        var e = Assert.Throws<CredentialException>(() => JwtSigner.Sign(dsa, []));
        Assert.Contains("RS256", e.Message);
        Assert.Contains("Ed25519", e.Message);
    }

    private static byte[] FromB64Url(string s)
    {
        string b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b + new string('=', (4 - b.Length % 4) % 4));
    }

    private static byte[] ConvertP1363ToDer(byte[] p1363)
    {
        var w = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            int half = p1363.Length / 2;
            w.WriteIntegerUnsigned(p1363.AsSpan(0, half));
            w.WriteIntegerUnsigned(p1363.AsSpan(half));
        }
        return w.Encode();
    }
}
