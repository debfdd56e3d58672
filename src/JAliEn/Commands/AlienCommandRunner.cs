using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.JAliEn;

/// <summary>What every generated command method does: send the line, decode the reply into rows.</summary>
public static class AlienCommandRunner
{
    /// <summary>Sends <paramref name="line"/> over <paramref name="channel"/> and decodes the reply into <typeparamref name="TRow"/>.</summary>
    /// <typeparam name="TRow">The row type.</typeparam>
    /// <param name="channel">The channel.</param>
    /// <param name="line">The command line.</param>
    /// <param name="mode">What a non-zero exit code does.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public static async Task<AlienResult<IReadOnlyList<TRow>>> SendAsync<TRow>(IAlienChannel channel, AlienCommandLine line, AlienErrorMode mode, CancellationToken cancellationToken)
        where TRow : class, IAlienRow<TRow>
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(line);
        var reply = await channel.SendAsync(line, cancellationToken).ConfigureAwait(false);
        return AlienReplyReader.Read<TRow>(reply, line.Command, mode);
    }

    /// <summary>True when <paramref name="verb"/> can run against a server whose <c>commandlist</c> is <paramref name="commandList"/>.</summary>
    /// <param name="verb">The verb.</param>
    /// <param name="commandList">The server's command names.</param>
    /// <returns>Whether it is supported.</returns>
    public static bool IsSupported(AlienVerb verb, IReadOnlyCollection<string> commandList)
    {
        ArgumentNullException.ThrowIfNull(verb);
        ArgumentNullException.ThrowIfNull(commandList);
        if (verb.Kind == AlienVerbKind.Server)
        {
            return Contains(commandList, verb.Name);
        }

        foreach (var r in verb.Requires)
        {
            if (!Contains(commandList, r))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains(IReadOnlyCollection<string> list, string name)
    {
        if (list is ICollection<string> c)
        {
            return c.Contains(name);
        }

        foreach (var s in list)
        {
            if (string.Equals(s, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
