using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Toolkit.Runtime.Metrics;
using Toolkit.XrdMon.Bus;
using Toolkit.XrdMon.Collector;

namespace Toolkit.XrdMon.Tests.Bus;

/// <summary>The Prometheus endpoint (Toolkit.Runtime.Metrics) and the collector's metric names.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Scrapes_return_the_text_exposition_and_other_paths_404()
    {
        var registry = new MetricsRegistry();
        long n = 41;
        registry.Counter("t_things_total", "things\nseen", () => ++n);
        registry.Gauge("t_depth", "depth", () => 2.5);
        var h = new LatencyHistogram([0.001, 0.01]);
        h.Observe(0.0005);
        h.Observe(0.005);
        h.Observe(5);
        registry.Histogram("t_latency_seconds", "latency", h);
        using var server = new MetricsServer(new IPEndPoint(IPAddress.Loopback, 0), registry);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        HttpResponseMessage r = await http.GetAsync($"http://127.0.0.1:{server.LocalEndPoint.Port}/metrics");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", r.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        string text = await r.Content.ReadAsStringAsync();
        Assert.Contains("# HELP t_things_total things\\nseen\n# TYPE t_things_total counter\nt_things_total 42\n", text, StringComparison.Ordinal);
        Assert.Contains("t_depth 2.5\n", text, StringComparison.Ordinal);
        Assert.Contains("t_latency_seconds_bucket{le=\"0.001\"} 1\nt_latency_seconds_bucket{le=\"0.01\"} 2\nt_latency_seconds_bucket{le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("t_latency_seconds_count 3\n", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{server.LocalEndPoint.Port}/other")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync($"http://127.0.0.1:{server.LocalEndPoint.Port}/metrics", new StringContent("x"))).StatusCode);
        Assert.Equal(1, server.Scrapes);
    }

    [Fact]
    public async Task A_garbage_or_silent_client_does_not_stop_the_server()
    {
        var registry = new MetricsRegistry();
        registry.Gauge("g", "g", () => 1);
        using var server = new MetricsServer(new IPEndPoint(IPAddress.Loopback, 0), registry);
        using (var silent = new TcpClient())
        using (var garbage = new TcpClient())
        {
            await silent.ConnectAsync(IPAddress.Loopback, server.LocalEndPoint.Port);
            await garbage.ConnectAsync(IPAddress.Loopback, server.LocalEndPoint.Port);
            await garbage.GetStream().WriteAsync(Encoding.ASCII.GetBytes(new string('x', 10000)));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            Assert.Contains("g 1", await http.GetStringAsync($"http://127.0.0.1:{server.LocalEndPoint.Port}/metrics"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Names_are_checked_and_unique()
    {
        var registry = new MetricsRegistry();
        Assert.Throws<ArgumentException>(() => registry.Gauge("1bad", "x", () => 0));
        Assert.Throws<ArgumentException>(() => registry.Gauge("bad-name", "x", () => 0));
        registry.Gauge("ok", "x", () => 0);
        Assert.Throws<ArgumentException>(() => registry.Gauge("ok", "x", () => 0));
        Assert.True(MetricsServer.TryParseEndpoint("127.0.0.1:9100", out var ep) && ep.Port == 9100);
        Assert.True(MetricsServer.TryParseEndpoint("[::1]:9100", out _));
        Assert.False(MetricsServer.TryParseEndpoint("9100", out _));
    }

    [Fact]
    public void Collector_metrics_report_the_collectors_counters_after_a_refresh()
    {
        var registry = new MetricsRegistry();
        var metrics = new XrdMonCollectorMetrics();
        metrics.Register(registry, "xrdmon_listen");
        using var c = new XrdMonCollector(new XrdMonCollectorOptions(), null);
        int id = c.RegisterSender("192.0.2.1:1094");
        var datagrams = TestData.Datagrams("origin");
        foreach (byte[] d in datagrams)
        {
            c.Process(d, id, 1);
        }

        Assert.Contains("xrdmon_listen_datagrams_total 0\n", registry.Scrape(), StringComparison.Ordinal);
        metrics.Refresh(c);
        string text = registry.Scrape();
        Assert.Contains($"xrdmon_listen_datagrams_total {datagrams.Count}\n", text, StringComparison.Ordinal);
        Assert.Contains($"xrdmon_listen_summaries_total {c.Counters.Summaries}\n", text, StringComparison.Ordinal);
        Assert.Contains("xrdmon_listen_servers 1\n", text, StringComparison.Ordinal);
        Assert.Equal(19, text.Split('\n').Count(l => l.StartsWith("# TYPE", StringComparison.Ordinal)));
    }
}
