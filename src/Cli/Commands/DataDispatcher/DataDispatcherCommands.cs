using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Spectre.Console;
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

        Command PasswordLogin(string name, string description, Func<DataDispatcherClient, string, string, Task<AuthInfo>> call)
        {
            var user = new Argument<string>("USER") { Description = "User name" };
            var cmd = new Command(name, description) { user, stdin };
            cmd.SetAction((parse, ct) => DdContext.Run(async () =>
            {
                using var client = DdContext.Client(parse);
                var password = DdContext.ReadSecret(parse.GetValue(stdin), "Password for " + parse.GetValue(user) + ": ")
                    ?? throw new FormatException("no password given");
                var info = await call(client, parse.GetValue(user)!, password).ConfigureAwait(false);
                PrintAuth(parse, info);
                return 0;
            }));
            return cmd;
        }

        login.Subcommands.Add(PasswordLogin("digest", "Log in with RFC 2617 Digest (user name and password)", (c, u, p) => c.LoginDigestAsync(u, p)));
        login.Subcommands.Add(PasswordLogin("ldap", "Log in with the LDAP password", (c, u, p) => c.LoginLdapAsync(u, p)));
        login.Subcommands.Add(PasswordLogin("password", "Log in with LDAP, falling back to Digest", (c, u, p) => c.LoginPasswordAsync(u, p)));

        var tokenUser = new Argument<string>("USER") { Description = "User name" };
        var tokenValue = new Option<string?>("--token") { Description = "The JWT or SciToken to exchange" };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file holding the token (default: the WLCG bearer token discovery)" };
        var token = new Command("token", "Exchange a JWT or SciToken for a Data Dispatcher token") { tokenUser, tokenValue, tokenFile };
        token.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse);
            var value = parse.GetValue(tokenValue)
                ?? (parse.GetValue(tokenFile) is { } f ? File.ReadAllText(f).Trim() : null)
                ?? BearerTokenDiscovery.Find()?.Value
                ?? throw new FormatException("no token: give --token or --token-file, or set BEARER_TOKEN / BEARER_TOKEN_FILE");
            PrintAuth(parse, await client.LoginTokenAsync(parse.GetValue(tokenUser)!, value).ConfigureAwait(false));
            return 0;
        }));
        login.Subcommands.Add(token);

        var x509User = new Argument<string>("USER") { Description = "User name" };
        var cert = new Option<string?>("--cert") { Description = "Certificate or proxy (default: X509_USER_PROXY, /tmp/x509up_u<uid>, X509_USER_CERT, ~/.globus)" };
        var key = new Option<string?>("--key") { Description = "Private key (default: in the certificate file, or next to it)" };
        var x509 = new Command("x509", "Log in with an X.509 certificate or proxy (TLS client certificate)") { x509User, cert, key };
        x509.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse);
            using var credential = parse.GetValue(cert) is { } c
                ? X509Credential.Load(c, parse.GetValue(key))
                : CredentialDiscovery.Load();
            PrintAuth(parse, await client.LoginX509Async(parse.GetValue(x509User)!, credential).ConfigureAwait(false));
            return 0;
        }));
        login.Subcommands.Add(x509);
        return login;
    }

    private static void PrintAuth(ParseResult parse, AuthInfo info)
    {
        if (DdContext.IsJson(parse))
        {
            DdContext.WriteJson(w =>
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

        Console.WriteLine("User:    " + info.User);
        Console.WriteLine("Expires: " + (info.ExpiresAt is { } x ? TimeFormats.Utc(x) : "never"));
    }

    private static Command CreateWhoami()
    {
        var cmd = new Command("whoami", "Show who the stored token belongs to and until when (checked by the auth server)");
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse);
            PrintAuth(parse, await client.AuthInfoAsync(ct).ConfigureAwait(false));
            return 0;
        }));
        return cmd;
    }

    private static Command CreateVersion()
    {
        var cmd = new Command("version", "Show the server version");
        cmd.SetAction((parse, ct) => DdContext.Run(async () =>
        {
            using var client = DdContext.Client(parse);
            var v = await client.VersionAsync(ct).ConfigureAwait(false);
            if (DdContext.IsJson(parse))
            {
                DdContext.WriteJson(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("server", client.ServerUrl);
                    w.WriteString("version", v);
                    w.WriteEndObject();
                });
            }
            else
            {
                Console.WriteLine("Server URL:     " + client.ServerUrl);
                Console.WriteLine("Server version: " + v);
            }

            return 0;
        }));
        return cmd;
    }
}
