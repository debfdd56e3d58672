using System;
using System.IO;
using System.Text;
using Toolkit.JAliEn;

namespace Toolkit.Commands.Tests;

/// <summary>
/// Replies afl-fuzz found crashing the reader (fuzz target <c>jalien-reply</c>, 2026-12-02): invalid UTF-8 inside a
/// string made <c>Utf8JsonReader.GetString</c> throw InvalidOperationException out of the reader. Each must now end in
/// the typed outcome, through the same calls as the target.
/// </summary>
public sealed class FuzzRegressionTests
{
    [Fact]
    public void CrashingRepliesEndInTypedErrors()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "FuzzRegressions", "jalien-reply"));
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var data = File.ReadAllBytes(file);
            Typed(() => AlienReplyReader.ReadUntyped(data, "fuzz"));
            Typed(() => AlienReplyReader.Read<FindEntry>(data, "find"));
            Typed(() => AlienReplyReader.Read<StatEntry>(data, "stat"));
            Typed(() => AlienReplyReader.Read<AccessEnvelope>(data, "access", AlienErrorMode.Return));
        }
    }

    [Theory]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\",\"user\":\"\u0001X\"},\"results\":[]}", "$.metadata.user")]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\"},\"results\":[{\"name\":\"\u0001X\"}]}", "$.results[0].name")]
    [InlineData("{\"metadata\":{\"exitcode\":\"0\"},\"results\":[{\"message\":\"\u0001X\"}]}", "$.results[0].message")]
    public void InvalidUtf8InAStringIsAProtocolError(string template, string path)
    {
        // \u0001 marks where a lone continuation byte (0x80) goes: valid JSON structure, invalid UTF-8 text.
        var bytes = Encoding.UTF8.GetBytes(template);
        bytes[Array.IndexOf(bytes, (byte)1)] = 0x80;
        var ex = Assert.Throws<AlienProtocolException>(() => AlienReplyReader.Read<LsEntry>(bytes, "ls"));
        Assert.Equal(path, ex.JsonPath);
        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);
        Assert.Throws<AlienProtocolException>(() => AlienReplyReader.ReadUntyped(bytes, "ls"));
    }

    private static void Typed(Action read)
    {
        try
        {
            read();
        }
        catch (AlienProtocolException)
        {
        }
        catch (AlienCommandException)
        {
        }
    }
}
