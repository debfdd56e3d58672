using System;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Toolkit.JAliEn;

namespace Toolkit.Commands.Tests;

/// <summary>LFN expansion, replica specifiers and request encoding.</summary>
public sealed class RuntimeHelperTests
{
    private static readonly AlienPaths P = new("/alice/cern.ch/user/j/jdoe/work/", "/alice/cern.ch/user/j/jdoe/");

    [Theory]
    [InlineData("", "/alice/cern.ch/user/j/jdoe/work")]
    [InlineData(".", "/alice/cern.ch/user/j/jdoe/work")]
    [InlineData("./", "/alice/cern.ch/user/j/jdoe/work/")]
    [InlineData("..", "/alice/cern.ch/user/j/jdoe")]
    [InlineData("a/../b//c/", "/alice/cern.ch/user/j/jdoe/work/b/c/")]
    [InlineData("~", "/alice/cern.ch/user/j/jdoe")]
    [InlineData("~/x", "/alice/cern.ch/user/j/jdoe/x")]
    [InlineData("%ALIEN/x", "/alice/cern.ch/user/j/jdoe/x")]
    [InlineData("%ALIENX", "/alice/cern.ch/user/j/jdoe/work/%ALIENX")]
    [InlineData("~x", "/alice/cern.ch/user/j/jdoe/work/~x")]
    [InlineData("/../../..", "/")]
    [InlineData("/alice/./data/", "/alice/data/")]
    public void ExpandsLikeAlienpy(string input, string expected) => Assert.Equal(expected, AlienPath.Expand(input, P));

    [Fact]
    public void RelativePathsNeedAnAbsoluteCwd()
    {
        Assert.Throws<ArgumentException>(() => AlienPath.Expand("x", new AlienPaths("", "/h/")));
        Assert.Equal("/abs", AlienPath.Expand("/abs", new AlienPaths("", "")));
        Assert.Equal("0b3c3e9a-4b8e-11ee-9c4f-0242ac130002", AlienPath.ExpandLfnOrGuid("0b3c3e9a-4b8e-11ee-9c4f-0242ac130002", P));
    }

    [Property(MaxTest = 300)]
    public bool ExpansionIsAbsoluteNormalAndIdempotent(NonNull<string> raw)
    {
        var s = raw.Get.Replace('\0', 'x');
        var e = AlienPath.Expand(s, P);
        return e.StartsWith('/') && !e.Contains("//", StringComparison.Ordinal) && !e.Split('/').Any(x => x is "." or "..") && AlienPath.Expand(e, P) == e;
    }

    [Theory]
    [InlineData("disk:2", "disk:2")]
    [InlineData("disk:1,ALICE::CERN::EOS,!ALICE::FZK::SE", "disk:1,ALICE::CERN::EOS,!ALICE::FZK::SE")]
    [InlineData(" !A::B::C , disk:3 ", "disk:3,!A::B::C")]
    public void ReplicaSpecsRoundTrip(string text, string wire) => Assert.Equal(wire, AlienReplicaSpec.Parse(text).ToString());

    [Theory]
    [InlineData("disk:x")]
    [InlineData("disk:2,,SE")]
    [InlineData("!")]
    [InlineData("")]
    public void BadReplicaSpecsAreFormatErrors(string text) => Assert.Throws<FormatException>(() => AlienReplicaSpec.Parse(text));

    [Fact]
    public void SpecSplitsOffTheLastAt()
    {
        AlienReplicaSpec.Split("/a/b@c/file.root@disk:2,!X::Y::Z", out var path, out var spec);
        Assert.Equal("/a/b@c/file.root", path);
        Assert.Equal("disk:2,!X::Y::Z", spec!.ToString());
        AlienReplicaSpec.Split("/a/b@c/file.root", out path, out spec);
        Assert.Equal("/a/b@c/file.root", path);
        Assert.Null(spec);
    }

    [Fact]
    public void RequestsAreJsonWithStringOptions()
    {
        var bytes = AlienRequest.Encode(new AlienCommandLine("ls", new[] { "-l", "a \"q\" é" }));
        Assert.Equal("{\"command\":\"ls\",\"options\":[\"-l\",\"a \\u0022q\\u0022 \\u00E9\"]}", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void TheRequestCapIsEnforcedBeforeSending()
    {
        var justUnder = new string('a', AlienRequest.MaxRequestBytes - "{\"command\":\"x\",\"options\":[\"\"]}".Length);
        Assert.Equal(AlienRequest.MaxRequestBytes, AlienRequest.Encode(new AlienCommandLine("x", new[] { justUnder })).Length);
        var ex = Assert.Throws<AlienRequestTooLargeException>(() => AlienRequest.Encode(new AlienCommandLine("x", new[] { justUnder + "a" })));
        Assert.Equal(AlienRequest.MaxRequestBytes, ex.Limit);
        Assert.True(ex.Size > ex.Limit);
        var many = Enumerable.Repeat("/alice/cern.ch/user/j/jdoe/some/long/path/file.root", 5000).ToArray();
        Assert.Throws<AlienRequestTooLargeException>(() => AlienRequest.Encode(new AlienCommandLine("rm", many)));
    }
}
