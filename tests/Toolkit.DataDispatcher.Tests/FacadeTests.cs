using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.DataDispatcher.Tests;

/// <summary>The REST facade pattern (docs/rest-clients.md) as Data Dispatcher follows it.</summary>
public sealed class FacadeTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    [Fact]
    public void FromEnvironment_is_the_one_reader_of_the_variables()
    {
        Func<string, string?> env = n => n switch { "DATA_DISPATCHER_URL" => "https://dd/data", "DATA_DISPATCHER_AUTH_URL" => "https://dd/auth", "HOME" => "/home/x", _ => null };
        var o = DataDispatcherClientOptions.FromEnvironment(env);
        Assert.Equal(("https://dd/data", "https://dd/auth"), (o.ServerUrl, o.AuthServerUrl));
        Assert.Same(env, o.Environment);
        var empty = DataDispatcherClientOptions.FromEnvironment(_ => "");
        Assert.Equal((null, null), (empty.ServerUrl, empty.AuthServerUrl));

        // The constructor reads no environment any more: the variables only count through FromEnvironment.
        var e = Assert.Throws<ArgumentException>(() => new DataDispatcherClient(new DataDispatcherClientOptions { Environment = env }));
        Assert.Contains("DATA_DISPATCHER_URL", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_HttpClient_is_used_as_is_and_not_disposed()
    {
        var token = new BearerTokenHandler(new BearerToken(fx.AliceToken, "test")) { HeaderName = DataServerClient.TokenHeaderName, InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(token);
        var options = new DataDispatcherClientOptions { ServerUrl = fx.Peer.DataUrl.ToString(), Environment = _ => null, CurrentDirectory = fx.NewDir() };
        using (var client = new DataDispatcherClient(http, options))
        {
            // The token comes from the caller's handler: the client has none of its own.
            Assert.Null(client.CurrentToken());
            var project = await client.CreateProjectAsync(["caller:1"]);
            Assert.Equal("alice", project.Owner);
        }

        using var response = await http.GetAsync(new Uri(fx.Peer.DataUrl.ToString().TrimEnd('/') + "/version"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_clients_own_HttpClient_is_disposed_with_it()
    {
        var client = fx.Client(fx.AliceToken);
        Assert.Equal("2.0.3", await client.VersionAsync());
        client.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.VersionAsync());
    }

    [Fact]
    public async Task Retry_is_a_RetryPolicy_option_default_the_python_clients()
    {
        var clock = new TestClock();
        var dir = fx.NewDir();
        var options = new DataDispatcherClientOptions { ServerUrl = fx.Peer.DataUrl.ToString(), Token = fx.AliceToken, Environment = _ => null, CurrentDirectory = dir, TimeProvider = clock, Random = () => 0.5 };
        Assert.Equal(new[] { 503 }, DataDispatcherClientOptions.DefaultRetryPolicy(options.Timeout).RetryStatusCodes.ToArray());
        try
        {
            using (var none = new DataDispatcherClient(options with { Retry = RetryPolicy.None }))
            {
                fx.Peer.Fail503(1);
                var e = await Assert.ThrowsAsync<DataDispatcherUnavailableException>(() => none.VersionAsync());
                Assert.Equal(503, e.StatusCode);
                Assert.Empty(clock.Delays);
            }

            using var byDefault = new DataDispatcherClient(options);
            fx.Peer.Fail503(2);
            Assert.Equal("2.0.3", await byDefault.VersionAsync());
            Assert.Equal(2, clock.Delays.Count);
        }
        finally
        {
            fx.Peer.Fail503(0);
        }
    }

    [Fact]
    public void One_exception_root_for_both_servers()
    {
        Assert.Equal(typeof(ApiException), typeof(DataDispatcherException).BaseType);
        Assert.True(typeof(DataDispatcherAuthException).IsAssignableTo(typeof(DataDispatcherException)));
        var apiExceptions = typeof(DataDispatcherClient).Assembly.GetExportedTypes().Where(t => t.IsAssignableTo(typeof(ApiException))).ToList();
        Assert.Contains(typeof(DataDispatcherAuthenticationFailedException), apiExceptions);
        Assert.All(apiExceptions, t => Assert.True(t.IsAssignableTo(typeof(DataDispatcherException)), t.Name));
    }

    [Fact]
    public async Task The_client_can_be_mocked_with_the_model_factory()
    {
        using var client = new FakeClient();
        var project = await client.GetProjectAsync(7);
        Assert.Equal((7L, "alice", ProjectState.Active), (project!.ProjectId, project.Owner, project.State));
        Assert.Equal("b.root", project.FileHandles![1].Name);

        var reserved = DataDispatcherModelFactory.ReservedFile(client, DataDispatcherModelFactory.Handle(7, "dune", "a.root", HandleState.Reserved, workerId: "w1"));
        Assert.Equal(("dune:a.root", "w1"), (reserved.Did, reserved.WorkerId));
        await reserved.DoneAsync();
        Assert.Equal("7 dune:a.root w1", client.Done);

        Assert.Equal("RSE1", DataDispatcherModelFactory.Rse("RSE1").Name);
        Assert.Equal("root://x//a", DataDispatcherModelFactory.Replica("RSE1", "root://x//a").Url);
        Assert.Equal("bob", DataDispatcherModelFactory.AuthInfo("bob").User);
    }

    private sealed class FakeClient : DataDispatcherClient
    {
        public string? Done { get; private set; }

        public override Task<Project?> GetProjectAsync(long projectId, bool withFiles = true, bool withReplicas = false, CancellationToken cancellationToken = default)
            => Task.FromResult<Project?>(DataDispatcherModelFactory.Project(projectId, "alice", fileHandles:
            [
                DataDispatcherModelFactory.Handle(projectId, "dune", "a.root"),
                DataDispatcherModelFactory.Handle(projectId, "dune", "b.root", HandleState.Done),
            ]));

        public override Task<Handle> FileDoneAsync(long projectId, string did, string? workerId = null, CancellationToken cancellationToken = default)
        {
            Done = projectId + " " + did + " " + workerId;
            return Task.FromResult(DataDispatcherModelFactory.Handle(projectId, "dune", "a.root", HandleState.Done));
        }
    }
}
