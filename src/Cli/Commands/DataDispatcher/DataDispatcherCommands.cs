using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.DataDispatcher;
using Toolkit.Runtime.Security;

namespace Toolkit.Cli;

/// <summary><c>toolkit dd</c>: the Data Dispatcher command line (login, projects, workers, RSEs).</summary>
internal static class DataDispatcherCommands
{
    public static Command Create()
    {
        var dd = new Command("dd", "Data Dispatcher: log in, create and watch projects, reserve and release files")
        {
            DdContext.Server, DdContext.AuthServer,
        };
        DdContext.Json.AddTo(dd);
        DdContext.Limits.AddTo(dd);
        dd.Subcommands.Add(CreateLogin());
        dd.Subcommands.Add(CreateWhoami());
        dd.Subcommands.Add(CreateVersion());
        dd.Subcommands.Add(DdProjectCommands.Create());
        dd.Subcommands.Add(DdWorkerCommands.Create());
        dd.Subcommands.Add(DdRseCommands.Create());
        return dd;
    }

    private static Command CreateLogin()
    {
        var login = new Command("login", "Get a token from the auth server and store it in the token library (shared with the Python client)");
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input" };

        Command PasswordLogin(string name, string description)
        {
            var user = new Argument<string>("USER") { Description = "User name" };
            var cmd = new Command(name, description) { user, stdin };
            cmd.SetAction((parse, ct) => LoginPasswordAsync(new DdLoginPasswordOptions(DdContext.Global(parse), name, parse.GetValue(user)!, parse.GetValue(stdin)), CliConsole.System(), ct));
            return cmd;
        }

        login.Subcommands.Add(PasswordLogin("digest", "Log in with RFC 2617 Digest (user name and password)"));
        login.Subcommands.Add(PasswordLogin("ldap", "Log in with the LDAP password"));
        login.Subcommands.Add(PasswordLogin("password", "Log in with LDAP, falling back to Digest"));

        var tokenUser = new Argument<string>("USER") { Description = "User name" };
        var tokenValue = new Option<string?>("--token") { Description = "The JWT or SciToken to exchange" };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file holding the token (default: the WLCG bearer token discovery)" };
        var token = new Command("token", "Exchange a JWT or SciToken for a Data Dispatcher token") { tokenUser, tokenValue, tokenFile };
        token.SetAction((parse, ct) => LoginTokenAsync(new DdLoginTokenOptions(DdContext.Global(parse), parse.GetValue(tokenUser)!, parse.GetValue(tokenValue), parse.GetValue(tokenFile)), CliConsole.System(), ct));
        login.Subcommands.Add(token);

        var x509User = new Argument<string>("USER") { Description = "User name" };
        var cert = new Option<string?>("--cert") { Description = "Certificate or proxy (default: X509_USER_PROXY, /tmp/x509up_u<uid>, X509_USER_CERT, ~/.globus)" };
        var key = new Option<string?>("--key") { Description = "Private key (default: in the certificate file, or next to it)" };
        var x509 = new Command("x509", "Log in with an X.509 certificate or proxy (TLS client certificate)") { x509User, cert, key };
        x509.SetAction((parse, ct) => LoginX509Async(new DdLoginX509Options(DdContext.Global(parse), parse.GetValue(x509User)!, parse.GetValue(cert), parse.GetValue(key)), CliConsole.System(), ct));
        login.Subcommands.Add(x509);
        return login;
    }

    /// <summary><c>dd login digest|ldap|password</c>.</summary>
    public static Task<int> LoginPasswordAsync(DdLoginPasswordOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global);
        var password = DdContext.ReadSecret(console, o.PasswordFromStdin, "Password for " + o.User + ": ")
            ?? throw new FormatException("no password given");
        var info = o.Method switch
        {
            "digest" => await client.LoginDigestAsync(o.User, password).ConfigureAwait(false),
            "ldap" => await client.LoginLdapAsync(o.User, password).ConfigureAwait(false),
            "password" => await client.LoginPasswordAsync(o.User, password).ConfigureAwait(false),
            _ => throw new FormatException("unknown login method '" + o.Method + "' (digest, ldap or password)"),
        };
        PrintAuth(o.Global, console, info);
        return ExitCodes.Ok;
    });

    /// <summary><c>dd login token</c>.</summary>
    public static Task<int> LoginTokenAsync(DdLoginTokenOptions o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global);
        var value = o.Token
            ?? (o.TokenFile is { } f ? File.ReadAllText(f).Trim() : null)
            ?? BearerTokenDiscovery.Find()?.Value
            ?? throw new FormatException("no token: give --token or --token-file, or set BEARER_TOKEN / BEARER_TOKEN_FILE");
        PrintAuth(o.Global, console, await client.LoginTokenAsync(o.User, value).ConfigureAwait(false));
        return ExitCodes.Ok;
    });

    /// <summary><c>dd login x509</c>.</summary>
    public static Task<int> LoginX509Async(DdLoginX509Options o, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(o.Global);
        using var credential = o.Cert is { } c
            ? X509Credential.Load(c, o.Key)
            : CredentialDiscovery.Load();
        PrintAuth(o.Global, console, await client.LoginX509Async(o.User, credential).ConfigureAwait(false));
        return ExitCodes.Ok;
    });

    private static void PrintAuth(DdGlobalOptions g, CliConsole console, AuthInfo info)
    {
        if (g.Json)
        {
            DdContext.WriteJson(console, w =>
            {
                w.WriteStartObject();
                w.WriteString("user", info.User);
                if (info.ExpiresAt is { } e)
                {
                    w.WriteString("expires", TimeFormats.Iso(e));
                }
                else
                {
                    w.WriteNull("expires");
                }

                w.WriteEndObject();
            });
            return;
        }

        console.Out.WriteLine("User:    " + DdContext.Plain(info.User));
        console.Out.WriteLine("Expires: " + (info.ExpiresAt is { } x ? TimeFormats.Utc(x) : "never"));
    }

    private static Command CreateWhoami()
    {
        var cmd = new Command("whoami", "Show who the stored token belongs to and until when (checked by the auth server)");
        cmd.SetAction((parse, ct) => WhoamiAsync(DdContext.Global(parse), CliConsole.System(), ct));
        return cmd;
    }

    /// <summary><c>dd whoami</c>.</summary>
    public static Task<int> WhoamiAsync(DdGlobalOptions g, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(g);
        PrintAuth(g, console, await client.AuthInfoAsync(ct).ConfigureAwait(false));
        return ExitCodes.Ok;
    });

    private static Command CreateVersion()
    {
        var cmd = new Command("version", "Show the server version");
        cmd.SetAction((parse, ct) => VersionAsync(DdContext.Global(parse), CliConsole.System(), ct));
        return cmd;
    }

    /// <summary><c>dd version</c>.</summary>
    public static Task<int> VersionAsync(DdGlobalOptions g, CliConsole console, CancellationToken ct) => CliErrors.RunAsync(console.Error, async () =>
    {
        using var client = DdContext.Client(g);
        var v = await client.VersionAsync(ct).ConfigureAwait(false);
        if (g.Json)
        {
            DdContext.WriteJson(console, w =>
            {
                w.WriteStartObject();
                w.WriteString("server", client.ServerUrl);
                w.WriteString("version", v);
                w.WriteEndObject();
            });
        }
        else
        {
            console.Out.WriteLine("Server URL:     " + DdContext.Plain(client.ServerUrl));
            console.Out.WriteLine("Server version: " + DdContext.Plain(v));
        }

        return ExitCodes.Ok;
    });
}
