using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.Cli;

/// <summary>A user-facing error: the exit code and the one line printed on standard error.</summary>
/// <param name="ExitCode">The process exit code (<see cref="ExitCodes"/>).</param>
/// <param name="Message">The line printed, <c>error: ...</c>.</param>
internal readonly record struct CliError(int ExitCode, string Message);

/// <summary>
/// The one mapping, shared by every command, from the errors a user can act on to one line on standard error and an
/// exit code: <see cref="ExitCodes.Failure"/> for a failure (a server answer with its message and status, credentials,
/// network and sockets, files), <see cref="ExitCodes.Usage"/> for bad input. Anything else is a bug and is left to propagate.
/// </summary>
internal static class CliErrors
{
    /// <summary>Maps <paramref name="e"/> to its exit code and message, or null when it is not a user-facing error.</summary>
    /// <param name="e">The exception.</param>
    /// <returns>The error, or null.</returns>
    public static CliError? Map(Exception e) => e switch
    {
        ApiException api => new CliError(ExitCodes.Failure, Line(api.StatusCode > 0
            ? api.Message + " (HTTP " + api.StatusCode.ToString(CultureInfo.InvariantCulture) + ")"
            : api.Message)),
        FormatException or ArgumentException or OverflowException => new CliError(ExitCodes.Usage, Line(e.Message)),
        CredentialException or HttpRequestException or SocketException or IOException or TimeoutException or UnauthorizedAccessException
            => new CliError(ExitCodes.Failure, Line(e.Message)),
        _ => null,
    };

    /// <summary>Reports <paramref name="e"/> on <paramref name="error"/> when it is a user-facing error.</summary>
    /// <param name="e">The exception.</param>
    /// <param name="error">Where the line goes (standard error).</param>
    /// <param name="exitCode">The exit code to return.</param>
    /// <returns>True when the error was reported.</returns>
    public static bool TryReport(Exception e, TextWriter error, out int exitCode)
    {
        if (Map(e) is { } mapped)
        {
            error.WriteLine(mapped.Message);
            exitCode = mapped.ExitCode;
            return true;
        }

        exitCode = ExitCodes.Ok;
        return false;
    }

    /// <summary>Runs a command body; user-facing errors become their line on <paramref name="error"/> and their exit code.</summary>
    /// <param name="error">Standard error.</param>
    /// <param name="body">The command.</param>
    /// <returns>The exit code.</returns>
    public static int Run(TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (TryReport(e, error, out var exitCode))
        {
            return exitCode;
        }
    }

    /// <summary>Runs an asynchronous command body; user-facing errors become their line on <paramref name="error"/> and their exit code.</summary>
    /// <param name="error">Standard error.</param>
    /// <param name="body">The command.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (TryReport(e, error, out var exitCode))
        {
            return exitCode;
        }
    }

    /// <summary>
    /// <c>error: </c> and the message on one line: line breaks in server messages become spaces, and other control
    /// codes are escaped and very long messages cut (<see cref="TerminalText"/>), since the message may be a server's.
    /// </summary>
    private static string Line(string message) =>
        "error: " + TerminalText.Clean(message.ReplaceLineEndings(" ").TrimEnd(), MaxMessageLength);

    /// <summary>The most characters of a message on the error line (a server's plain-text message is already cut at 2000).</summary>
    private const int MaxMessageLength = 4000;
}
