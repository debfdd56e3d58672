using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn;

namespace Toolkit.Commands.Tests;

/// <summary>A channel that records each line it is given (after encoding it as the wire frame) and answers from a function.</summary>
internal sealed class FakeChannel(Func<AlienCommandLine, string> answer) : IAlienChannel
{
    public List<AlienCommandLine> Sent { get; } = new();

    public List<string> Frames { get; } = new();

    public string CurrentDirectory { get; set; } = "/alice/cern.ch/user/j/jdoe/work/";

    public string HomeDirectory { get; set; } = "/alice/cern.ch/user/j/jdoe/";

    public Task<ReadOnlyMemory<byte>> SendAsync(AlienCommandLine line, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Frames.Add(Encoding.UTF8.GetString(AlienRequest.Encode(line)));
        Sent.Add(line);
        return Task.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(answer(line)));
    }

    public static string Ok(string results = "[]", string cwd = "/alice/cern.ch/user/j/jdoe/work/")
        => "{\"metadata\":{\"exitcode\":\"0\",\"error\":\"\",\"user\":\"jdoe\",\"currentdir\":\"" + cwd + "\"},\"results\":" + results + "}";
}
