using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Toolkit.Structs.Tests.Generator;

/// <summary>The <c>visitor</c> declaration: the generated interface and dispatch, their behaviour, and positioned misuse diagnostics.</summary>
public sealed class VisitorTests
{
    /// <summary>A union with a base, a walked variant (a struct field and an array of a union), a fail rule and an unnamed variant.</summary>
    internal const string Schema = """
        namespace Demo.Visit;

        /// Every message starts with this.
        struct Head { type: u8; len: u8; }

        /// A message, selected by its type.
        union Message : Head switch (u8 @0) {
            1 => Ping;
            2 => Batch;
            3 => Note;
            _ => Strange;
        }

        /// A ping.
        struct Ping : Head(type = 1) size(len) { seq: u16; }

        /// A batch: a stamp, then items to the end.
        struct Batch : Head(type = 2) size(len) { stamp: Stamp; items: Item[..]; }

        /// A time stamp.
        struct Stamp { time: u32; }

        /// An item.
        union Item switch (u8 @0) { 0x10 => Small; 0x20 => Large; }

        /// A small item.
        struct Small { tag: u8 const 0x10; value: u8; }

        /// A large item.
        struct Large { tag: u8 const 0x20; value: u16; }

        /// A note: the visitor does not name it.
        struct Note : Head(type = 3) size(len) { body: text[..]; }

        /// Any other type.
        struct Strange : Head size(len) { rest: bytes[..]; }

        /// Receives the records of messages.
        visitor IDemoVisitor over Message dispatch DemoMessages {
            /// A ping arrived.
            Ping => OnPing;
            Batch => OnBatch {
                stamp => OnStamp;
                items {
                    Small => OnSmall;
                    /// A large item of a batch.
                    Large => OnLarge;
                }
            }
            Strange => fail "unknown message type";
        }
        """;

    /// <summary>A consumer: implements only the named methods (OnNote has a default body) and logs the calls.</summary>
    private const string Consumer = """
        using System.Text;
        using Demo.Visit;

        namespace Consumer;

        public struct Log : IDemoVisitor
        {
            public StringBuilder Text;

            public void OnPing(HeadReader head, PingReader message) => Text.Append("ping ").Append(message.Seq).Append(';');
            public void OnBatch(HeadReader head, BatchReader message) => Text.Append("batch ").Append(head.Len).Append(';');
            public void OnStamp(HeadReader head, StampReader stamp) => Text.Append("stamp ").Append(stamp.Time).Append(';');
            public void OnSmall(HeadReader head, SmallReader item) => Text.Append("small ").Append(item.Value).Append(';');
            public void OnLarge(HeadReader head, LargeReader item) => Text.Append("large ").Append(item.Value).Append(';');
        }

        public static class Runner
        {
            public static string Run(byte[][] messages)
            {
                var log = new Log { Text = new StringBuilder() };
                foreach (byte[] m in messages)
                {
                    if (!DemoMessages.Dispatch(m, ref log, out var e))
                    {
                        log.Text.Append("error ").Append(e.Record).Append('.').Append(e.Field).Append(": ").Append(e.Reason).Append(';');
                    }
                }

                return log.Text.ToString();
            }
        }
        """;

    private static string SnapshotFile([CallerFilePath] string path = "") =>
        Path.Combine(Path.GetDirectoryName(path)!, "..", "Snapshots", "Visitor", "Demo.Visit.IDemoVisitor.g.cs");

