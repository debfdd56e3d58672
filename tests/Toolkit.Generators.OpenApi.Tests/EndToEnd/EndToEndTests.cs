using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Toolkit.OpenApi.Tests.Dispatch;
using Toolkit.OpenApi.Tests.Lab;
using Toolkit.OpenApi.Tests.Pets;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.OpenApi.Tests.EndToEnd;

public class EndToEndTests(TestServer server) : IClassFixture<TestServer>
{
    private LabClient Lab(HttpClient? http = null)
        => new(http ?? new HttpClient(), new LabClientOptions { BaseAddress = new Uri(server.BaseAddress, "/api") });

    private DispatchClient Dispatch(string? token = "jwt-123")
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseAddress, "/dd/data") };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Add(DispatchClient.TokenHeaderName, token);
        }

        return new DispatchClient(http);
    }

    private TestServer.Seen Last(string pathPrefix) => server.Requests.Last(r => r.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal));

    [Fact]
    public async Task List_decodes_every_field_and_sends_parameters_as_the_schema_says()
    {
        var jobs = await Lab().ListJobsAsync(
            stateIn: new[] { JobState.Submitted, new JobState("ON HOLD") },
            limit: 5,
            fields: new[] { "job_id", "job_state" },
            xRequestId: "req-1");
        var seen = Last("/api/jobs?");
        Assert.Equal("/api/jobs?state_in=SUBMITTED,ON%20HOLD&limit=5&fields=job_id&fields=job_state", seen.PathAndQuery);
        Assert.Equal("req-1", seen.RequestId);

        var job = Assert.Single(jobs);
        Assert.Equal(Guid.Parse("6f1c1f0e-2a3b-4c5d-8e9f-0a1b2c3d4e5f"), job.JobId);
        Assert.Equal(JobState.Submitted, job.JobState);
        Assert.True(job.JobState.IsKnown);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 11, 8, 22, TimeSpan.Zero), job.SubmitTime);
        Assert.Equal(TimeSpan.Zero, job.SubmitTime.Offset);
        Assert.Null(job.JobFinished);
        Assert.Null(job.Reason);
        Assert.Equal(Priority.Normal, job.Priority);
        Assert.Equal(10737418240L, job.Filesize);
        Assert.Equal("fts-01", job.SubmitHost);
        Assert.Equal("[1,2]", job.Metadata!.Value.ToElement().GetProperty("any").GetRawText());
        Assert.Equal("b", job.Labels!["a"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, job.ChecksumBytes);
        Assert.Equal(new DateOnly(2026, 11, 22), job.Day);
        Assert.Equal(new int?[] { 1, null, 3 }, job.Scores);
        Assert.Equal(10, job.Limits!.MaxFiles);
        Assert.Null(job.Limits.MaxBytes);
        Assert.Equal(TimeSpan.FromHours(1), job.Audit!.At.Offset);
        Assert.Equal("gold", job.Class);
        Assert.Equal("default", job.Activity);
        Assert.Equal(0, job.Retry);
    }

    [Fact]
    public async Task Json_body_goes_out_with_exactly_application_json()
    {
        var result = await Lab().SubmitJobAsync(new Submission
        {
            Files = new[] { new TransferFile { Sources = new[] { "https://a/f" }, Destinations = new[] { "https://b/f" }, Filesize = 5 } },
            MaxTimeInQueue = "2h",
        });
        Assert.Equal(Guid.Parse("11111111-2222-3333-4444-555555555555"), result.JobId);
        var seen = Last("/api/jobs");
        Assert.Equal("application/json", seen.ContentType);
        Assert.Equal("{\"priority\":3,\"overwrite\":false,\"max_time_in_queue\":\"2h\",\"files\":[{\"sources\":[\"https://a/f\"],\"destinations\":[\"https://b/f\"],\"filesize\":5}]}", seen.Body);
    }

    [Fact]
    public async Task Errors_map_to_service_exceptions_and_keep_the_server_message()
    {
        var lab = Lab();
        var bad = await Assert.ThrowsAsync<LabClientErrorException>(() => lab.SubmitJobAsync(new Submission { Files = Array.Empty<TransferFile>() }));
        Assert.Equal("No transfers or namespace operations specified", bad.Message);
        Assert.Equal(400, bad.StatusCode);
        Assert.Equal("400 Error", bad.GetError<Lab.Error>()!.Status);

        var deleg = await Assert.ThrowsAsync<NeedDelegationException>(() => lab.CancelJobAsync(Guid.Parse("00000000-0000-0000-0000-000000000419")));
        Assert.Equal("No delegation found for /DC=ch/CN=Test", deleg.Message);
        Assert.IsAssignableFrom<LabException>(deleg);
        Assert.IsAssignableFrom<ApiException>(deleg);

        var busy = await Assert.ThrowsAsync<TryAgainException>(() => lab.CancelJobAsync(Guid.Parse("00000000-0000-0000-0000-000000000503")));
        Assert.Equal("The server is busy", busy.Message);

        // 409 has no mapping of its own: the 4XX range gives the client-error type, still with the server's message.
        var conflict = await Assert.ThrowsAsync<LabClientErrorException>(() => lab.CancelJobAsync(Guid.Parse("00000000-0000-0000-0000-000000000409")));
        Assert.Equal("Already there", conflict.Message);

        var html = await Assert.ThrowsAsync<LabServerErrorException>(() => lab.CancelJobAsync(Guid.Parse("00000000-0000-0000-0000-000000000500")));
        Assert.Null(html.Error);
        Assert.Contains("Internal Server Error", html.RawBody, StringComparison.Ordinal);
        Assert.Equal("text/html", html.Headers.GetFirst("Content-Type"));

        var notFound = await Assert.ThrowsAsync<LabNotFoundException>(() => lab.GetJobsAsync(new[] { "missing" }));
        Assert.Equal("No job with the id \"missing\" has been found", notFound.Message);
        Assert.Equal("getJobs", notFound.Details.OperationId);

        await lab.CancelJobAsync(Guid.NewGuid());
    }

    [Fact]
    public async Task Multi_status_207_is_a_success_with_per_item_results()
    {
        var r = await Lab().GetJobsWithResponseAsync(new[] { "a", "missing", "b/c" });
        Assert.Equal(207, r.StatusCode);
        Assert.Equal(new[] { "200 Ok", "404 Not Found", "200 Ok" }, r.Value.Select(i => i.HttpStatus));
        Assert.Equal("No job with the id missing", r.Value[1].HttpMessage);
        Assert.Equal("/api/jobs/a,missing,b%2Fc", Last("/api/jobs/a").PathAndQuery);
        var ok = await Lab().GetJobsWithResponseAsync(new[] { "a" });
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("application/json", ok.Headers.GetFirst("content-type"));
    }

    [Fact]
    public async Task Open_enums_keep_unknown_values_and_integer_enum_bodies_work()
    {
        var state = await Lab().GetJobStateAsync(Guid.NewGuid());
        Assert.Equal("QOS_TRANSITION", state.Value);
        Assert.False(state.IsKnown);
        var job = await Lab().SetPriorityAsync(Guid.NewGuid(), Priority.Highest);
        Assert.Equal(5L, job.Priority!.Value.Value);
        Assert.Equal("5", server.Requests.Last(r => r.Method == "PUT" && r.PathAndQuery.StartsWith("/api/jobs/", StringComparison.Ordinal)).Body);
    }

    [Fact]
    public async Task Not_found_documented_as_none_returns_null()
    {
        Assert.Null(await Lab().GetProjectAsync(0));
        Assert.NotNull(await Lab().GetProjectAsync(1));
        Assert.Null(await Dispatch().GetProjectAsync(404));
    }

    [Fact]
    public async Task Text_binary_and_form_bodies()
    {
        var lab = Lab();
        await lab.PutCredentialAsync("abc", "-----BEGIN CERTIFICATE-----\n");
        Assert.Equal("text/plain", Last("/api/delegation/abc/credential").ContentType);
        Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----", await lab.GetDelegationRequestAsync("abc"), StringComparison.Ordinal);

        var payload = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        using (var upload = new MemoryStream(payload))
        {
            await lab.UploadFileAsync("data.bin", upload);
            Assert.True(upload.CanRead, "the caller's stream stays open");
        }

        Assert.Equal(payload, server.StoredFile);
        await using (var download = await lab.DownloadFileAsync("data.bin"))
        {
            using var copy = new MemoryStream();
            await download.CopyToAsync(copy);
            Assert.Equal(payload, copy.ToArray());
        }

        Assert.True(await lab.SetOptimizerAsync(new OptimizerForm { SourceSe = "srm://a", DestSe = "srm://b", Tags = new[] { "t1", "t2" } }));
        Assert.Equal("application/x-www-form-urlencoded", Last("/api/optimizer/current").ContentType);
    }

    [Fact]
    public async Task Discriminated_unions_and_request_records()
    {
        var drawing = new Drawing
        {
            Shapes = new Shape[] { new Circle { Radius = 2 }, new Square { Side = 3, Label = null } },
            Primary = new Square { Side = 1, Label = "one" },
            ByName = new Dictionary<string, Shape> { ["c"] = new Circle { Radius = 0.5 } },
        };
        var echoed = await Lab().CreateDrawingAsync(drawing);
        Assert.Equal("{\"shapes\":[{\"kind\":\"circle\",\"radius\":2},{\"kind\":\"square\",\"side\":3}],\"primary\":{\"kind\":\"square\",\"side\":1,\"label\":\"one\"},\"by_name\":{\"c\":{\"kind\":\"circle\",\"radius\":0.5}}}", Last("/api/drawings").Body);
        Assert.IsType<Circle>(echoed.Shapes[0]);
        Assert.Equal(3, Assert.IsType<Square>(echoed.Shapes[1]).Side);
        Assert.Equal("one", Assert.IsType<Square>(echoed.Primary).Label);

        var found = await Lab().SearchAsync(new SearchRequest { Q = "x y", State = JobState.Active, Page = 2, XTrace = true, Body = new Extensible { Name = "n", AdditionalProperties = new Dictionary<string, int> { ["k"] = 1 } } });
        Assert.Equal("x y|ACTIVE|true", found.Name);
        Assert.Equal(2, found.AdditionalProperties!["page"]);
        Assert.Equal("{\"name\":\"n\",\"k\":1}", Last("/api/search").Body);

        var me = await Lab().GetWhoamiAsync();
        Assert.Equal("all", me.Level!["transfer"]);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, (await Lab().GetConfigWithRetryAsync(server)).ValueKind);
    }

    [Fact]
    public async Task Dispatcher_text_json_token_header_and_plain_text_errors()
    {
        var dd = Dispatch();
        var p = await dd.GetProjectAsync(7, GetProjectWithFiles.Yes);
        Assert.NotNull(p);
        Assert.Equal(ProjectState.Active, p!.State);
        Assert.Null(p.EndedTimestamp);
        Assert.Equal(1764000000.25, p.CreatedTimestamp);
        Assert.Equal(TimeSpan.Zero, p.Updated!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 11, 8, 22, TimeSpan.Zero), p.Updated);
        Assert.Null(p.FileHandles![0].Replicas!["RSE1"].Preference);
        // Unknown properties are kept (ToolkitOpenApiUnknownProperties=keep) and written back.
        Assert.Equal("files from x", p.AdditionalProperties!["query"].ToElement().GetString());
        Assert.Contains("\"retry_count\":0", Encoding.UTF8.GetString(ApiJson.Serialize(p)), StringComparison.Ordinal);
        Assert.Equal("/dd/data/project?project_id=7&with_files=yes", Last("/dd/data/project?project_id=7").PathAndQuery);

        var created = await dd.CreateProjectAsync(new NewProject { Files = new[] { "ns:f1" } });
        Assert.Equal(7L, created.ProjectId);
        var seen = Last("/dd/data/create_project");
        Assert.Equal("text/json", seen.ContentType);
        Assert.Equal("jwt-123", seen.Token);

        var bad = await Assert.ThrowsAsync<DispatcherException>(() => dd.CreateProjectAsync(new NewProject { Files = Array.Empty<string>() }));
        Assert.Equal("Bad file specification", bad.Message);
        var inactive = await Assert.ThrowsAsync<InactiveProjectException>(() => dd.NextFileAsync(2, "w1"));
        Assert.Equal("Inactive project. State=cancelled", inactive.Message);
        var next = await dd.NextFileAsync(3, "w1", cpuSite: "SITE");
        Assert.Null(next.Handle);
        Assert.True(next.Retry);
        var unauth = await Assert.ThrowsAsync<DispatcherException>(() => Dispatch(token: null).GetProjectAsync(401));
        Assert.Equal(401, unauth.StatusCode);
        Assert.Equal("Token not found", unauth.Message);
        Assert.Equal("2.0.3", await dd.VersionAsync());
    }

    [Fact]
    public async Task Petstore_client_against_its_own_server()
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseAddress, "/v1/") };
        var pets = new PetstoreClient(http);
        var list = await pets.ListPetsWithResponseAsync(limit: 10);
        Assert.Equal(new[] { "Rex", "Tom" }, list.Value.Select(p => p.Name));
        Assert.Null(list.Value[1].Tag);
        Assert.Equal("/v1/pets?page=2", list.Headers.GetFirst("x-next"));
        await pets.CreatePetsAsync(new Pet { Id = 3, Name = "Kit" });
        Assert.Equal("{\"id\":3,\"name\":\"Kit\"}", Last("/v1/pets").Body);
        Assert.Equal(1, (await pets.ShowPetByIdAsync("1")).Id);
        var ex = await Assert.ThrowsAsync<ApiException>(() => pets.ShowPetByIdAsync("9"));
        Assert.Equal(500, ex.StatusCode);
        Assert.Equal(42, ex.GetError<Pets.Error>()!.Code);
        Assert.Equal("no such pet", ex.Message);
    }

    [Fact]
    public async Task Pipeline_retries_logs_without_credentials_and_sets_user_agent()
    {
        var logger = new ListLogger();
        var http = HttpPipeline.CreateClient(
            null,
            new SocketsHttpHandler(),
            new UserAgentHandler("toolkit-tests/1.0"),
            new HttpLoggingHandler(logger),
            new RetryHandler(new RetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(1), MaxAttempts = 5 }));
        http.DefaultRequestHeaders.Add("X-Authentication-Token", "very-secret-token");
        var lab = new LabClient(http, new LabClientOptions { BaseAddress = new Uri(server.BaseAddress, "/api") });
        var before = server.Requests.Count(r => r.PathAndQuery == "/api/config");
        var config = await lab.GetConfigAsync();
        Assert.Equal(3, config.ToElement().GetProperty("*").GetProperty("retry").GetInt32());
        Assert.Equal(3, server.Requests.Count(r => r.PathAndQuery == "/api/config") - before);
        Assert.Equal("toolkit-tests/1.0", Last("/api/config").UserAgent);

        await lab.ListJobsAsync(fields: new[] { "x" });
        var all = string.Join("\n", logger.Lines);
        Assert.Contains("X-Authentication-Token: [redacted]", all, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-token", all, StringComparison.Ordinal);
        Assert.Contains("-> 200", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_operations_are_logged_to_the_options_logger()
    {
        var logger = new ListLogger();
        var lab = new LabClient(new HttpClient(), new LabClientOptions { BaseAddress = new Uri(server.BaseAddress, "/api"), Logger = logger });
        await lab.GetWhoamiAsync();
        Assert.Empty(logger.Lines);
        await Assert.ThrowsAsync<NeedDelegationException>(() => lab.CancelJobAsync(Guid.Parse("00000000-0000-0000-0000-000000000419")));
        var line = Assert.Single(logger.Lines);
        Assert.Equal("Operation cancelJob failed with status 419: No delegation found for /DC=ch/CN=Test", line);
    }

    [Fact]
    public async Task Operations_are_traced_with_an_activity()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ApiDiagnostics.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => stopped.Add(a),
        };
        ActivitySource.AddActivityListener(listener);
        await Lab().GetWhoamiAsync();
        var a = Assert.Single(stopped, x => x.OperationName == "LabClient.GetWhoami");
        Assert.Equal("/whoami", a.GetTagItem("url.template"));
        Assert.Equal(200, a.GetTagItem("http.response.status_code"));
    }

    private sealed class ListLogger : ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Lines.Enqueue(formatter(state, exception));
    }
}

internal static class LabClientTestExtensions
{
    /// <summary>/api/config fails with 503 twice per three calls: retry until it answers (without a RetryHandler).</summary>
    public static async Task<Toolkit.Runtime.Json.ApiJsonValue> GetConfigWithRetryAsync(this LabClient lab, TestServer server)
    {
        _ = server;
        for (var i = 0; ; i++)
        {
            try
            {
                return await lab.GetConfigAsync();
            }
            catch (TryAgainException) when (i < 5)
            {
            }
        }
    }
}
