using System;
using System.IO;

namespace Toolkit.Cli;

/// <summary>
/// What a command handler reads and writes: standard output, error and input as text, the raw standard streams, and
/// whether output goes to a terminal. The process's console by default; a test or an interactive shell passes its own.
/// </summary>
internal sealed class CliConsole
{
    /// <summary>Creates a console over the given writers (no raw streams unless given).</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="input">Standard input (null for none).</param>
    public CliConsole(TextWriter output, TextWriter error, TextReader? input = null)
    {
        Out = output;
        Error = error;
        In = input ?? TextReader.Null;
    }

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: diagnostics and the one error line.</summary>
    public TextWriter Error { get; }

    /// <summary>Standard input.</summary>
    public TextReader In { get; }

    /// <summary>True when standard output is not a terminal (a pipe or file): scripts get plain text.</summary>
    public bool IsOutputRedirected { get; init; } = true;

    /// <summary>Opens standard output as bytes (JSON lines, captures).</summary>
    public Func<Stream> OpenStandardOutput { get; init; } = () => Stream.Null;

    /// <summary>Opens standard input as bytes (<c>-</c> as a file name).</summary>
    public Func<Stream> OpenStandardInput { get; init; } = () => Stream.Null;

    /// <summary>Asks for a secret (passphrase, password) without echoing it; null when none can be read.</summary>
    public Func<string, string?> AskSecret { get; init; } = _ => null;

    /// <summary>The process's console.</summary>
    /// <returns>A console over <see cref="Console"/>.</returns>
    public static CliConsole System() => new(Console.Out, Console.Error, Console.In)
    {
        IsOutputRedirected = Console.IsOutputRedirected,
        OpenStandardOutput = Console.OpenStandardOutput,
        OpenStandardInput = Console.OpenStandardInput,
        AskSecret = ProxyPassphrase.Ask,
    };
}