    [Fact]
    public void Generates_the_expected_interface_and_dispatch()
    {
        var (result, output, diagnostics) = GeneratorHarness.Run(("/s/visit.structs", Schema));
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        var source = result.Results.Single().GeneratedSources.Single(s => s.HintName == "Demo.Visit.IDemoVisitor.g.cs").SourceText.ToString();
        if (Environment.GetEnvironmentVariable("TOOLKIT_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(SnapshotFile(), source);
            return;
        }

        string expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Snapshots", "Visitor", "Demo.Visit.IDemoVisitor.g.cs"));
        Assert.True(expected == source, "Demo.Visit.IDemoVisitor.g.cs differs from its snapshot; rerun with TOOLKIT_UPDATE_SNAPSHOTS=1 and review the diff.");

        // The parts that matter, spelled out.
        Assert.Contains("public interface IDemoVisitor", source, StringComparison.Ordinal);
        Assert.Contains("    /// A ping arrived.\n", source, StringComparison.Ordinal);
        Assert.Contains("    void OnPing(HeadReader head, PingReader message);", source, StringComparison.Ordinal);
        Assert.Contains("    void OnStamp(HeadReader head, StampReader stamp);", source, StringComparison.Ordinal);
        Assert.Contains("    void OnLarge(HeadReader head, LargeReader item);", source, StringComparison.Ordinal);
        Assert.Contains("    void OnNote(HeadReader head, NoteReader message)\n    {\n    }", source, StringComparison.Ordinal);
        Assert.Contains("public static bool Dispatch<TVisitor>(global::System.ReadOnlySpan<byte> data, ref TVisitor visitor, out global::Toolkit.Runtime.Binary.DecodeError error)", source, StringComparison.Ordinal);
        Assert.Contains("where TVisitor : IDemoVisitor", source, StringComparison.Ordinal);
        Assert.Contains("new global::Toolkit.Runtime.Binary.DecodeError(0, \"Message\", \"type\", \"unknown message type\")", source, StringComparison.Ordinal);
        Assert.DoesNotContain("OnStrange", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispatch_visits_every_record_in_wire_order()
    {
        var driver = GeneratorHarness.Driver(("/s/visit.structs", Schema));
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(Consumer), out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("; ", emitted.Diagnostics));
        var context = new AssemblyLoadContext("visitor-test", isCollectible: true);
        try
        {
            image.Position = 0;
            Assembly assembly = context.LoadFromStream(image);
            var run = assembly.GetType("Consumer.Runner")!.GetMethod("Run")!;
            byte[][] messages =
            [
                [1, 4, 0, 7],                                        // ping 7
                [2, 11, 0, 0, 1, 0, 0x10, 5, 0x20, 0x01, 0x02],     // batch: stamp 256, small 5, large 258
                [3, 4, (byte)'h', (byte)'i'],                        // note: the default method, nothing logged
                [9, 2],                                              // fail rule
                [2, 9, 0, 0, 0, 1, 0x30, 0, 0],                      // item of no kind: a decode error, nothing visited
            ];
            var text = (string)run.Invoke(null, [messages])!;
            Assert.Equal("ping 7;batch 11;stamp 256;small 5;large 258;error Message.type: unknown message type;error ", text[..text.LastIndexOf("error ", StringComparison.Ordinal)] + "error ");
            Assert.DoesNotContain("stamp 1;", text, StringComparison.Ordinal);
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>
    /// The base struct's name becomes the header parameter of every callback and walk; names that are also the
    /// dispatcher's own parameters and locals (data, visitor, error, record, item, v) must not clash with them.
    /// </summary>
    [Theory]
    [InlineData("Data")]
    [InlineData("Error")]
    [InlineData("Record")]
    [InlineData("Item")]
    [InlineData("V")]
    [InlineData("Visitor")]
    public void A_base_named_like_a_dispatcher_local_still_compiles(string name)
    {
        // The schema's own union Item is renamed first, so that a base named Item is not a duplicate declaration.
        var schema = Schema.Replace("Item", "Entry", StringComparison.Ordinal).Replace("Head", name, StringComparison.Ordinal);
        var (result, output, diagnostics) = GeneratorHarness.Run(("/s/visit.structs", schema));
        Assert.Empty(diagnostics);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.Contains(result.Results.Single().GeneratedSources, s => s.HintName == "Demo.Visit.IDemoVisitor.g.cs");
    }

    [Theory]
    [InlineData("TKS001", 2, 12, "struct S { a: u8; }\nvisitor IV U dispatch D { }")]
    [InlineData("TKS003", 2, 17, "struct S { a: u8; }\nvisitor IV over Nope dispatch D { }")]
    [InlineData("TKS011", 2, 17, "struct S { a: u8; }\nvisitor IV over S dispatch D { }")]
    [InlineData("TKS011", 5, 3, "struct V { a: u8; }\nstruct W { a: u8; }\nunion U switch (u8 @0) { 1 => V; }\nvisitor IV over U dispatch D {\n  W => OnW;\n}")]
    [InlineData("TKS002", 5, 3, "struct V { a: u8; }\nunion U switch (u8 @0) { 1 => V; }\nvisitor IV over U dispatch D {\n  V => OnV;\n  V => OnX;\n}")]
    [InlineData("TKS002", 3, 28, "struct V { a: u8; }\nunion U switch (u8 @0) { 1 => V; }\nvisitor IV over U dispatch VReader { }")]
    [InlineData("TKS003", 4, 7, "struct V { a: u8; }\nunion U switch (u8 @0) { 1 => V; }\nvisitor IV over U dispatch D {\n  V { nope => OnN; }\n}")]
    [InlineData("TKS011", 4, 7, "struct V { a: u8; }\nunion U switch (u8 @0) { 1 => V; }\nvisitor IV over U dispatch D {\n  V { a => OnA; }\n}")]
    [InlineData("TKS011", 6, 17, "struct E { t: u8; }\nunion EU switch (u8 @0) { _ => E; }\nstruct V { a: u8; es: EU[..]; }\nunion U switch (u8 @0) { _ => V; }\nvisitor IV over U dispatch D {\n  V { es { E => fail \"x\"; } }\n}")]
    [InlineData("TKS011", 6, 7, "struct E { t: u8; }\nunion EU switch (u8 @0) { _ => E; }\nstruct V { a: u8; es: EU[..]; }\nunion U switch (u8 @0) { _ => V; }\nvisitor IV over U dispatch D {\n  V { es => OnE; }\n}")]
    [InlineData("TKS011", 4, 8, "struct V { a: u8; }\nunion U switch (u8 @0) { 1 => V; }\nvisitor IV over U dispatch D {\n  V => class;\n}")]
    [InlineData("TKS011", 3, 28, "struct V { a: u8; }\nunion U switch (u8 @0) { 1 => V; }\nvisitor IV over U dispatch int { }")]
    public void Misuse_is_reported_at_its_position(string id, int line, int column, string schema)
    {
        var (result, output, _) = GeneratorHarness.Run(("/schemas/visitor.structs", schema));
        var d = result.Diagnostics.FirstOrDefault(x => x.Id == id);
        Assert.True(d is not null, "expected " + id + ", got: " + string.Join("; ", result.Diagnostics.Select(x => x.Id + " " + x.GetMessage(System.Globalization.CultureInfo.InvariantCulture))));
        var span = d!.Location.GetLineSpan();
        Assert.Equal("/schemas/visitor.structs", span.Path);
        Assert.Equal((line, column), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Empty(result.Results.Single().GeneratedSources);
        Assert.DoesNotContain(output.GetDiagnostics(), x => x.Severity == DiagnosticSeverity.Error);
    }
}
