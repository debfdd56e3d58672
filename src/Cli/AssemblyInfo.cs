using System.Runtime.CompilerServices;

// The CLI tests run the command handlers in-process.
[assembly: InternalsVisibleTo("Toolkit.Cli.Tests")]
