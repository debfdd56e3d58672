namespace Toolkit.Cli;

/// <summary>The exit codes of every <c>toolkit</c> command, in one place.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>A failure the user can act on: a server's error answer, credentials, network, files; or a negative answer (<c>-exists</c>, a failed job).</summary>
    public const int Failure = 1;

    /// <summary>Bad input: an option value or argument the command cannot use.</summary>
    public const int Usage = 2;

    /// <summary><c>dd worker next</c>: no file came within the timeout; try later.</summary>
    public const int WorkerTimeout = 10;

    /// <summary><c>dd worker next</c>: the project has ended.</summary>
    public const int ProjectEnded = 11;
}
