using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using Toolkit.Peers.Uftp;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Unicore.Tests.Uftp;

/// <summary>One uftpd peer with its Auth endpoint per test class; user demouser/test123; a temporary root.</summary>
public sealed class UftpFixture : IAsyncLifetime
{
    public const string User = "demouser";
    public const string Password = "test123";

    public string Root { get; } = Directory.CreateTempSubdirectory("uftp-peer-").FullName;

    public string Local { get; } = Directory.CreateTempSubdirectory("uftp-local-").FullName;

    public UftpPeerHost Host { get; private set; } = null!;

    public HttpClient Http { get; } = HttpPipeline.CreateClient(null, new SocketsHttpHandler(), new BasicAuthHandler(User, Password));

    public async Task InitializeAsync()
    {
        Host = await UftpPeerHost.StartAsync(new UftpdPeer { Root = Root }, new Dictionary<string, string> { [User] = Password });
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        foreach (var d in new[] { Root, Local })
        {
            try
            {
                Directory.Delete(d, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    public UftpAuthRequest Request(int streams = 1, UftpCipherAlgorithm cipher = UftpCipherAlgorithm.None, bool compress = false, string serverPath = "")
        => new()
        {
            ServerPath = serverPath,
            StreamCount = streams,
            Compress = compress,
            Encryption = cipher == UftpCipherAlgorithm.None ? null : UftpEncryption.Generate(cipher),
        };

    public Task<UftpSession> ConnectAsync(int streams = 1, UftpCipherAlgorithm cipher = UftpCipherAlgorithm.None, bool compress = false)
        => UftpClient.ConnectAsync(Http, Host.AuthUrl, Request(streams, cipher, compress));

    public string LocalPath(string name) => Path.Combine(Local, name);

    public string RemoteReal(string name) => Path.Combine(Root, name.TrimStart('/'));

    public static byte[] RandomBytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }
}
