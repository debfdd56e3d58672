using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.JAliEn.Connection;

namespace Toolkit.JAliEn.Tests;

public sealed class EndpointAndWireTests
{
    private static AlienEnvironment Env(Dictionary<string, string> vars, string? tmp = null)
    {
        vars["TMPDIR"] = tmp ?? Directory.CreateTempSubdirectory("toolkit-jalien-ep-").FullName;
        return AlienEnvironment.FromDictionary(vars, vars["TMPDIR"]);
    }

    private static Func<string, int, CancellationToken, Task<bool>> Answers(bool yes, List<string>? probed = null) =>
        (h, p, _) =>
        {
            probed?.Add(h + ":" + p);
            return Task.FromResult(yes);
        };

    [Fact]
    public async Task Jcentral_variable_wins_and_is_not_probed()
    {
        var probed = new List<string>();
        var ep = await AlienEndpointResolver.ResolveAsync(Env(new() { ["ALIENPY_JCENTRAL"] = "jc.example", ["ALIENPY_JCENTRAL_PORT"] = "9000", ["JALIEN_HOST"] = "jbox" }), Answers(true, probed));
        Assert.Equal(("jc.example", 9000, AlienEndpointSource.JCentralVariable), (ep.Host, ep.Port, ep.Source));
        Assert.Empty(probed);
        Assert.Equal("wss://jc.example:9000/websocket/json", ep.Uri.ToString());
    }

    [Fact]
    public async Task Jbox_environment_is_used_only_when_its_port_answers()
    {
        var env = Env(new() { ["JALIEN_HOST"] = "jbox.local", ["JALIEN_WSPORT"] = "10100" });
        Assert.Equal(AlienEndpointSource.JBoxEnvironment, (await AlienEndpointResolver.ResolveAsync(env, Answers(true))).Source);
        var central = await AlienEndpointResolver.ResolveAsync(env, Answers(false));
        Assert.Equal(("alice-jcentral.cern.ch", 8097, AlienEndpointSource.Central), (central.Host, central.Port, central.Source));
    }

    [Fact]
    public async Task Token_file_needs_a_live_pid_of_the_same_user()
    {
        var vars = new Dictionary<string, string>();
        var env = Env(vars);
        string file = Path.Combine(vars["TMPDIR"], "jclient_token_" + env.UserId);
        File.WriteAllText(file, $"JALIEN_HOST=127.0.0.1\nJALIEN_WSPORT=12345\nJALIEN_PID={Environment.ProcessId}\nJALIEN_USER=jdoe\n");
        var ep = await AlienEndpointResolver.ResolveAsync(env, Answers(true));
        Assert.Equal(("127.0.0.1", 12345, AlienEndpointSource.JBoxTokenFile), (ep.Host, ep.Port, ep.Source));

        // PID 1 belongs to another user (root) in any normal test run, or does not exist: not ours.
        File.WriteAllText(file, "JALIEN_HOST=127.0.0.1\nJALIEN_WSPORT=12345\nJALIEN_PID=999999999\n");
        Assert.Equal(AlienEndpointSource.Central, (await AlienEndpointResolver.ResolveAsync(env, Answers(true))).Source);
    }

    [Fact]
    public async Task Bad_port_value_is_named()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => AlienEndpointResolver.ResolveAsync(Env(new() { ["ALIENPY_JCENTRAL"] = "h", ["ALIENPY_JCENTRAL_PORT"] = "80a" })));
        Assert.Contains("ALIENPY_JCENTRAL_PORT", e.Message, StringComparison.Ordinal);
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool Encoded_requests_parse_back_to_the_same_command_and_options(NonNull<string> command, string[] options)
    {
        var opts = (options ?? []).Select(o => o ?? string.Empty).ToArray();
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            AlienWire.Encode(new AlienCommandLine(command.Get, opts), buffer);
        }
        catch (ArgumentException)
        {
            // Refused only for an empty command or text that is not valid UTF-16 (a lone surrogate).
            return command.Get.Length == 0 || !opts.Append(command.Get).All(IsValidUtf16);
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.GetProperty("command").GetString() == command.Get
            && doc.RootElement.GetProperty("options").EnumerateArray().Select(e => e.GetString()).SequenceEqual(opts);
    }

    private static bool IsValidUtf16(string s)
    {
        try
        {
            _ = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(s);
            return true;
        }
        catch (System.Text.EncoderFallbackException)
        {
            return false;
        }
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool Header_reader_never_throws_anything_but_its_typed_error(byte[] bytes)
    {
        try
        {
            AlienWire.ReadHeader(bytes ?? [], "fuzz");
            return true;
        }
        catch (AlienProtocolException)
        {
            return true;
        }
    }

    [Fact]
    public void Header_reader_accepts_the_spec_example_and_numeric_exit_codes()
    {
        var h = AlienWire.ReadHeader("""{"metadata": {"exitcode": "2", "error": "No such file", "user": "jdoe", "currentdir": "/alice/", "timing_ms": "12"}, "results": [{"message": "x"}]}"""u8, "ls");
        Assert.Equal(new AlienReplyHeader(2, "No such file", "jdoe", "/alice/"), h);
        Assert.Equal(-1, AlienWire.ReadHeader("""{"metadata": {"exitcode": -1}, "results": []}"""u8, "x").ExitCode);
    }
}
