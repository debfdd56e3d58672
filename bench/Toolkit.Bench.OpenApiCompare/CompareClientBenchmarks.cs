using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Serialization.Json;
using Toolkit.Bench.OpenApiCompare.Corpora;
using Toolkit.Bench.OpenApiCompare.Stj;

namespace Toolkit.Bench.OpenApiCompare;

/// <summary>
/// A whole client call (request, response over loopback HTTP/1.1, decode) against a real Kestrel server in this process,
/// per generator: ours, NSwag's client, HttpClient.GetFromJsonAsync with the source-generated context, Kiota's client.
/// Requests per second is 1 / Mean of one client on one connection; the allocated bytes are the client's and the
/// server's together (the server part is the same for all four).
/// </summary>
[MemoryDiagnoser]
public class CompareClientBenchmarks
{
    private WebApplication _server = null!;
    private HttpClient _http = null!;
    private Uri _base = null!;
    private Cmp.Jobs.Ours.OursClient _oursJobs = null!;
    private Cmp.Dd.Ours.OursClient _oursDd = null!;
    private Cmp.Pets.Ours.OursClient _oursPets = null!;
    private Cmp.Jobs.NSwag.NSwagClient _nswagJobs = null!;
    private Cmp.Dd.NSwag.NSwagClient _nswagDd = null!;
    private Cmp.Pets.NSwag.NSwagClient _nswagPets = null!;
    private Cmp.Jobs.Kiota.KiotaClient _kiotaJobs = null!;
    private Cmp.Dd.Kiota.KiotaClient _kiotaDd = null!;
    private Cmp.Pets.Kiota.KiotaClient _kiotaPets = null!;

    /// <summary>jobs: 1,000 FTS3-like jobs (1.2 MB); dd-project: a project with 1,000 handles (text/json); pets: 1,000 pets.</summary>
    [Params("jobs", "dd-project", "pets")]
    public string Document { get; set; } = "jobs";

    [GlobalSetup]
    public async Task Setup()
    {
        var jobs = Corpus.Jobs(1_000, python: false);
        var project = Corpus.Project(1_000);
        var pets = Corpus.Pets(1_000);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.MapGet("/jobs", () => Results.Bytes(jobs, "application/json"));
        _server.MapGet("/project", () => Results.Bytes(project, "text/json"));
        _server.MapGet("/pets", () => Results.Bytes(pets, "application/json"));
        await _server.StartAsync().ConfigureAwait(false);
        _base = new Uri(_server.Services.GetService(typeof(IServer)) is IServer s
            ? s.Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/"
            : throw new InvalidOperationException("no server"));
        _http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromSeconds(30) };

        _oursJobs = new Cmp.Jobs.Ours.OursClient(_http, new Cmp.Jobs.Ours.OursClientOptions { BaseAddress = _base });
        _oursDd = new Cmp.Dd.Ours.OursClient(_http, new Cmp.Dd.Ours.OursClientOptions { BaseAddress = _base });
        _oursPets = new Cmp.Pets.Ours.OursClient(_http, new Cmp.Pets.Ours.OursClientOptions { BaseAddress = _base });
        _nswagJobs = new Cmp.Jobs.NSwag.NSwagClient(_base.ToString(), _http);
        _nswagDd = new Cmp.Dd.NSwag.NSwagClient(_http) { BaseUrl = _base.ToString() };
        _nswagPets = new Cmp.Pets.NSwag.NSwagClient(_http) { BaseUrl = _base.ToString() };
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: _http) { BaseUrl = _base.ToString().TrimEnd('/') };
        _kiotaJobs = new Cmp.Jobs.Kiota.KiotaClient(adapter);
        _kiotaDd = new Cmp.Dd.Kiota.KiotaClient(adapter);
        _kiotaPets = new Cmp.Pets.Kiota.KiotaClient(adapter);
        // The data server answers text/json; Kiota's JSON factory is registered for application/json only and refuses
        // any other content type, so text/json is handed to it under its own name.
        ParseNodeFactoryRegistry.DefaultInstance.ContentTypeAssociatedFactories.TryAdd("text/json", new TextJsonParseNodeFactory());

        var expected = 1_000;
        var counts = new[] { await Ours().ConfigureAwait(false), await StjSourceGen().ConfigureAwait(false), await NSwag().ConfigureAwait(false), await Kiota().ConfigureAwait(false) };
        if (counts.Any(c => c != expected))
        {
            throw new InvalidOperationException("the clients disagree: " + string.Join(", ", counts));
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _http.Dispose();
        await _server.StopAsync().ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
    }

    [Benchmark(Baseline = true)]
    public async Task<int> Ours() => Document switch
    {
        "jobs" => (await _oursJobs.ListJobsAsync().ConfigureAwait(false)).Count,
        "dd-project" => (await _oursDd.GetProjectAsync(42).ConfigureAwait(false))!.FileHandles!.Count,
        _ => (await _oursPets.ListPetsAsync().ConfigureAwait(false)).Count,
    };

    [Benchmark]
    public async Task<int> StjSourceGen() => Document switch
    {
        "jobs" => (await _http.GetFromJsonAsync(new Uri(_base, "jobs"), CompareJsonContext.Default.ICollectionJob).ConfigureAwait(false))!.Count,
        "dd-project" => (await _http.GetFromJsonAsync(new Uri(_base, "project?project_id=42"), CompareJsonContext.Default.Project).ConfigureAwait(false))!.File_handles.Count,
        _ => (await _http.GetFromJsonAsync(new Uri(_base, "pets"), CompareJsonContext.Default.Pets).ConfigureAwait(false))!.Count,
    };

    [Benchmark]
    public async Task<int> NSwag() => Document switch
    {
        "jobs" => (await _nswagJobs.ListJobsAsync().ConfigureAwait(false)).Count,
        "dd-project" => (await _nswagDd.GetProjectAsync(42, null, null).ConfigureAwait(false)).File_handles.Count,
        _ => (await _nswagPets.ListPetsAsync(null).ConfigureAwait(false)).Count,
    };

    [Benchmark]
    public async Task<int> Kiota() => Document switch
    {
        "jobs" => (await _kiotaJobs.Jobs.GetAsync().ConfigureAwait(false))!.Count,
        "dd-project" => (await _kiotaDd.Project.GetAsync(c => c.QueryParameters.ProjectId = 42).ConfigureAwait(false))!.FileHandles!.Count,
        _ => (await _kiotaPets.Pets.GetAsync().ConfigureAwait(false))!.Count,
    };

    /// <summary>Kiota's JSON parse node factory for <c>text/json</c> bodies.</summary>
    private sealed class TextJsonParseNodeFactory : IParseNodeFactory
    {
        private readonly JsonParseNodeFactory _json = new();

        public string ValidContentType => "text/json";

        public Task<IParseNode> GetRootParseNodeAsync(string contentType, System.IO.Stream content, System.Threading.CancellationToken cancellationToken = default)
            => _json.GetRootParseNodeAsync("application/json", content, cancellationToken);
    }
}
