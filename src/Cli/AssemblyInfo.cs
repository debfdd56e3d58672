using System.Runtime.CompilerServices;

// The xrdmon command tests run the commands in-process.
[assembly: InternalsVisibleTo("Toolkit.Cli.Tests")]
