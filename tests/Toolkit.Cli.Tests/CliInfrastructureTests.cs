using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.Cli.Tests;

/// <summary>The shared CLI infrastructure: one --json/-j, one error mapping, one escaped JSON path, a truthful root help.</summary>
public class CliInfrastructureTests
{
    /// <summary>Every command that prints JSON, as its path under the root.</summary>
    public static TheoryData<string> JsonCommands() =>
    [
        "proxy info", "token info", "xrdmon decode", "xrdmon listen",
        "fts info", "fts whoami", "fts delegate", "fts submit", "fts status", "fts list", "fts cancel",
        "dd login digest", "dd login ldap", "dd login password", "dd login token", "dd login x509", "dd whoami", "dd version",
        "dd project create", "dd project show", "dd project list", "dd project search", "dd project cancel", "dd project activate",
        "dd project copy", "dd project restart", "dd worker next", "dd worker done", "dd worker failed", "dd worker reserved",
        "dd rse list", "dd rse show", "dd rse set-available",
        "unicore connect", "unicore run", "unicore list-jobs", "unicore job-status", "unicore get-output", "unicore abort-job",
        "unicore ls", "unicore cp", "unicore workflow submit", "unicore workflow status", "unicore workflow resume", "unicore workflow abort", "unicore list-sites",
        "uftp cp", "uftp ls", "uftp mkdir", "uftp rm", "uftp checksum", "uftp find", "uftp info", "uftp authenticate", "uftp issue-token", "uftp mount",
        "alien",
    ];

    private static Command Find(string path)
    {
        Command c = Program.CreateRoot();
        foreach (string name in path.Split(' '))
        {
            c = c.Subcommands.Single(s => s.Name == name);
        }

        return c;
    }

    /// <summary>The options a command accepts: its own and the recursive ones of its parents.</summary>
    private static List<Option> Options(string path)
    {
        var options = new List<Option>();
        Command c = Program.CreateRoot();
        var names = path.Split(' ');
        for (int i = 0; i < names.Length; i++)
        {
            c = c.Subcommands.Single(s => s.Name == names[i]);
            options.AddRange(i == names.Length - 1 ? c.Options : c.Options.Where(o => o.Recursive));
        }

        return options;
    }

    private static string Help(params string[] args)
    {
        var output = new StringWriter();
        int rc = Program.CreateRoot().Parse([.. args, "--help"]).Invoke(new InvocationConfiguration { Output = output, Error = output });
        Assert.Equal(0, rc);
        return output.ToString();
    }

    [Theory]
    [MemberData(nameof(JsonCommands))]
    public void Json_is_spelled_json_and_j_on_every_command_with_json_output(string path)
    {
        var visible = Options(path).Where(o => !o.Hidden && (o.Name == "--json" || o.Aliases.Contains("-j") || o.Aliases.Contains("--json"))).ToList();
        Option json = Assert.Single(visible);
        Assert.Equal("--json", json.Name);
        Assert.Equal(["-j"], json.Aliases);
        Assert.Equal("Print JSON (for scripts)", json.Description);

        // Both spellings parse wherever the option sits; help shows the one definition.
        string[] words = path.Split(' ');
        foreach (string spelling in new[] { "-j", "--json" })
        {
            ParseResult parse = Program.CreateRoot().Parse([.. words, spelling]);
            Assert.True(parse.GetValue<bool>("--json"), path + " " + spelling);
        }

        Assert.Contains("-j, --json", Help(words), StringComparison.Ordinal);
    }

    [Fact]
    public void Old_spellings_keep_working_but_help_shows_one()
    {
        ParseResult parse = Program.CreateRoot().Parse(["proxy", "info", "-json", "-file", "/nonexistent"]);
        Assert.Empty(parse.Errors);
        Assert.True(parse.GetValue<bool>("-json"));
        string help = Help("proxy", "info");
        Assert.DoesNotContain(" -json", help, StringComparison.Ordinal);
        Assert.Single(help.Split('\n'), l => l.Contains("json", StringComparison.Ordinal));

        // The group-level spelling of fts and dd still applies to every subcommand.
        Assert.True(Program.CreateRoot().Parse(["fts", "--json", "whoami"]).GetValue<bool>("--json"));
        Assert.True(Program.CreateRoot().Parse(["dd", "-j", "rse", "list"]).GetValue<bool>("--json"));
    }

