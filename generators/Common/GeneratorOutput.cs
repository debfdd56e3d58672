using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Toolkit.Generators.Common;

/// <summary>
/// How every generator adds what an emitter produced: all of a unit's files or none of them. An exception in an
/// emitter becomes an error diagnostic naming the schema and the exception; the compiler never crashes.
/// </summary>
internal static class GeneratorOutput
{
    /// <summary>Unit names whose emitter throws on purpose (tests of the crash path only; empty in real builds).</summary>
    internal static readonly ConcurrentDictionary<string, bool> FaultInjection = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="emit"/> and adds its files, or reports <paramref name="internalError"/> when it throws.</summary>
    /// <param name="context">The production context.</param>
    /// <param name="internalError">The generator's descriptor for internal errors (message format <c>{0}</c>).</param>
    /// <param name="unit">What is being emitted (a type, a client, a namespace), for the message.</param>
    /// <param name="schemaPath">The schema file the unit comes from (the diagnostic's location).</param>
    /// <param name="emit">The emitter: hint names and sources.</param>
    public static void AddSources(SourceProductionContext context, DiagnosticDescriptor internalError, string unit, string schemaPath, Func<IEnumerable<(string HintName, string Source)>> emit)
    {
        var files = new List<(string HintName, string Source)>();
        try
        {
            if (FaultInjection.ContainsKey(unit))
            {
                throw new InvalidOperationException("fault injected for " + unit);
            }

            files.AddRange(emit());
        }
#pragma warning disable CA1031 // a generator bug becomes a diagnostic, never a compiler crash
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            var message = "the generator failed on " + unit + " from schema '" + schemaPath + "' (" + ex.GetType().FullName + ": " + ex.Message + "); nothing was generated for it";
            context.ReportDiagnostic(Diagnostic.Create(internalError, Location.Create(schemaPath, default, default), message));
            return;
        }

        foreach (var (hint, source) in files)
        {
            context.AddSource(hint, SourceText.From(source, Encoding.UTF8));
        }
    }
}
