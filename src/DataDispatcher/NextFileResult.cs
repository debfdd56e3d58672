using System;

namespace Toolkit.DataDispatcher;

/// <summary>
/// What <see cref="DataDispatcherClient.NextFileAsync"/> got: a <see cref="Reserved"/> file,
/// <see cref="TimedOut"/> (the seed's <c>True</c>: no file yet, try later) or <see cref="ProjectEnded"/>
/// (the seed's <c>False</c>).
/// </summary>
public abstract record NextFileResult
{
    private NextFileResult()
    {
    }

    /// <summary>A file was reserved for the worker.</summary>
    /// <param name="Handle">The reserved handle with its available replicas.</param>
    public sealed record Reserved(Handle Handle) : NextFileResult;

    /// <summary>No file became available within the timeout; the project is still active.</summary>
    public sealed record TimedOut : NextFileResult;

    /// <summary>The project has ended (all files done or failed, or the project is no longer active).</summary>
    /// <param name="Reason">The server's reason (<c>project inactive</c> or <c>Inactive project. State=...</c>).</param>
    public sealed record ProjectEnded(string Reason) : NextFileResult;
}
