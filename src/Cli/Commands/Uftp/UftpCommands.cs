using System;
using System.CommandLine;

namespace Toolkit.Cli;

/// <summary>
/// <c>toolkit uftp cp|ls|mkdir|rm|checksum|find|info|authenticate|issue-token|mount</c>: a UFTP client with the commands and
/// short options of pyuftp and the Java <c>uftp</c> client. Remote paths are <c>https://AUTHHOST:PORT/rest/auth/SERVER:/path</c>.
/// This file binds the command line; <see cref="UftpHandlers"/> runs it.
/// </summary>
internal static class UftpCommands
{
    private static readonly Option<string?> User = new("--user", "-u") { Description = "USER[:PASSWORD] for the Auth server (Basic)", Recursive = true };
    private static readonly Option<bool> AskPassword = new("--password", "-P") { Description = "Ask for the password", Recursive = true };
    private static readonly Option<string?> Token = new("--auth-token", "-A") { Description = "Bearer token for the Auth server", Recursive = true };
    private static readonly Option<int> Streams = new("--streams", "-n") { Description = "TCP streams per transfer (uftpd caps them; default 1)", DefaultValueFactory = _ => 1, Recursive = true };
    private static readonly Option<bool> Encrypt = new("--encrypt", "-E") { Description = "Encrypt the data (Blowfish, or AES with --algorithm / UFTP_ENCRYPTION_ALGORITHM)", Recursive = true };
    private static readonly Option<string?> Algorithm = new("--algorithm") { Description = "BLOWFISH or AES (default UFTP_ENCRYPTION_ALGORITHM, else BLOWFISH)", Recursive = true };
    private static readonly Option<bool> Compress = new("--compress", "-C") { Description = "Gzip the data", Recursive = true };
    private static readonly Option<double> Timeout = new("--timeout") { Description = "Socket timeout in seconds (default 60)", DefaultValueFactory = _ => 60, Recursive = true };
    private static readonly JsonFlag Json = CliOptions.Json(recursive: true);

    public static Command Create()
    {
        var uftp = new Command("uftp", "UFTP client (pyuftp / Java uftp commands): fast multi-stream, encrypted, compressed file transfer");
        foreach (var o in new Option[] { User, AskPassword, Token, Streams, Encrypt, Algorithm, Compress, Timeout })
        {
            uftp.Options.Add(o);
        }

        Json.AddTo(uftp);
        uftp.Subcommands.Add(Copy());
        uftp.Subcommands.Add(PathCommand("ls", "List a remote directory", UftpHandlers.ListAsync, recursiveDescription: null));
        uftp.Subcommands.Add(PathCommand("mkdir", "Create a remote directory", UftpHandlers.MakeDirectoryAsync, recursiveDescription: null));
        uftp.Subcommands.Add(PathCommand("rm", "Remove a remote file or (with -r) directory tree", UftpHandlers.RemoveAsync, recursiveDescription: "Remove directories and their contents"));
        uftp.Subcommands.Add(PathCommand("find", "List the files under a remote directory, recursively", UftpHandlers.FindAsync, recursiveDescription: null));
        uftp.Subcommands.Add(Checksum());
        uftp.Subcommands.Add(AuthCommand("info", "Show the Auth server's UFTP servers and your settings there", UftpHandlers.InfoAsync));
        uftp.Subcommands.Add(AuthCommand("authenticate", "Authenticate only: print uftpd's address and a one-time password", UftpHandlers.AuthenticateAsync));
        uftp.Subcommands.Add(IssueToken());
        uftp.Subcommands.Add(Mount());
        return uftp;
    }

    private static UftpGlobalOptions Global(ParseResult parse) => new(
        parse.GetValue(User), parse.GetValue(AskPassword), parse.GetValue(Token), parse.GetValue(Streams), parse.GetValue(Encrypt),
        parse.GetValue(Algorithm), parse.GetValue(Compress), TimeSpan.FromSeconds(parse.GetValue(Timeout)), Json.GetValue(parse));

    private static Command Copy()
    {
        var paths = new Argument<string[]>("SOURCE... TARGET") { Description = "Local paths and remote https://AUTHHOST:PORT/rest/auth/SERVER:/path", Arity = new ArgumentArity(2, 1000) };
        var range = new Option<string?>("--bytes", "-B") { Description = "Byte range START-END (inclusive, k/M/G units); START-END-p writes into the existing target" };
        var recursive = new Option<bool>("--recurse", "-r") { Description = "Copy directories recursively" };
        var threads = new Option<int>("--threads", "-t") { Description = "Files in parallel (one session each)", DefaultValueFactory = _ => 1 };
        var resume = new Option<bool>("--resume", "-R") { Description = "Resume: keep what an earlier run moved (NAME.part) and move only the rest" };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip the HASH check of each file at the end" };
        var hash = new Option<string>("--hash") { Description = "Checksum for the verification: MD5, SHA-1, SHA-256 (default), SHA-512", DefaultValueFactory = _ => "SHA-256" };
        var cmd = new Command("cp", "Copy files to or from a UFTP server") { paths, range, recursive, threads, resume, noVerify, hash };
        cmd.SetAction((parse, ct) =>
        {
            var all = parse.GetValue(paths) ?? [];
            return UftpHandlers.CopyAsync(
                new UftpCopyOptions(Global(parse), all[..^1], all[^1], parse.GetValue(range), parse.GetValue(recursive), parse.GetValue(threads), parse.GetValue(resume), parse.GetValue(noVerify), parse.GetValue(hash)!),
                CliConsole.System(),
                ct);
        });
        return cmd;
    }

