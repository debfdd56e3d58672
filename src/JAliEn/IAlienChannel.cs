using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.JAliEn;

/// <summary>
/// One command line for the JAliEn JSON websocket: the command name and its options, each already a string. It is sent
/// as <c>{"command": Command, "options": [Options...]}</c>.
/// </summary>
/// <param name="Command">The command name, for example <c>ls</c>.</param>
/// <param name="Options">The arguments after the command, in order.</param>
public sealed record AlienCommandLine(string Command, IReadOnlyList<string> Options);

/// <summary>
/// The seam between the generated typed commands and the connection that carries them. The generated
/// <c>AlienCommands</c> builds an <see cref="AlienCommandLine"/>, calls <see cref="SendAsync"/>, and decodes the reply
/// bytes into typed rows; a connection (or a pool of them) implements this interface.
/// </summary>
public interface IAlienChannel
{
    /// <summary>The current grid directory of the session (the last reply's <c>metadata.currentdir</c>), ending in '/'.</summary>
    string CurrentDirectory { get; }

    /// <summary>The user's grid home directory (the first reply's <c>currentdir</c>), ending in '/'.</summary>
    string HomeDirectory { get; }

    /// <summary>
    /// Sends one command and returns the complete UTF-8 JSON reply (<c>{"metadata": {...}, "results": [...]}</c>). One
    /// request is in flight per connection; the reply is matched by order. The implementation owns reconnection and
    /// timeouts and honours <paramref name="cancellationToken"/>.
    /// </summary>
    Task<ReadOnlyMemory<byte>> SendAsync(AlienCommandLine line, CancellationToken cancellationToken);
}
