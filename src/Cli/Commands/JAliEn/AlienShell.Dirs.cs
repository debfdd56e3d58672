using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Cli;

internal sealed partial class AlienShell
{
    /// <summary>The directory-stack verbs of this file.</summary>
    private static readonly string[] DirectoryVerbs = ["pushd", "popd", "dirs"];

    /// <summary>The directories saved by <c>pushd</c>, the most recent last (the cwd itself is not in it).</summary>
    private readonly List<string> _directoryStack = [];

    /// <summary>
    /// alienpy's directory stack, on the client: <c>pushd DIR</c> saves the cwd and changes to DIR, <c>pushd</c> alone
    /// swaps the cwd with the last saved directory, <c>popd</c> changes back to the last saved directory, <c>dirs</c>
    /// prints the cwd and the saved directories (most recent first). An empty stack is EINVAL (22).
    /// </summary>
    private async Task<int> DirectoryStackAsync(string verb, List<string> args, TextWriter output, CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct).ConfigureAwait(false);
        string from = connection.CurrentDirectory;
        int rc = 0;
        switch (verb)
        {
            case "pushd" when args.Count > 0:
                rc = await CdAsync([args[0]], ct).ConfigureAwait(false);
                if (rc == 0)
                {
                    _directoryStack.Add(from);
                }
                break;
            case "pushd" or "popd" when _directoryStack.Count == 0:
                await _console.Error.WriteLineAsync(verb + ": directory stack empty").ConfigureAwait(false);
                return 22;
            case "pushd":
                rc = await CdAsync([_directoryStack[^1]], ct).ConfigureAwait(false);
                if (rc == 0)
                {
                    _directoryStack[^1] = from;
                }
                break;
            case "popd":
                rc = await CdAsync([_directoryStack[^1]], ct).ConfigureAwait(false);
                if (rc == 0)
                {
                    _directoryStack.RemoveAt(_directoryStack.Count - 1);
                }
                break;
        }
        if (rc == 0)
        {
            var line = new List<string>(_directoryStack.Count + 1) { TerminalText.Clean(connection.CurrentDirectory) };
            for (int i = _directoryStack.Count - 1; i >= 0; i--)
            {
                line.Add(TerminalText.Clean(_directoryStack[i]));
            }
            await output.WriteLineAsync(string.Join(' ', line)).ConfigureAwait(false);
        }
        return rc;
    }
}
