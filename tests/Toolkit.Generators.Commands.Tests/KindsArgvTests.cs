using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Toolkit.Commands.Tests.Kinds;
using Toolkit.JAliEn;

namespace Toolkit.Commands.Tests;

/// <summary>
/// The builders generated from Schemas/kinds.yaml (compiled into this project) for every option kind: the typed argv,
/// parsed back by the verb table, gives the values it was built from; and the shell's BuildArgv of that argv is the same argv.
/// </summary>
public sealed class KindsArgvTests
{
    private static readonly AlienPaths P = new("/c/", "/h/");

    private static readonly AlienVerb Verb = KindsVerbs.Find("all")!;

    [Fact]
    public void EveryKindHasItsWireForm()
    {
        var line = KindsArgv.All(P, true, AllMode.ReadWrite, "t", 3, new[] { "r1", "r2" }, flag: true, defaultOn: false, text: "x y", number: -4, big: 1L << 40,
            place: "~/p", exclude: new[] { "a", "b" }, excludeLfn: new[] { "e" }, jobs: new long[] { 1, 2 }, sites: new[] { "S1", "S2" }, pwd: "..", debug: 2, kind: AllKind.Job, spec: AlienReplicaSpec.Disk(2));
        Assert.Equal(
            new[] { "-nomsg", "-b", "-v", "x y", "-n", "-4", "-N", "1099511627776", "-p", "/h/p", "-e", "a", "-e", "b", "-E", "/c/e", "-j", "1,2", "-s", "S1;S2", "-pwd=/", "-debug=2", "-t", "job", "-r", "disk:2", "read-write", "/c/t", "3", "r1", "r2" },
            line.Options);
        Assert.Equal(new[] { "-on", "read", "/c/t" }, KindsArgv.All(P, false, AllMode.Read, "t").Options);
    }

    [Fact]
    public void JoinedValuesMayNotHoldTheSeparator()
        => Assert.Throws<ArgumentException>(() => KindsArgv.All(P, false, AllMode.Read, "t", sites: new[] { "a;b" }));

    [Fact]
    public void KeywordNamesAreEscaped()
    {
        var line = KindsArgv.Keywords(P, false, "c", @long: true, @object: 5);
        Assert.Equal(new[] { "-l", "-i", "5", "c", "7" }, line.Options);
        Assert.Equal(new[] { "0b3c3e9a-4b8e-11ee-9c4f-0242ac130002", "/c/x" }, KindsArgv.Guids(P, false, new[] { "0b3c3e9a-4b8e-11ee-9c4f-0242ac130002", "x" }).Options);
    }

    [Fact]
    public void ClientVerbsNeedTheirServerCommands()
    {
        Assert.True(KindsVerbs.IsSupported("local", new[] { "all", "ids" }));
        Assert.False(KindsVerbs.IsSupported("local", new[] { "all" }));
        Assert.Contains("*/", Verb.Help, StringComparison.Ordinal);
        Assert.Contains("\"quotes\"", Verb.Help, StringComparison.Ordinal);
    }

    private static Gen<string> Word => Gen.Elements("a", "b c", "x\"y", "é", "/abs", "rel/p", "日本", "semi", "0", "q,r");

    public static Arbitrary<Inputs> InputsArb() => (
        from flag in Gen.Elements(true, false)
        from isOn in Gen.Elements(true, false)
        from text in Gen.OneOf(Gen.Constant<string?>(null), Word.Select(w => (string?)w))
        from number in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(-1000, 1000).Select(i => (int?)i))
        from big in Gen.OneOf(Gen.Constant<long?>(null), Gen.Choose(0, int.MaxValue).Select(i => (long?)i * 1000L))
        from exclude in Gen.ListOf(Word).Select(l => l.ToArray())
        from jobs in Gen.ListOf(Gen.Choose(0, 100000).Select(i => (long)i)).Select(l => l.ToArray())
        from sites in Gen.ListOf(Gen.Elements("S1", "ALICE::CERN::EOS", "x y")).Select(l => l.ToArray())
        from kind in Gen.OneOf(Gen.Constant<AllKind?>(null), Gen.Elements<AllKind?>(AllKind.User, AllKind.Job))
        from mode in Gen.Elements(AllMode.Read, AllMode.Write, AllMode.ReadWrite)
        from rest in Gen.ListOf(Word).Select(l => l.ToArray())
        select new Inputs(flag, isOn, text, number, big, exclude, jobs, sites, kind, mode, rest)).ToArbitrary();

    public sealed record Inputs(bool Flag, bool On, string? Text, int? Number, long? Big, string[] Exclude, long[] Jobs, string[] Sites, AllKind? Kind, AllMode Mode, string[] Rest);

    [Property(MaxTest = 300, Arbitrary = new[] { typeof(KindsArgvTests) })]
    public bool ArgvParsesBackToItsInputs(Inputs i)
    {
        var count = i.Rest.Length > 0 ? 9 : (int?)null;
        var line = KindsArgv.All(P, false, i.Mode, "/t", count, i.Rest, flag: i.Flag, defaultOn: i.On, text: i.Text, number: i.Number, big: i.Big,
            exclude: i.Exclude, jobs: i.Jobs, sites: i.Sites, kind: i.Kind);
        var items = Verb.Parse(line.Options);
        string? One(string flag) => items.SingleOrDefault(x => x.Option?.Flag == flag)?.Value;
        var positionals = items.Where(x => x.Option is null).Select(x => x.Token).ToArray();
        var ok = items.Any(x => x.Option?.Flag == "-b") == i.Flag
            && items.Any(x => x.Option?.Flag == "-on") == i.On
            && One("-v") == i.Text
            && One("-n") == i.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture)
            && One("-N") == i.Big?.ToString(System.Globalization.CultureInfo.InvariantCulture)
            && items.Where(x => x.Option?.Flag == "-e").Select(x => x.Value).SequenceEqual(i.Exclude)
            && (One("-j")?.Split(',').Select(long.Parse).ToArray() ?? Array.Empty<long>()).SequenceEqual(i.Jobs)
            && (One("-s")?.Split(';') ?? Array.Empty<string>()).SequenceEqual(i.Sites)
            && One("-t") == (i.Kind is { } k ? KindsEnums.ToWire(k) : null)
            && positionals.SequenceEqual(new[] { KindsEnums.ToWire(i.Mode), "/t" }.Concat(count is null ? Array.Empty<string>() : new[] { "9" }).Concat(i.Rest));
        var again = Verb.BuildArgv(line.Options, P);
        return ok && again.Options.SequenceEqual(line.Options);
    }
}
