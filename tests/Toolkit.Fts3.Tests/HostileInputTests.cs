using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolkit.Peers.Fts3;

namespace Toolkit.Fts3.Tests;

/// <summary>Hostile server answers (issue 17, defects 4 and 7): out-of-range numbers and control codes.</summary>
public sealed class HostileJobParsingTests
{
    public static TheoryData<string, string> OutOfRange() => new()
    {
        { "max_time_in_queue", "1e400" },
        { "max_time_in_queue", "1.5" },
        { "max_time_in_queue", "123456789012345678901234567890" },
        { "max_time_in_queue", new string('9', 100_000) },
        { "priority", "2147483648" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task An_out_of_range_number_in_a_job_is_a_typed_error_naming_where(string field, string value)
    {
        var body = "{\"job_id\": \"j1\", \"job_state\": \"ACTIVE\", \"" + field + "\": " + value + "}";
        await using var app = await StartAsync(body);
        using var http = new HttpClient();
        using var ctx = new Fts3Context(http, new Fts3ContextOptions { Endpoint = Address(app) });

        var single = await Assert.ThrowsAnyAsync<Fts3ClientException>(() => ctx.GetJobStatusAsync("j1"));
        Assert.Contains("at byte", single.Message, StringComparison.Ordinal);
        Assert.IsType<JsonException>(single.InnerException);

        var several = await Assert.ThrowsAnyAsync<Fts3ClientException>(() => ctx.GetJobsStatusesAsync(new[] { "j1" }));
        Assert.Contains("at byte", several.Message, StringComparison.Ordinal);

        var cancel = await Assert.ThrowsAnyAsync<Fts3ClientException>(() => ctx.CancelAsync("j1"));
        Assert.Contains("at byte", cancel.Message, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAsync(string body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("[" + body + "]");
        });
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}

/// <summary>The same hostile answers through the real <c>toolkit fts</c> binary.</summary>
[Collection("fts3-cli")]
public sealed class HostileCliTests(Fts3Pki pki)
{
    private Task<Tool.Result> Fts(FtsPeer peer, params string[] args) => Task.Run(() =>
    {
        var all = new List<string> { "fts", "-s", peer.BaseAddress.ToString(), "--capath", pki.Pki.CertDir, "--proxy", pki.ProxyPath };
        all.AddRange(args);
        return ToolkitCli.Run(all, new() { ["HOME"] = pki.Pki.Dir, ["X509_USER_PROXY"] = "" });
    });

    [Theory]
    [InlineData("max_time_in_queue", "1e400")]
    [InlineData("priority", "2147483648")]
    public async Task Status_with_an_out_of_range_number_is_one_error_line_and_exit_1(string field, string value)
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        peer.RawAnswer = path => path.StartsWith("/jobs/", StringComparison.Ordinal)
            ? "[{\"job_id\": \"j1\", \"job_state\": \"ACTIVE\", \"" + field + "\": " + value + "}]"
            : null;
        var r = await Fts(peer, "status", "j1");
        Assert.True(r.ExitCode == 1, r.ToString());
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, r.ToString());
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("at byte", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_table_shows_control_codes_escaped_and_json_keeps_them_exact()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        const string dn = "/CN=evil\u001b[2J\u001b]0;owned\u0007\r\u009bX\tend";
        var encoded = JsonSerializer.Serialize(dn);
        peer.RawAnswer = path => path == "/whoami"
            ? "{\"user_dn\": " + encoded + ", \"dn\": [" + encoded + "], \"vos\": [\"v\\u001b[31m\"], \"voms_cred\": [], \"method\": \"certificate\", \"delegation_id\": \"d\", \"is_root\": false}"
            : null;

        var table = await Fts(peer, "whoami");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.DoesNotContain('\u001b', table.Stdout);
        Assert.DoesNotContain('\u0007', table.Stdout);
        Assert.DoesNotContain('\u009b', table.Stdout);
        Assert.DoesNotContain('\r', table.Stdout.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains(@"User DN       : /CN=evil\u001b[2J\u001b]0;owned\u0007\u000d\u009bX" + "\tend", table.Stdout, StringComparison.Ordinal);
        Assert.Contains(@"VOs           : v\u001b[31m", table.Stdout, StringComparison.Ordinal);

        var json = await Fts(peer, "whoami", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.DoesNotContain('\u001b', json.Stdout);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal(dn, doc.RootElement.GetProperty("user_dn").GetString());
    }
}
