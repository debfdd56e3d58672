using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Toolkit.Runtime.Security;
using Toolkit.Unicore;

namespace Toolkit.Cli;

internal static partial class UnicoreHandlers
{
    private static string S(string? text) => TerminalText.Clean(text);

    private static Uri Url(string text) => UnicoreClientOptions.Url(text, "URL") ?? throw new FormatException("a URL is required");

    private static T ReadJson<T>(string file, Func<byte[], T> parse, string what)
    {
        byte[] bytes = File.ReadAllBytes(file);
        try
        {
            return parse(bytes);
        }
        catch (JsonException e)
        {
            throw new FormatException(file + ": not a valid " + what + ": " + e.Message, e);
        }
    }

    private static void WriteJob(UnicoreGlobalOptions g, CliConsole console, UnicoreJob job, JobProperties? props)
    {
        if (g.Json)
        {
            JsonOutput.WriteIndented(console.Out, (Utf8JsonWriter w) => WriteJobJson(w, job, props));
            return;
        }

        console.Out.WriteLine(job.Url);
        if (props is not null)
        {
            console.Out.WriteLine($"status   : {S(props.Status?.ToString())}{(string.IsNullOrEmpty(props.StatusMessage) ? string.Empty : " (" + S(props.StatusMessage) + ")")}");
            if (UnicoreJob.ExitCode(props) is { } code)
            {
                console.Out.WriteLine($"exit code: {code}");
            }
        }
    }

    private static void WriteJobJson(Utf8JsonWriter w, UnicoreJob job, JobProperties? props)
    {
        w.WriteStartObject();
        w.WriteString("url", job.Url.ToString());
        if (props is not null)
        {
            w.WriteString("status", props.Status?.ToString());
            w.WriteString("statusMessage", props.StatusMessage);
            w.WriteString("name", props.Name);
            if (UnicoreJob.ExitCode(props) is { } code)
            {
                w.WriteNumber("exitCode", code);
            }
        }

        w.WriteEndObject();
    }

    /// <summary>Options from the environment (UNICORE_URL, UNICORE_REGISTRY, UNICORE_USER, UNICORE_TOKEN), overridden by the command line.</summary>
    private static Task<int> WithClient(UnicoreGlobalOptions g, CliConsole console, Func<UnicoreClient, Task<int>> body) => CliErrors.RunAsync(console.Error, async () =>
    {
        var env = UnicoreClientOptions.FromEnvironment();
        var credential = env.Credential;
        if (g.Token is { Length: > 0 } token)
        {
            credential = UnicoreCredential.Bearer(token);
        }
        else if (g.User is { Length: > 0 } user)
        {
            int colon = user.IndexOf(':', StringComparison.Ordinal);
            string name = colon >= 0 ? user[..colon] : user;
            if (g.Identity is { Length: > 0 } key)
            {
                credential = UnicoreCredential.JwtFromKeyFile(name, key, console.AskSecret);
            }
            else
            {
                string? password = colon >= 0 ? user[(colon + 1)..] : g.AskPassword ? console.AskSecret("Password for " + name + ": ") : Environment.GetEnvironmentVariable(UnicoreClientOptions.PasswordVariable);
                credential = UnicoreCredential.Basic(name, password ?? throw new FormatException("no password for " + name + ": give -u USER:PASS, -P, or set " + UnicoreClientOptions.PasswordVariable));
            }
        }
        else if (g.Identity is { Length: > 0 })
        {
            throw new FormatException("--identity needs -u USER (the JWT subject)");
        }

        if (double.IsNaN(g.Timeout) || g.Timeout <= 0)
        {
            throw new FormatException("--timeout must be a positive number of seconds");
        }

        var options = env with
        {
            SiteUrl = UnicoreClientOptions.Url(g.Site, "--site") ?? env.SiteUrl,
            RegistryUrl = UnicoreClientOptions.Url(g.Registry, "--registry") ?? env.RegistryUrl,
            Credential = credential,
            Preferences = g.Preferences,
            Timeout = HttpLimitOptions.ParseTimeout(g.HttpTimeout) ?? TimeSpan.FromSeconds(g.Timeout),
            MaxResponseBytes = HttpLimitOptions.ParseSize(g.MaxResponseSize) ?? env.MaxResponseBytes,
            Tls = g.Insecure || g.CaPath is not null
                ? new GridTlsOptions { InsecureSkipServerVerification = g.Insecure, TrustStore = g.CaPath is null ? null : TrustStore.Load(g.CaPath) }
                : null,
            UserAgent = "toolkit-unicore-cli/0.1.0",
        };
        if (options.SiteUrl is null && options.RegistryUrl is null)
        {
            throw new FormatException("no UNICORE URL: give -s/--site URL or -r/--registry URL (or set " + UnicoreClientOptions.UrlVariable + ")");
        }

        using var client = new UnicoreClient(options);
        return await body(client).ConfigureAwait(false);
    });
}
