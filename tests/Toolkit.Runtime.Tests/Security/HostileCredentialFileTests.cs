using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Toolkit.Runtime.Security;

namespace Toolkit.Runtime.Tests.Security;

/// <summary>
/// Credential files from a wrong path or a hostile hand (issue 17, budgets): a device that never ends or a huge file
/// is a <see cref="CredentialException"/> naming the file and the 16 MiB limit, not an exhausted memory.
/// </summary>
public class HostileCredentialFileTests
{
    [Fact]
    public void A_never_ending_device_as_a_proxy_is_refused_at_the_limit()
    {
        var e = Assert.Throws<CredentialException>(() => X509Credential.ReadCertificateFile("/dev/zero"));
        Assert.Contains("/dev/zero", e.Message, StringComparison.Ordinal);
        Assert.Contains("larger than 16 MiB", e.Message, StringComparison.Ordinal);

        var load = Assert.Throws<CredentialException>(() => X509Credential.Load("/dev/zero"));
        Assert.Contains("larger than 16 MiB", load.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_never_ending_token_file_is_refused_at_the_limit()
    {
        var env = new Dictionary<string, string?> { ["BEARER_TOKEN_FILE"] = "/dev/zero" };
        var e = Assert.Throws<CredentialException>(() => BearerTokenDiscovery.Find(n => env.GetValueOrDefault(n), 4242, "/nonexistent"));
        Assert.Contains("the token file", e.Message, StringComparison.Ordinal);
        Assert.Contains("larger than 16 MiB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_just_over_the_limit_is_refused_and_one_at_it_is_read()
    {
        var dir = Directory.CreateTempSubdirectory("cred-size-").FullName;
        try
        {
            var over = Path.Combine(dir, "over.pem");
            File.WriteAllBytes(over, new byte[SecureFile.MaxCredentialFileBytes + 1]);
            Assert.Contains("larger than 16 MiB", Assert.Throws<CredentialException>(() => SecureFile.ReadBounded(over)).Message, StringComparison.Ordinal);

            var at = Path.Combine(dir, "at.pem");
            File.WriteAllBytes(at, new byte[SecureFile.MaxCredentialFileBytes]);
            Assert.Equal(SecureFile.MaxCredentialFileBytes, SecureFile.ReadBounded(at).Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_text_as_with_File_ReadAllText()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("-----BEGIN X-----")]);
            Assert.Equal(File.ReadAllText(path), SecureFile.ReadBoundedText(path));
            Assert.StartsWith("-----BEGIN", SecureFile.ReadBoundedText(path), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
