using System;
using System.CommandLine;
using System.IO;
using System.Net;
using Toolkit.Runtime.Udp;

namespace Toolkit.Cli;

/// <summary>The <c>toolkit xrdmon</c> command group: XRootD detailed-monitoring capture, decode and live collection.</summary>
internal static class XrdmonCommands
{
    public static Command Create()
    {
        var xrdmon = new Command("xrdmon", "XRootD detailed monitoring (XrdXrootdMon UDP stream): capture, decode, listen");
        xrdmon.Subcommands.Add(CreateDecode());
        xrdmon.Subcommands.Add(CreateCapture());
        return xrdmon;
    }

    internal static Option<IPEndPoint> UdpOption(bool required) => new("--udp")
    {
        Description = "UDP address to listen on: IPv4:PORT, [IPv6]:PORT, localhost:PORT or *:PORT",
        Required = required,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (UdpDatagramReceiver.TryParseEndpoint(text, out IPEndPoint ep))
            {
                return ep;
            }

            result.AddError($"--udp: '{text}' is not an address with a port (IPv4:PORT, [IPv6]:PORT, localhost:PORT, *:PORT)");
            return null;
        },
    };

    internal static Option<string> FormatOption() => new Option<string>("--format")
    {
        Description = "output format: jsonl (default when output is redirected) or table (default on a terminal)",
        DefaultValueFactory = _ => Console.IsOutputRedirected ? "jsonl" : "table",
    }.AcceptOnlyFromAmong("jsonl", "table");

    private static Command CreateDecode()
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "capture files (u32 big-endian length + datagram, repeated; - for standard input). Without FILE the real capture embedded in the tool is decoded",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var format = FormatOption();
        var command = new Command("decode", "decode XRootD monitoring capture files: one JSON object per record (see docs/xrdmon-json.md)");
        command.Arguments.Add(files);
        command.Options.Add(format);
        command.SetAction(parse =>
        {
            using Stream stdout = Console.OpenStandardOutput();
            return XrdmonDecode.Run(parse.GetValue(files) ?? [], parse.GetValue(format)!, stdout, Console.Error);
        });
        return command;
    }

    private static Command CreateCapture()
    {
        var udp = UdpOption(required: true);
        var output = new Option<string>("--out") { Description = "capture file to write (- for standard output)", Required = true };
        var command = new Command("capture", "receive monitoring datagrams on a UDP port and write them to a capture container (u32 big-endian length + datagram, repeated); stops cleanly on SIGINT/SIGTERM");
        command.Options.Add(udp);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            using var shutdown = new ShutdownSignal();
            return XrdmonCapture.Run(parse.GetValue(udp)!, parse.GetValue(output)!, Console.Error, shutdown.Token);
        });
        return command;
    }
}
