using System.Collections.Generic;
using System.Net;

namespace Toolkit.Cli;

/// <summary>The options of <c>toolkit xrdmon decode</c>.</summary>
/// <param name="Files">Capture files (<c>-</c> for standard input); none for the embedded capture.</param>
/// <param name="Format"><c>jsonl</c> or <c>table</c>.</param>
/// <param name="Events">The collector's resolved events instead of raw records.</param>
/// <param name="Summaries">Only the per-file-access summaries.</param>
/// <param name="Window">Reorder window per sequence counter, in datagrams.</param>
internal sealed record XrdmonDecodeOptions(IReadOnlyList<string> Files, string Format, bool Events = false, bool Summaries = false, int Window = 16);

/// <summary>The options of <c>toolkit xrdmon listen</c>.</summary>
/// <param name="Udp">The address to listen on.</param>
/// <param name="Out">A file, or <c>-</c> for standard output.</param>
/// <param name="Format"><c>jsonl</c> or <c>table</c>.</param>
/// <param name="Summaries">Only the per-file-access summaries.</param>
/// <param name="Window">Reorder window per sequence counter, in datagrams.</param>
/// <param name="StatsEverySeconds">Counters on standard error every so many seconds (0: only on exit).</param>
/// <param name="Metrics">Where to serve Prometheus metrics (null: nowhere).</param>
/// <param name="Sockets">Sockets sharing the port (SO_REUSEPORT), each with its own receive thread and collector.</param>
internal sealed record XrdmonListenOptions(IPEndPoint Udp, string Out, string Format, bool Summaries = false, int Window = 16, double StatsEverySeconds = 0, IPEndPoint? Metrics = null, int Sockets = 1);

/// <summary>The options of <c>toolkit xrdmon capture</c>.</summary>
/// <param name="Udp">The address to listen on.</param>
/// <param name="Out">The capture file, or <c>-</c> for standard output.</param>
internal sealed record XrdmonCaptureOptions(IPEndPoint Udp, string Out);
