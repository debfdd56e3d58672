using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Security;

namespace Toolkit.Cli;

/// <summary>
/// One mapping, shared by every command, from the errors a user can act on to one line on standard error and an exit
/// code: 1 for a failure (server answer with its message and status, credentials, network, files), 2 for bad input.
/// Anything else is a bug and is left to propagate.
/// </summary>
internal static class CliErrors
{
    /// <summary>Reports <paramref name="e"/> when it is a user-facing error.</summary>
    /// <param name="e">The exception.</param>
    /// <param name="exitCode">The exit code to return.</param>
    /// <returns>True when the error was reported.</returns>
    public static bool TryReport(Exception e, out int exitCode)
    {
        switch (e)
        {
            case ApiException api:
                Console.Error.WriteLine(api.StatusCode > 0
                    ? "error: " + api.Message + " (HTTP " + api.StatusCode.ToString(CultureInfo.InvariantCulture) + ")"
                    : "error: " + api.Message);
                exitCode = 1;
                return true;
            case FormatException or ArgumentException:
                Console.Error.WriteLine("error: " + e.Message);
                exitCode = 2;
                return true;
            case CredentialException or HttpRequestException or IOException or TimeoutException or UnauthorizedAccessException:
                Console.Error.WriteLine("error: " + e.Message);
                exitCode = 1;
                return true;
            default:
                exitCode = 0;
                return false;
        }
    }
}
