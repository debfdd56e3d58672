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
    /// <param name="budget">The most UTF-8 bytes one generated file may have, with the error over it; null for no limit.</param>
    public static void AddSources(SourceProductionContext context, DiagnosticDescriptor internalError, string unit, string schemaPath, Func<IEnumerable<(string HintName, string Source)>> emit, SourceBudget? budget = null)
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

        if (budget is not null)
        {
            foreach (var (hint, source) in files)
            {
                // A char is at most 3 UTF-8 bytes: count exactly only when the cheap bound is over.
                if ((long)source.Length * 3 > budget.MaxBytes && Encoding.UTF8.GetByteCount(source) > budget.MaxBytes)
                {
                    var message = "the generated source of " + unit + " from schema '" + schemaPath + "' (" + hint + ") is larger than " + budget.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        + " bytes; nothing was generated for it; raise " + budget.OptionName + " if this document is genuine";
                    context.ReportDiagnostic(Diagnostic.Create(budget.OverBudget, Location.Create(schemaPath, default, default), message));
                    return;
                }
            }
        }

        foreach (var (hint, source) in files)
        {
            context.AddSource(hint, SourceText.From(source, Encoding.UTF8));
        }
    }
}

/// <summary>The generated-source budget of <see cref="GeneratorOutput.AddSources"/>: bytes per file, the error over it, the option that raises it.</summary>
/// <param name="MaxBytes">The most UTF-8 bytes of one generated file.</param>
/// <param name="OverBudget">The error reported (message format <c>{0}</c>).</param>
/// <param name="OptionName">The MSBuild metadata that raises it, named in the message.</param>
internal sealed record SourceBudget(long MaxBytes, DiagnosticDescriptor OverBudget, string OptionName);