    private static Command PathCommand(string name, string description, Func<UftpPathOptions, CliConsole, System.Threading.CancellationToken, System.Threading.Tasks.Task<int>> handler, string? recursiveDescription)
    {
        var remote = new Argument<string>("REMOTE") { Description = "https://AUTHHOST:PORT/rest/auth/SERVER:/path" };
        var cmd = new Command(name, description) { remote };
        Option<bool>? recursive = null;
        if (recursiveDescription is not null)
        {
            recursive = new Option<bool>("--recurse", "-r") { Description = recursiveDescription };
            cmd.Options.Add(recursive);
        }

        cmd.SetAction((parse, ct) => handler(new UftpPathOptions(Global(parse), parse.GetValue(remote)!, recursive is not null && parse.GetValue(recursive), null), CliConsole.System(), ct));
        return cmd;
    }

    private static Command Checksum()
    {
        var remote = new Argument<string>("REMOTE") { Description = "https://AUTHHOST:PORT/rest/auth/SERVER:/path (a file, or a directory with -r)" };
        var algorithm = new Option<string?>("--algorithm", "-a") { Description = "MD5 (uftpd's default), SHA-1, SHA-256 or SHA-512" };
        var recursive = new Option<bool>("--recurse", "-r") { Description = "Every file under a directory" };
        var cmd = new Command("checksum", "Have uftpd compute checksums of remote files") { remote, algorithm, recursive };
        cmd.SetAction((parse, ct) => UftpHandlers.ChecksumAsync(new UftpPathOptions(Global(parse), parse.GetValue(remote)!, parse.GetValue(recursive), parse.GetValue(algorithm)), CliConsole.System(), ct));
        return cmd;
    }

    private static Command AuthCommand(string name, string description, Func<UftpPathOptions, CliConsole, System.Threading.CancellationToken, System.Threading.Tasks.Task<int>> handler)
    {
        var url = new Argument<string>("AUTH_URL") { Description = "https://AUTHHOST:PORT/rest/auth/SERVER[:/path]" };
        var cmd = new Command(name, description) { url };
        cmd.SetAction((parse, ct) => handler(new UftpPathOptions(Global(parse), parse.GetValue(url)!, false, null), CliConsole.System(), ct));
        return cmd;
    }

    private static Command Mount()
    {
        var remote = new Argument<string>("REMOTE") { Description = "https://AUTHHOST:PORT/rest/auth/SERVER:/path (a directory)" };
        var mountPoint = new Argument<string>("MOUNTPOINT") { Description = "An existing local directory" };
        var readOnly = new Option<bool>("--read-only") { Description = "Mount read-only: every change fails with EROFS" };
        var attrCache = new Option<double>("--attr-cache") { Description = "Seconds file attributes are cached (default 2)", DefaultValueFactory = _ => 2 };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Report each failed filesystem call on standard error" };
        var cmd = new Command("mount", "Mount a remote directory as a local filesystem (FUSE; runs until fusermount3 -u or Ctrl-C)") { remote, mountPoint, readOnly, attrCache, verbose };
        cmd.SetAction((parse, ct) => UftpHandlers.MountAsync(
            new UftpMountCommandOptions(Global(parse), parse.GetValue(remote)!, parse.GetValue(mountPoint)!, parse.GetValue(readOnly), parse.GetValue(attrCache), parse.GetValue(verbose)),
            CliConsole.System(),
            ct));
        return cmd;
    }

    private static Command IssueToken()
    {
        var url = new Argument<string>("AUTH_URL") { Description = "https://AUTHHOST:PORT/rest/auth/SERVER" };
        var lifetime = new Option<long?>("--lifetime", "-l") { Description = "Token lifetime in seconds" };
        var renewable = new Option<bool>("--renewable", "-R") { Description = "The token can be used to get a fresh token" };
        var limited = new Option<bool>("--limited", "-L") { Description = "The token is valid only for this Auth server" };
        var inspect = new Option<bool>("--inspect", "-I") { Description = "Show the token's claims" };
        var cmd = new Command("issue-token", "Get a JWT from the Auth server") { url, lifetime, renewable, limited, inspect };
        cmd.SetAction((parse, ct) => UftpHandlers.IssueTokenAsync(new UftpTokenOptions(Global(parse), parse.GetValue(url)!, parse.GetValue(lifetime), parse.GetValue(renewable), parse.GetValue(limited), parse.GetValue(inspect)), CliConsole.System(), ct));
        return cmd;
    }
}