    [Fact]
    public void Alien_words_are_passed_through_unbundled_while_other_groups_keep_posix_bundling()
    {
        string[] alien = ["alien", "ps", "-jdl", "5"];
        ParseResult parse = Program.CreateRoot().Parse(alien, Program.ParserConfigurationFor(alien));
        Assert.Equal(["alien", "ps", "-jdl", "5"], parse.Tokens.Select(t => t.Value));
        Assert.False(parse.GetValue<bool>("--json"));

        // With bundling on (every other group), "-jdl" would have been split and "-j" taken as alien's JSON flag.
        Assert.Contains("-j", Program.CreateRoot().Parse(alien).Tokens.Select(t => t.Value));
        Assert.True(Program.ParserConfigurationFor(["dd", "-j", "rse", "list"]).EnablePosixBundling);
    }

    [Fact]
    public void Root_help_names_only_what_exists()
    {
        string help = Help();
        foreach (string built in new[] { "XRootD", "FTS3", "Data Dispatcher", "UNICORE", "UFTP", "JAliEn" })
        {
            Assert.Contains(built, help, StringComparison.Ordinal);
        }

        Assert.Equal(["proxy", "token", "xrdmon", "fts", "dd", "unicore", "uftp", "alien", "completion"], Program.CreateRoot().Subcommands.Select(c => c.Name));
    }

