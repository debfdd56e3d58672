using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Toolkit.Generators.Common;

/// <summary>
/// A generator's diagnostic descriptors, each defined once (its id is stable and listed in the generator's
/// AnalyzerReleases files), looked up by id when an equatable <see cref="DiagnosticInfo"/> is reported.
/// </summary>
internal sealed class DiagnosticTable
{
    private readonly ImmutableDictionary<string, DiagnosticDescriptor> _byId;

    public DiagnosticTable(DiagnosticDescriptor internalError, params DiagnosticDescriptor[] descriptors)
    {
        Internal = internalError;
        _byId = descriptors.Concat(new[] { internalError }).ToImmutableDictionary(d => d.Id, StringComparer.Ordinal);
    }

    /// <summary>The descriptor of internal generator errors (emitter crashes); also the fallback for an unknown id.</summary>
    public DiagnosticDescriptor Internal { get; }

    public IEnumerable<DiagnosticDescriptor> All => _byId.Values.OrderBy(d => d.Id, StringComparer.Ordinal);

    public DiagnosticDescriptor Get(string id) => _byId.TryGetValue(id, out var d) ? d : Internal;

    public Diagnostic Create(DiagnosticInfo info) => Diagnostic.Create(Get(info.Id), info.Location, info.Message);

    /// <summary>Reports every diagnostic of a pipeline step.</summary>
    public void Report(SourceProductionContext context, IEnumerable<DiagnosticInfo> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            context.ReportDiagnostic(Create(d));
        }
    }
}
