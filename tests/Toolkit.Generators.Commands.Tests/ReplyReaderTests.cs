using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using Toolkit.JAliEn;

namespace Toolkit.Commands.Tests;

/// <summary>The reply reader on replies shaped like the server's (spec section 3 and 7) and on hostile ones.</summary>
public sealed class ReplyReaderTests
{
    private static ReadOnlyMemory<byte> U(string json) => Encoding.UTF8.GetBytes(json);

    private const string Meta = "\"metadata\":{\"exitcode\":\"0\",\"error\":\"\",\"user\":\"jdoe\",\"currentdir\":\"/alice/cern.ch/user/j/jdoe/\"}";

    [Fact]
    public void LsLongRowsAreTyped()
    {
        var json = "{" + Meta + ",\"results\":[{\"name\":\"a.root\",\"path\":\"/alice/cern.ch/user/j/jdoe/a.root\",\"permissions\":\"-rwxr-xr-x\",\"user\":\"jdoe\",\"group\":\"jdoe\",\"size\":\"1048576\",\"ctime\":\"1700000000123\",\"guid\":\"0b3c3e9a-4b8e-11ee-9c4f-0242ac130002\"},{\"name\":\"sub/\",\"path\":\"/alice/cern.ch/user/j/jdoe/sub/\"}]}";
        var r = AlienReplyReader.Read<LsEntry>(U(json), "ls");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("jdoe", r.User);
        Assert.Equal("/alice/cern.ch/user/j/jdoe/", r.CurrentDir);
        Assert.Null(r.TimingMs);
        Assert.Equal(2, r.Rows.Count);
        Assert.Equal(1048576L, r.Rows[0].Size);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000123), r.Rows[0].Ctime);
        Assert.Equal(Guid.Parse("0b3c3e9a-4b8e-11ee-9c4f-0242ac130002"), r.Rows[0].Guid);
        Assert.Null(r.Rows[1].Size);
        Assert.Equal(json, Encoding.UTF8.GetString(r.Raw.Span));
    }

    [Fact]
    public void StatVerboseReplicasAreAMapAndTimingIsParsed()
    {
        var json = "{\"metadata\":{\"exitcode\":\"0\",\"error\":\"\",\"user\":\"u\",\"currentdir\":\"/\",\"timing_ms\":\"12\"},\"results\":[{\"lfn\":\"/a\",\"size\":\"5\",\"replicas\":{\"ALICE::CERN::EOS\":\"root://eos/1\",\"ALICE::FZK::SE\":\"root://fzk/2\"},\"message\":\"File: /a\"}]}";
        var r = AlienReplyReader.Read<StatEntry>(U(json), "stat");
        Assert.Equal(12L, r.TimingMs);
        Assert.Equal("root://fzk/2", r.Rows[0].Replicas!["ALICE::FZK::SE"]);
        Assert.Equal(new[] { "File: /a" }, r.Messages);
    }

    [Fact]
    public void WhoamiRolesAreACommaListAndCommitLfnIsAFlag()
    {
        var w = AlienReplyReader.Read<WhoamiRow>(U("{" + Meta + ",\"results\":[{\"username\":\"jdoe\",\"roles\":\"jdoe, alice ,aliprod\",\"certificate_expires\":\"1700000000000\"}]}"), "whoami");
        Assert.Equal(new[] { "jdoe", "alice", "aliprod" }, w.Rows[0].Roles);
        var c = AlienReplyReader.Read<CommitRow>(U("{" + Meta + ",\"results\":[{\"path\":\"/a\",\"lfn\":\"1\"},{\"path\":\"/b\",\"lfn\":\"0\"}]}"), "commit");
        Assert.Equal(new bool?[] { true, false }, c.Rows.Select(x => x.Committed));
    }

    [Fact]
    public void MessageOnlyRowsAreMessagesNotRows()
    {
        var r = AlienReplyReader.Read<LsEntry>(U("{" + Meta + ",\"results\":[{\"message\":\"line one\"},{\"message\":\"line two\"}]}"), "ls");
        Assert.Empty(r.Rows);
        Assert.Equal(new[] { "line one", "line two" }, r.Messages);
    }

    [Fact]
    public void MetadataAfterResultsIsRead()
    {
        var r = AlienReplyReader.Read<PwdRow>(U("{\"results\":[{\"pwd\":\"/x/\"}],\"metadata\":{\"exitcode\":\"0\",\"user\":\"u\",\"currentdir\":\"/x/\"}}"), "pwd");
        Assert.Equal("/x/", r.Rows[0].Pwd);
    }

    [Fact]
    public void NonZeroExitCodeThrowsOrIsReturned()
    {
        var json = "{\"metadata\":{\"exitcode\":\"2\",\"error\":\"No such file or directory\",\"user\":\"u\",\"currentdir\":\"/\"},\"results\":[{\"message\":\"ls: /nope: no such file\"}]}";
        var ex = Assert.Throws<AlienCommandException>(() => AlienReplyReader.Read<LsEntry>(U(json), "ls"));
        Assert.Equal(2, ex.ExitCode);
        Assert.Equal("No such file or directory", ex.Error);
        Assert.Equal("ls", ex.Command);
        Assert.Single(ex.Messages);
        var r = AlienReplyReader.Read<LsEntry>(U(json), "ls", AlienErrorMode.Return);
        Assert.Equal(2, r.ExitCode);
        Assert.False(r.IsSuccess);
        Assert.Throws<AlienCommandException>(() => r.EnsureSuccess());
    }

    [Theory]
    [InlineData("not json at all", "$", "not valid JSON")]
    [InlineData("", "$", "not valid JSON")]
    [InlineData("[]", "$", "not an object")]
    [InlineData("{\"results\":[]}", "$.metadata", "no 'metadata'")]
    [InlineData("{\"metadata\":{\"error\":\"\"},\"results\":[]}", "$.metadata.exitcode", "no 'exitcode'")]
    [InlineData("{\"metadata\":{\"exitcode\":\"zero\"},\"results\":[]}", "$.metadata.exitcode", "not a number")]
    [InlineData("{\"metadata\":{\"exitcode\":0},\"results\":[]}", "$.metadata.exitcode", "not a string")]
    [InlineData("{\"metadata\":[],\"results\":[]}", "$.metadata", "not an object")]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\"},\"results\":{}}", "$.results", "not an array")]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\"},\"results\":[\"x\"]}", "$.results[0]", "not an object")]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\"},\"results\":[{\"name\":\"a\",\"size\":\"12x\"}]}", "$.results[0].size", "not a 64-bit integer")]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\"},\"results\":[{},{\"size\":[1]}]}", "$.results[1].size", "found a array")]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\"},\"results\":[{\"guid\":\"not-a-guid\"}]}", "$.results[0].guid", "not a GUID")]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\"},\"results\":[{\"ctime\":\"99999999999999999\"}]}", "$.results[0].ctime", "outside the range")]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\"},\"results\":[{\"message\":5}]}", "$.results[0].message", "not a string")]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\"},\"results\":[]} {}", "$", "after the reply")]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\"},\"results\":[{\"name\":\"a\"", "$.results[0].name", "not valid JSON")]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\"},\"metadata\":{\"exitcode\":\"0\"}}", "$.metadata", "twice")]
    public void HostileRepliesNameThePathAndOffset(string json, string path, string what)
    {
        var ex = Assert.Throws<AlienProtocolException>(() => AlienReplyReader.Read<LsEntry>(U(json), "ls"));
        Assert.Equal(path, ex.JsonPath);
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
        Assert.InRange(ex.ByteOffset, 0, Math.Max(0, Encoding.UTF8.GetByteCount(json)));
        Assert.Equal("ls", ex.Command);
    }

    [Fact]
    public void TheOffsetPointsAtTheBadValue()
    {
        var json = "{\"metadata\":{\"exitcode\":\"0\"},\"results\":[{\"size\":\"oops\"}]}";
        var ex = Assert.Throws<AlienProtocolException>(() => AlienReplyReader.Read<LsEntry>(U(json), "ls"));
        Assert.Equal(json.IndexOf("\"oops\"", StringComparison.Ordinal), ex.ByteOffset);
    }

    [Fact]
    public void AMissingRequiredFieldIsAnErrorOnSuccessAndADroppedRowOnFailure()
    {
        var ok = "{\"metadata\":{\"exitcode\":\"0\"},\"results\":[{\"url\":\"root://a\"},{\"se\":\"X\"}]}";
        var ex = Assert.Throws<AlienProtocolException>(() => AlienReplyReader.Read<AccessEnvelope>(U(ok), "access"));
        Assert.Equal("$.results[1].url", ex.JsonPath);
        var failed = ok.Replace("\"0\"", "\"5\"", StringComparison.Ordinal);
        var r = AlienReplyReader.Read<AccessEnvelope>(U(failed), "access", AlienErrorMode.Return);
        Assert.Equal("root://a", Assert.Single(r.Rows).Url);
    }

    [Fact]
    public void DeepNestingIsAProtocolErrorNotACrash()
    {
        var json = "{\"metadata\":{\"exitcode\":\"0\"},\"results\":[{\"x\":" + new string('[', 5000) + new string(']', 5000) + "}]}";
        Assert.Throws<AlienProtocolException>(() => AlienReplyReader.ReadUntyped(U(json), "ls"));
    }

    [Fact]
    public void UntypedRowsKeepOrderAndKinds()
    {
        var r = AlienReplyReader.ReadUntyped(U("{" + Meta + ",\"results\":[{\"b\":\"2\",\"a\":{\"k\":\"v\"},\"n\":3,\"message\":\"m\"}]}"), "stat");
        var row = Assert.Single(r.Rows);
        Assert.Equal(new[] { "b", "a", "n" }, row.Fields.Select(f => f.Name));
        Assert.Equal("2", row["b"]);
        Assert.Equal(JsonValueKind.Object, row.Find("a")!.Json!.Value.ValueKind);
        Assert.Equal("3", row["n"]);
        Assert.Equal("m", Assert.Single(r.Messages));
    }

    [Fact]
    public void UnknownFieldsAndTopLevelKeysAreSkipped()
    {
        var r = AlienReplyReader.Read<PwdRow>(U("{\"extra\":[1,{\"a\":2}]," + Meta + ",\"results\":[{\"future\":{\"x\":[1,2]},\"pwd\":\"/p/\"}]}"), "pwd");
        Assert.Equal("/p/", r.Rows[0].Pwd);
    }

    [Fact]
    public void NullResultsAreEmpty()
    {
        var r = AlienReplyReader.Read<PwdRow>(U("{" + Meta + ",\"results\":null}"), "pwd");
        Assert.Empty(r.Rows);
    }

    [Fact]
    public void MetadataAloneIsReadWithoutTheRows()
    {
        var m = AlienReplyReader.ReadMetadata(U("{\"results\":[{\"size\":\"not a number\"}],\"metadata\":{\"exitcode\":\"17\",\"error\":\"e\",\"user\":\"u\",\"currentdir\":\"/d/\"}}"), "ls");
        Assert.Equal(new AlienReplyMetadata(17, "e", "u", "/d/", null), m);
        Assert.Throws<AlienProtocolException>(() => AlienReplyReader.ReadMetadata(U("{\"results\":[]}"), "ls"));
        Assert.Throws<AlienProtocolException>(() => AlienReplyReader.ReadMetadata(U("{\"metadata\":{\"exitcode\":\"0\"},\"results\":[{]}"), "ls"));
    }
}