    public static TheoryData<Exception, int, string> Errors() => new()
    {
        { new ApiException("No job with the id x has been found", new ApiErrorDetails("op", "GET", null, 404, "Not Found", ApiHeaders.Empty, [], null)), 1, "error: No job with the id x has been found (HTTP 404)" },
        { new ApiException("cannot reach the server"), 1, "error: cannot reach the server" },
        { new FormatException("give exactly one of --se and --dn"), 2, "error: give exactly one of --se and --dn" },
        { new ArgumentException("bad value\r\nsecond line"), 2, "error: bad value second line" },
        { new CredentialException("wrong passphrase"), 1, "error: wrong passphrase" },
        { new HttpRequestException("connection refused"), 1, "error: connection refused" },
        { new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AddressAlreadyInUse, "Address already in use"), 1, "error: Address already in use" },
        { new IOException("disk full"), 1, "error: disk full" },
        { new TimeoutException("timed out"), 1, "error: timed out" },
        { new UnauthorizedAccessException("permission denied"), 1, "error: permission denied" },
        { new OverflowException("TimeSpan overflowed because the duration is too long."), 2, "error: TimeSpan overflowed because the duration is too long." },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Each_user_facing_exception_maps_to_one_exit_code_and_one_line(Exception e, int exitCode, string line)
    {
        Assert.Equal(new CliError(exitCode, line), CliErrors.Map(e));
        var error = new StringWriter();
        Assert.Equal(exitCode, CliErrors.Run(error, () => throw e));
        Assert.Equal(line + Environment.NewLine, error.ToString());
        error = new StringWriter();
        Assert.Equal(exitCode, await CliErrors.RunAsync(error, () => throw e));
        Assert.Equal(line + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void Bugs_are_not_reported_as_user_errors()
    {
        Assert.Null(CliErrors.Map(new InvalidOperationException("bug")));
        Assert.Null(CliErrors.Map(new KeyNotFoundException("bug")));
        Assert.Throws<InvalidOperationException>(() => CliErrors.Run(TextWriter.Null, () => throw new InvalidOperationException("bug")));
    }

    private const string Awkward = "quote \" backslash \\ newline \n tab \t bell \u0007 é 日本 </script> & +";

    [Fact]
    public void Compact_json_output_escapes_an_awkward_value_and_stays_on_one_line()
    {
        var output = new StringWriter();
        JsonOutput.WriteLine(output, w =>
        {
            w.WriteStartObject();
            w.WriteString("job_id", Awkward);
            w.WriteEndObject();
        });
        string text = output.ToString();
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(Awkward, JsonDocument.Parse(text).RootElement.GetProperty("job_id").GetString());
    }

    [Fact]
    public void Indented_json_output_escapes_an_awkward_value()
    {
        var output = new StringWriter();
        JsonOutput.WriteIndented(output, (Toolkit.Runtime.Json.ApiJsonWriter w) =>
        {
            w.WriteStartObject();
            w.WriteString("state", Awkward);
            w.WriteEndObject();
        });
        Assert.Equal(Awkward, JsonDocument.Parse(output.ToString()).RootElement.GetProperty("state").GetString());
        Assert.StartsWith("{" + Environment.NewLine + "  \"state\": ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Token_info_json_escapes_an_awkward_file_name_and_errors_are_one_line()
    {
        string dir = Directory.CreateTempSubdirectory("toolkit-cli-").FullName;
        try
        {
            string file = Path.Combine(dir, "tok\"en\\ \u00e9\nx");
            File.WriteAllText(file, "opaque-token-value");
            var output = new StringWriter();
            var error = new StringWriter();
            Assert.Equal(0, TokenCommands.Info(new TokenInfoOptions(file, Json: true), new CliConsole(output, error)));
            using var doc = JsonDocument.Parse(output.ToString());
            Assert.Equal(file, doc.RootElement.GetProperty("source").GetString());
            Assert.False(doc.RootElement.GetProperty("jwt").GetBoolean());
            Assert.DoesNotContain("opaque-token-value", output.ToString(), StringComparison.Ordinal);
            Assert.Empty(error.ToString());

            output = new StringWriter();
            Assert.Equal(1, TokenCommands.Info(new TokenInfoOptions(Path.Combine(dir, "missing")), new CliConsole(output, error)));
            Assert.Empty(output.ToString());
            Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
            Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string B64Url(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (int Rc, string Out, string Err) TokenInfo(string header, string claims, bool json = false)
    {
        string dir = Directory.CreateTempSubdirectory("toolkit-cli-").FullName;
        try
        {
            string file = Path.Combine(dir, "token");
            File.WriteAllText(file, B64Url(header) + "." + B64Url(claims) + ".c2ln");
            var output = new StringWriter();
            var error = new StringWriter();
            int rc = TokenCommands.Info(new TokenInfoOptions(file, json), new CliConsole(output, error));
            return (rc, output.ToString(), error.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("exp", "\"soon\"", false)]
    [InlineData("exp", "\"soon\"", true)]
    [InlineData("nbf", "true", false)]
    [InlineData("iat", "{}", false)]
    [InlineData("exp", "1e300", false)]
    public void Token_info_refuses_a_time_claim_that_is_not_a_numeric_date(string claim, string value, bool json)
    {
        // Issue 17, defect 8: "exp":"soon" showed "expires: never / timeleft: unlimited" with exit 0.
        var (rc, output, error) = TokenInfo("""{"alg":"RS256","typ":"JWT"}""", "{\"sub\":\"u1\",\"" + claim + "\":" + value + "}", json);
        Assert.Equal(ExitCodes.Failure, rc);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains($"'{claim}'", error, StringComparison.Ordinal);
        Assert.Single(error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Token_info_shows_the_algorithm_and_warns_about_an_unsigned_token()
    {
        var (rc, output, error) = TokenInfo("""{"alg":"RS256","typ":"JWT"}""", """{"sub":"u1","exp":1795345721}""");
        Assert.Equal(ExitCodes.Ok, rc);
        Assert.Contains("alg      : RS256" + Environment.NewLine, output, StringComparison.Ordinal);
        Assert.Empty(error);

        foreach (string alg in new[] { "none", "None" })
        {
            (rc, output, error) = TokenInfo("{\"alg\":\"" + alg + "\"}", """{"sub":"u1","exp":1795345721}""");
            Assert.Equal(ExitCodes.Ok, rc);
            Assert.Contains("alg      : " + alg + " (unsigned)" + Environment.NewLine, output, StringComparison.Ordinal);
            Assert.StartsWith("warning: ", error, StringComparison.Ordinal);
            Assert.Contains("unsigned", error, StringComparison.Ordinal);

            (rc, output, error) = TokenInfo("{\"alg\":\"" + alg + "\"}", """{"sub":"u1"}""", json: true);
            Assert.Equal(ExitCodes.Ok, rc);
            using var doc = JsonDocument.Parse(output);
            Assert.Equal(alg, doc.RootElement.GetProperty("alg").GetString());
            Assert.StartsWith("warning: ", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Token_info_table_escapes_control_codes_in_claims_and_json_keeps_them_exact()
    {
        // Issue 17, defect 7: a JWT sub carrying terminal control codes reached the terminal raw.
        const string Sub = "u1\\u001b]0;owned\\u0007\\u001b[2J"; // JSON escapes: the claim itself holds ESC and BEL
        var (rc, output, _) = TokenInfo("""{"alg":"RS256"}""", "{\"sub\":\"" + Sub + "\",\"exp\":1795345721}");
        Assert.Equal(ExitCodes.Ok, rc);
        var subjectLine = output.Split(Environment.NewLine).Single(l => l.StartsWith("subject  : ", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', subjectLine);
        Assert.DoesNotContain('\u0007', subjectLine);
        Assert.Contains("\\u001b", subjectLine, StringComparison.Ordinal);

        (rc, output, _) = TokenInfo("""{"alg":"RS256"}""", "{\"sub\":\"" + Sub + "\",\"exp\":1795345721}", json: true);
        Assert.Equal(ExitCodes.Ok, rc);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("u1\u001b]0;owned\u0007\u001b[2J", doc.RootElement.GetProperty("claims").GetProperty("sub").GetString());
    }

    [Fact]
    public void Proxy_info_refuses_a_proxy_with_a_private_key_readable_by_others()
    {
        // Issue 17, defect 9: proxy info accepted a 0644 proxy although fts whoami --proxy refused it.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string dir = Directory.CreateTempSubdirectory("toolkit-cli-").FullName;
        try
        {
            using var rsa = System.Security.Cryptography.RSA.Create(2048);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Test User", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
            string path = Path.Combine(dir, "x509up");
            File.WriteAllText(path, cert.ExportCertificatePem() + "\n" + rsa.ExportRSAPrivateKeyPem() + "\n");

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            foreach (var options in new[] { new ProxyInfoOptions(path), new ProxyInfoOptions(path, Json: true), new ProxyInfoOptions(path, Exists: true) })
            {
                var output = new StringWriter();
                var error = new StringWriter();
                Assert.Equal(ExitCodes.Failure, ProxyCommands.Info(options, new CliConsole(output, error)));
                Assert.Empty(output.ToString());
                Assert.Contains("mode 0644", error.ToString(), StringComparison.Ordinal);
                Assert.Contains(path, error.ToString(), StringComparison.Ordinal);
            }

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var ok = new StringWriter();
            var none = new StringWriter();
            Assert.Equal(ExitCodes.Ok, ProxyCommands.Info(new ProxyInfoOptions(path), new CliConsole(ok, none)));
            Assert.Contains("identity : /CN=Test User", ok.ToString(), StringComparison.Ordinal);
            Assert.Empty(none.ToString());

            // A file holding certificates only (no key) is not held to the rule.
            string certOnly = Path.Combine(dir, "cert.pem");
            File.WriteAllText(certOnly, cert.ExportCertificatePem());
            File.SetUnixFileMode(certOnly, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            Assert.Equal(ExitCodes.Ok, ProxyCommands.Info(new ProxyInfoOptions(certOnly), new CliConsole(new StringWriter(), none)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Handlers_run_from_typed_options_without_a_command_line()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error);
        Assert.Equal(ExitCodes.Failure, ProxyCommands.Info(new ProxyInfoOptions("/nonexistent/x509up", Exists: true), console));
        Assert.Equal(ExitCodes.Usage, ProxyCommands.Init(new ProxyInitOptions(Valid: "12:99"), console));
        Assert.Equal("error: -valid expects HH:MM (e.g. 12:00), got '12:99'" + Environment.NewLine, error.ToString());
        Assert.Empty(output.ToString());
    }

    [Fact]
    public void Xrdmon_decode_runs_from_typed_options_into_the_given_console()
    {
        var stdout = new MemoryStream();
        var log = new StringWriter();
        var console = new CliConsole(TextWriter.Null, log) { OpenStandardOutput = () => stdout };
        Assert.Equal(0, XrdmonDecode.Run(new XrdmonDecodeOptions([], "jsonl"), console));
        Assert.Equal(1966, XrdmonDecodeTests.ParseLines(stdout.ToArray()).Count);
        Assert.Contains("1966 records, 0 errors", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fts_and_dd_handlers_report_bad_input_with_exit_code_2_before_any_connection()
    {
        var error = new StringWriter();
        var console = new CliConsole(TextWriter.Null, error);
        Assert.Equal(ExitCodes.Usage, await FtsHandlers.InfoAsync(new FtsGlobalOptions(Endpoint: "ftp://fts.example.org"), console, default));
        Assert.Equal("error: the endpoint must be an http(s) URL, not 'ftp://fts.example.org'" + Environment.NewLine, error.ToString());

        error.GetStringBuilder().Clear();
        var dd = new DdGlobalOptions(Server: "http://127.0.0.1:9");
        Assert.Equal(ExitCodes.Usage, await DdProjectHandlers.ShowAsync(new DdProjectShowOptions(dd, "abc"), console, default));
        Assert.Equal("error: project id 'abc' is not a positive integer" + Environment.NewLine, error.ToString());
        error.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Usage, await DdProjectHandlers.RestartAsync(new DdProjectRestartOptions(dd, "7"), console, default));
        Assert.StartsWith("error: nothing to restart", error.ToString(), StringComparison.Ordinal);
    }
}
