using System;
using System.Collections.Generic;

namespace Toolkit.JAliEn;

/// <summary>What the typed commands do with a reply whose <c>exitcode</c> is not 0.</summary>
public enum AlienErrorMode
{
    /// <summary>Throw <see cref="AlienCommandException"/> (the default for API callers).</summary>
    Throw,

    /// <summary>Return the result as it is, with its <see cref="AlienResult{T}.ExitCode"/> and <see cref="AlienResult{T}.Error"/> (what the shell uses).</summary>
    Return,
}

/// <summary>
/// The decoded reply of one JAliEn command: the metadata (every value is a string on the wire and is parsed here), the
/// human <c>message</c> texts of the result rows, the typed rows and the raw UTF-8 JSON.
/// </summary>
/// <typeparam name="T">The rows: <c>IReadOnlyList&lt;TRow&gt;</c> of a generated row type or of <see cref="AlienRow"/>.</typeparam>
public sealed class AlienResult<T>
{
    /// <summary>Creates a result.</summary>
    /// <param name="command">The command that was sent.</param>
    /// <param name="metadata">The reply's metadata.</param>
    /// <param name="messages">The <c>message</c> fields of the result rows, in order.</param>
    /// <param name="rows">The rows.</param>
    /// <param name="raw">The whole reply as received.</param>
    public AlienResult(string command, AlienReplyMetadata metadata, IReadOnlyList<string> messages, T rows, ReadOnlyMemory<byte> raw)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        Command = command;
        Metadata = metadata;
        Messages = messages;
        Rows = rows;
        Raw = raw;
    }

    /// <summary>The command that was sent (its name).</summary>
    public string Command { get; }

    /// <summary>The reply's metadata.</summary>
    public AlienReplyMetadata Metadata { get; }

    /// <summary><c>metadata.exitcode</c>: 0 for success, otherwise an errno (ENOENT 2, EINVAL 22, EPERM 1, ...).</summary>
    public int ExitCode => Metadata.ExitCode;

    /// <summary><c>metadata.error</c>: the error text (empty on success).</summary>
    public string Error => Metadata.Error;

    /// <summary><c>metadata.user</c>: the account the session runs as.</summary>
    public string User => Metadata.User;

    /// <summary><c>metadata.currentdir</c>: the session's grid cwd after the command.</summary>
    public string CurrentDir => Metadata.CurrentDir;

    /// <summary><c>metadata.timing_ms</c> when the server's <c>timing</c> is on, else null.</summary>
    public long? TimingMs => Metadata.TimingMs;

    /// <summary>True when <see cref="ExitCode"/> is 0.</summary>
    public bool IsSuccess => Metadata.ExitCode == 0;

    /// <summary>The <c>message</c> fields of the rows, in order (empty with <c>-nomsg</c>, which the API sends).</summary>
    public IReadOnlyList<string> Messages { get; }

    /// <summary>The typed rows.</summary>
    public T Rows { get; }

    /// <summary>The reply's UTF-8 JSON bytes, as received (for <c>-json</c> output).</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>The same reply with other rows (client-side commands that derive their rows from a server reply).</summary>
    /// <typeparam name="TRow">The new row type.</typeparam>
    /// <param name="rows">The new rows.</param>
    /// <returns>A result with this metadata, messages and raw bytes.</returns>
    public AlienResult<IReadOnlyList<TRow>> WithRows<TRow>(IReadOnlyList<TRow> rows) => new(Command, Metadata, Messages, rows, Raw);

    /// <summary>Throws <see cref="AlienCommandException"/> when <see cref="ExitCode"/> is not 0; returns this result otherwise.</summary>
    /// <returns>This result.</returns>
    public AlienResult<T> EnsureSuccess()
        => IsSuccess ? this : throw new AlienCommandException(Command, ExitCode, Error, Messages);
}

/// <summary>The <c>metadata</c> object of a reply. All values are strings on the wire; numbers are parsed here.</summary>
/// <param name="ExitCode"><c>exitcode</c> (an errno, 0 for success).</param>
/// <param name="Error"><c>error</c>, empty when absent.</param>
/// <param name="User"><c>user</c>, empty when absent.</param>
/// <param name="CurrentDir"><c>currentdir</c>, empty when absent.</param>
/// <param name="TimingMs"><c>timing_ms</c>, null when absent.</param>
public sealed record AlienReplyMetadata(int ExitCode, string Error, string User, string CurrentDir, long? TimingMs);
