using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolkit.DataDispatcher.Tests;

/// <summary>Hostile server answers through the real <c>toolkit dd</c> binary (issue 17, defect 7).</summary>
public sealed class HostileCliTests
{
    [Fact]
    public async Task Version_with_a_huge_html_body_and_control_codes_is_sanitised_and_truncated_but_json_is_exact()
    {
        var body = "<html>\u001b[2J\u001b]0;owned\u0007<body>" + string.Concat(Enumerable.Repeat("<p>pwned\r</p>", 100_000)) + "</body></html>";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.Run(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync(body);
        });
        await app.StartAsync();
        var server = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/dd/data/";
        var home = Directory.CreateTempSubdirectory("dd-hostile-").FullName;
        try
        {
            var env = new System.Collections.Generic.Dictionary<string, string?> { ["HOME"] = home, ["DATA_DISPATCHER_URL"] = null, ["DATA_DISPATCHER_AUTH_URL"] = null };
            var plain = await ToolkitCli.RunAsync(["dd", "--server", server, "version"], env, null, home);
            Assert.True(plain.ExitCode == 0, plain.ToString()[..Math.Min(2000, plain.ToString().Length)]);
            Assert.DoesNotContain('\u001b', plain.Stdout);
            Assert.DoesNotContain('\u0007', plain.Stdout);
            Assert.DoesNotContain('\r', plain.Stdout.Replace(Environment.NewLine, "\n", StringComparison.Ordinal));
            Assert.Contains(@"Server version: <html>\u001b[2J\u001b]0;owned\u0007<body>", plain.Stdout, StringComparison.Ordinal);
            Assert.True(plain.Stdout.Length < 4096, "stdout is " + plain.Stdout.Length + " characters");
            Assert.Contains("characters not shown", plain.Stdout, StringComparison.Ordinal);

            var json = await ToolkitCli.RunAsync(["dd", "--server", server, "--json", "version"], env, null, home);
            Assert.True(json.ExitCode == 0, json.Stderr);
            using var doc = JsonDocument.Parse(json.Stdout);
            Assert.Equal(body.Trim(), doc.RootElement.GetProperty("version").GetString());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
