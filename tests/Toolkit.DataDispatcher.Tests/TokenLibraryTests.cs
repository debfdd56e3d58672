using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Toolkit.DataDispatcher;

namespace Toolkit.DataDispatcher.Tests;

public sealed class TokenLibraryTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    [Fact]
    public async Task A_library_written_in_the_python_format_is_read_and_rewritten_without_expired_entries()
    {
        var dir = fx.NewDir();
        var path = Path.Combine(dir, ".token_library");
        var expired = fx.Peer.IssueToken("alice", TimeSpan.FromSeconds(-60));
        var other = fx.Peer.IssueToken("bob");
        // As MetaCat's TokenLib writes it: "<url> <token>" per line.
        File.WriteAllText(path, $"https://other.example.org/dd/data {other}\n{fx.Peer.DataUrl} {fx.AliceToken}\nhttps://old.example.org/dd/data {expired}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        using var client = fx.Client(dir: dir);
        Assert.Equal(fx.AliceToken, client.CurrentToken());
        Assert.Equal("alice", (await client.AuthInfoAsync()).User);

        var lib = new TokenLibrary(path);
        Assert.Equal(2, lib.Load().Count);
        Assert.Null(lib.Get("https://old.example.org/dd/data"));

        // Logging in rewrites the whole file: the expired line is gone, the other server's token is kept.
        await client.LoginDigestAsync("bob", "bob-pw");
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.Contains($"https://other.example.org/dd/data {other}", lines);
        Assert.Contains($"{fx.Peer.DataUrl} {client.CurrentToken()}", lines);
        Assert.All(lines, l => Assert.Equal(2, l.Split(' ').Length));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_token_stored_by_another_process_is_picked_up_when_the_library_changes()
    {
        var dir = fx.NewDir();
        using var client = fx.Client(dir: dir);
        Assert.Null(client.CurrentToken());
        // "Log in with the other client": it writes the library.
        await Task.Delay(20);
        new TokenLibrary(Path.Combine(dir, ".token_library")).Set(fx.Peer.DataUrl.ToString(), fx.BobToken);
        Assert.Equal(fx.BobToken, client.CurrentToken());
        Assert.Equal("bob", await client.WhoAmIAsync());
    }

    [Fact]
    public void A_library_that_group_or_others_can_read_is_refused_with_the_chmod_to_run()
    {
        var path = Path.Combine(fx.NewDir(), ".token_library");
        File.WriteAllText(path, fx.Peer.DataUrl + " " + fx.AliceToken + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var e = Assert.Throws<Toolkit.Runtime.Security.CredentialException>(() => new TokenLibrary(path).Load());
        Assert.Contains("the token library", e.Message, StringComparison.Ordinal);
        Assert.Contains("mode 0644", e.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fx.AliceToken, e.Message, StringComparison.Ordinal);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(fx.AliceToken, new TokenLibrary(path).Get(fx.Peer.DataUrl.ToString()));
    }

    [Fact]
    public void Default_locations_and_creation_order()
    {
        var home = fx.NewDir();
        var cwd = fx.NewDir();
        var env = (string n) => n == "HOME" ? home : null;
        Assert.Equal([Path.Combine(home, ".token_library"), Path.Combine(cwd, ".token_library"), "/tmp/.token_library"], TokenLibrary.DefaultLocations(env, cwd));

        // An existing library in the current directory wins over creating one in HOME.
        File.WriteAllText(Path.Combine(cwd, ".token_library"), "");
        Assert.Equal(Path.Combine(cwd, ".token_library"), new TokenLibrary(null, null, env, cwd).Path);

        // None exists: created (0600) in HOME.
        var cwd2 = fx.NewDir();
        var lib = new TokenLibrary(null, null, env, cwd2);
        Assert.Equal(Path.Combine(home, ".token_library"), lib.Path);
        Assert.True(File.Exists(lib.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(lib.Path));
    }

    [Fact]
    public void Token_file_is_used_read_only()
    {
        var dir = fx.NewDir();
        var tokenFile = Path.Combine(dir, "token");
        File.WriteAllText(tokenFile, fx.AliceToken + "\n");
        using var c = new DataDispatcherClient(new DataDispatcherClientOptions
        {
            ServerUrl = fx.Peer.DataUrl.ToString(),
            TokenFile = tokenFile,
            TokenLibrary = Path.Combine(dir, "lib"),
            Environment = _ => null,
            CurrentDirectory = dir,
        });
        Assert.Equal(fx.AliceToken, c.CurrentToken());
        Assert.Equal(fx.AliceToken + "\n", File.ReadAllText(tokenFile));
    }

    [Fact]
    public void Library_rejects_white_space_in_keys_or_tokens()
    {
        var lib = new TokenLibrary(Path.Combine(fx.NewDir(), "lib"));
        Assert.Throws<ArgumentException>(() => lib.Set("https://a b", "t"));
        Assert.Throws<ArgumentException>(() => lib.Set("https://a", "t t"));
        lib.Set("https://a", "tok");
        Assert.Equal("tok", lib.Get("https://a"));
        Assert.True(lib.Remove("https://a"));
        Assert.Empty(lib.Load());
    }
}
