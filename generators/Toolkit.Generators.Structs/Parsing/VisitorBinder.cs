using System;
using System.Collections.Generic;
using System.Linq;
using Toolkit.Generators.Structs.Model;

namespace Toolkit.Generators.Structs.Parsing;

/// <summary>
/// Binds <c>visitor</c> declarations against the bound declarations of their namespace: reports misuse (positioned,
/// TKS002/TKS003/TKS011) and builds the <see cref="VisitorPlan"/> the emitter walks.
/// </summary>
internal static class VisitorBinder
{
    private static readonly HashSet<string> ReservedCallbacks = new(StringComparer.Ordinal) { "Equals", "GetHashCode", "ToString", "GetType", "Dispatch" };

    public static void Check(List<VisitorDecl> visitors, List<Decl> decls, List<SchemaDiagnostic> diagnostics)
    {
        if (visitors.Count == 0)
        {
            return;
        }

        var byName = new Dictionary<string, Decl>(StringComparer.Ordinal);
        foreach (var d in decls)
        {
            byName[d.Name] = d;
        }

        // Type names the namespace already generates: the declarations and their reader/kind/text companions.
        var taken = new HashSet<string>(StringComparer.Ordinal) { "StructRegistry" };
        foreach (var d in decls)
        {
            taken.Add(d.Name);
            taken.Add(d.Name + "Reader");
            taken.Add(d.Name + "Kind");
            taken.Add(d.Name + "Text");
        }

        foreach (var v in visitors)
        {
            try
            {
                if (!taken.Add(v.Name))
                {
                    diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.Duplicate, "'" + v.Name + "' is already a generated type name", v.Path, v.Loc));
                }

                if (!taken.Add(v.Dispatcher) || v.Dispatcher == v.Name)
                {
                    diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.Duplicate, "'" + v.Dispatcher + "' is already a generated type name", v.Path, v.DispatcherLoc));
                }

                VisitorPlan.Build(v, n => byName.TryGetValue(n, out var d) ? d : null, diagnostics);
            }
#pragma warning disable CA1031 // binding must never crash the compiler
            catch (Exception ex)
#pragma warning restore CA1031
            {
                diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.Internal, "internal visitor binder error: " + ex.GetType().Name, v.Path, v.Loc));
            }
        }
    }

    /// <summary>Reports a problem of a rule (no-op when the emitter rebuilds a plan of a bound model).</summary>
    internal static void Report(List<SchemaDiagnostic>? diagnostics, string id, string message, VisitorDecl v, Loc loc) =>
        diagnostics?.Add(new SchemaDiagnostic(id, message, v.Path, loc));

    internal static bool IsReservedCallback(string name) => ReservedCallbacks.Contains(name);
}

/// <summary>A visitor method: name, the struct whose reader it receives, its docs, and whether it has a default body.</summary>
internal sealed class VisitorCallback
{
    public VisitorCallback(string name, Decl record, string doc, string parameter, bool isDefault)
    {
        Name = name;
        Record = record;
        Doc = doc;
        Parameter = parameter;
        IsDefault = isDefault;
    }

    public string Name { get; }

    public Decl Record { get; }

    public string Doc { get; }

    public string Parameter { get; }

    public bool IsDefault { get; set; }
}

/// <summary>How the dispatcher handles one variant of a walked union.</summary>
internal sealed class VariantStep
{
    public VariantStep(Decl variant, bool isDefault)
    {
        Variant = variant;
        IsDefault = isDefault;
    }

    /// <summary>The variant struct.</summary>
    public Decl Variant { get; }

    /// <summary>The union's <c>_</c> case.</summary>
    public bool IsDefault { get; }

    public VisitorCallback? Callback { get; set; }

    public string? Fail { get; set; }

    /// <summary>Members to walk after the callback (null: no body).</summary>
    public List<MemberStep>? Members { get; set; }
}

/// <summary>A member walked inside a variant: a struct (or array of structs) handed to a callback, or a union (or array of unions) switched on.</summary>
internal sealed class MemberStep
{
    public MemberStep(Member member, bool isArray, Decl target)
    {
        Member = member;
        IsArray = isArray;
        Target = target;
    }

    public Member Member { get; }

    public bool IsArray { get; }

    public Decl Target { get; }

    public VisitorCallback? Callback { get; set; }

    public UnionWalk? Union { get; set; }
}

/// <summary>A union switched on: one step per variant, in case order.</summary>
internal sealed class UnionWalk
{
    public UnionWalk(Decl union, List<VariantStep> variants)
    {
        Union = union;
        Variants = variants;
    }

    public Decl Union { get; }

    public List<VariantStep> Variants { get; }
}

/// <summary>The resolved form of a <see cref="VisitorDecl"/>.</summary>
internal sealed class VisitorPlan
{
    private readonly VisitorDecl _v;
    private readonly Func<string, Decl?> _lookup;
    private readonly List<SchemaDiagnostic>? _diagnostics;
    private readonly Dictionary<(string, string), VisitorCallback> _callbacks = new();

    private VisitorPlan(VisitorDecl v, Func<string, Decl?> lookup, List<SchemaDiagnostic>? diagnostics)
    {
        _v = v;
        _lookup = lookup;
        _diagnostics = diagnostics;
    }

    /// <summary>The root union.</summary>
    public UnionWalk Root { get; private set; } = null!;

    /// <summary>The root union's base struct (every callback receives its reader first), or null.</summary>
    public Decl? Base { get; private set; }

    /// <summary>Every visitor method, in schema order, one per (name, record) pair.</summary>
    public List<VisitorCallback> Callbacks { get; } = new();

    /// <summary>Builds the plan; returns null (after reporting) when the root is not a union.</summary>
    public static VisitorPlan? Build(VisitorDecl v, Func<string, Decl?> lookup, List<SchemaDiagnostic>? diagnostics)
    {
        if (CSharp.IsKeyword(v.Name) || CSharp.IsKeyword(v.Dispatcher))
        {
            VisitorBinder.Report(diagnostics, DiagnosticIds.Visitor, "'" + (CSharp.IsKeyword(v.Name) ? v.Name : v.Dispatcher) + "' is a C# keyword and cannot name a generated type", v, CSharp.IsKeyword(v.Name) ? v.Loc : v.DispatcherLoc);
            return null;
        }

        var root = lookup(v.Over);
        if (root is null)
        {
            VisitorBinder.Report(diagnostics, DiagnosticIds.Unknown, "unknown union '" + v.Over + "'", v, v.OverLoc);
            return null;
        }

        if (root.Kind != DeclKind.Union)
        {
            VisitorBinder.Report(diagnostics, DiagnosticIds.Visitor, "a visitor walks a union; '" + v.Over + "' is a " + root.Kind.ToString().ToLowerInvariant(), v, v.OverLoc);
            return null;
        }

        var plan = new VisitorPlan(v, lookup, diagnostics);
        plan.Base = root.Base is null ? null : lookup(root.Base);
        plan.Root = plan.Walk(root, v.Rules, Naming.Camel(root.Name), topLevel: true);
        return plan;
    }

    private UnionWalk Walk(Decl union, IReadOnlyList<VisitRule> rules, string parameter, bool topLevel)
    {
        var byVariant = new Dictionary<string, VisitRule>(StringComparer.Ordinal);
        foreach (var r in rules)
        {
            if (!union.Cases.Any(c => c.Variant == r.Name))
            {
                VisitorBinder.Report(_diagnostics, DiagnosticIds.Visitor, "'" + r.Name + "' is not a variant of union '" + union.Name + "'", _v, r.Loc);
            }
            else if (byVariant.ContainsKey(r.Name))
            {
                VisitorBinder.Report(_diagnostics, DiagnosticIds.Duplicate, "variant '" + r.Name + "' has two rules", _v, r.Loc);
            }
            else
            {
                byVariant[r.Name] = r;
            }
        }

        var steps = new List<VariantStep>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in union.Cases)
        {
            var variant = _lookup(c.Variant);
            if (variant is null || !seen.Add(c.Variant))
            {
                continue;
            }

            var step = new VariantStep(variant, c.IsDefault);
            if (byVariant.TryGetValue(c.Variant, out var rule))
            {
                if (rule.Fail is not null)
                {
                    if (!topLevel || rule.HasBody)
                    {
                        VisitorBinder.Report(_diagnostics, DiagnosticIds.Visitor, "'fail' ends the dispatch of the visited union itself, without a body; it cannot be used inside a walk", _v, rule.CallbackLoc ?? rule.Loc);
                    }

                    step.Fail = rule.Fail;
                }

                if (rule.Callback is not null)
                {
                    step.Callback = Callback(rule.Callback, rule.CallbackLoc ?? rule.Loc, variant, Doc(rule.Doc, variant.Doc), parameter, isDefault: false);
                }

                if (rule.HasBody)
                {
                    step.Members = Members(variant, rule.Children);
                }
            }
            else
            {
                // Not named by the visitor: a method On<Variant> with an empty default body, so a new variant in the
                // schema keeps every existing visitor compiling.
                step.Callback = Callback("On" + variant.Name, null, variant, variant.Doc, parameter, isDefault: true);
            }

            steps.Add(step);
        }

        return new UnionWalk(union, steps);
    }

    private List<MemberStep> Members(Decl variant, IReadOnlyList<VisitRule> rules)
    {
        var steps = new List<MemberStep>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in rules)
        {
            var m = variant.Members.FirstOrDefault(x => x.Name == r.Name && !x.IsComputed);
            if (m is null)
            {
                VisitorBinder.Report(_diagnostics, DiagnosticIds.Unknown, "struct '" + variant.Name + "' has no field '" + r.Name + "'", _v, r.Loc);
                continue;
            }

            if (!names.Add(r.Name))
            {
                VisitorBinder.Report(_diagnostics, DiagnosticIds.Duplicate, "field '" + r.Name + "' has two rules", _v, r.Loc);
                continue;
            }

            var t = m.Type!;
            var target = t.Kind is TypeKind.Named or TypeKind.Array ? _lookup(t.Name) : null;
            if (target is null || (target.Kind != DeclKind.Struct && target.Kind != DeclKind.Union) || m.If is not null)
            {
                VisitorBinder.Report(_diagnostics, DiagnosticIds.Visitor, "field '" + r.Name + "' is not a struct, a union or an array of them (optional parts cannot be walked)", _v, r.Loc);
                continue;
            }

            var step = new MemberStep(m, t.Kind == TypeKind.Array, target);
            if (r.Fail is not null)
            {
                VisitorBinder.Report(_diagnostics, DiagnosticIds.Visitor, "'fail' applies to a variant of the visited union, not to a field", _v, r.CallbackLoc ?? r.Loc);
                continue;
            }

            if (target.Kind == DeclKind.Struct)
            {
                if (r.Callback is null || r.HasBody)
                {
                    VisitorBinder.Report(_diagnostics, DiagnosticIds.Visitor, "field '" + r.Name + "' is a struct" + (step.IsArray ? " array" : string.Empty) + ": write '" + r.Name + " => OnName;'", _v, r.Loc);
                    continue;
                }

                step.Callback = Callback(r.Callback, r.CallbackLoc ?? r.Loc, target, Doc(r.Doc, Doc(m.Doc, target.Doc)), Naming.Camel(r.Name), isDefault: false);
            }
            else
            {
                if (r.Callback is not null || !r.HasBody)
                {
                    VisitorBinder.Report(_diagnostics, DiagnosticIds.Visitor, "field '" + r.Name + "' is a union" + (step.IsArray ? " array" : string.Empty) + ": write '" + r.Name + " { Variant => OnName; ... }'", _v, r.Loc);
                    continue;
                }

                step.Union = Walk(target, r.Children, step.IsArray ? CSharpName.Singular(Naming.Camel(r.Name)) : Naming.Camel(r.Name), topLevel: false);
            }

            steps.Add(step);
        }

        return steps;
    }

    private VisitorCallback Callback(string name, Loc? loc, Decl record, string doc, string parameter, bool isDefault)
    {
        if (loc is not null && CSharp.IsKeyword(name))
        {
            VisitorBinder.Report(_diagnostics, DiagnosticIds.Visitor, "'" + name + "' is a C# keyword and cannot be a visitor method name", _v, loc);
        }
        else if (loc is not null && (VisitorBinder.IsReservedCallback(name) || name == _v.Name))
        {
            VisitorBinder.Report(_diagnostics, DiagnosticIds.Duplicate, "'" + name + "' cannot be a visitor method name", _v, loc);
        }

        if (_callbacks.TryGetValue((name, record.Name), out var existing))
        {
            // The same method for the same record (e.g. a record that is both a field and a variant): one method,
            // abstract as soon as one rule names it.
            existing.IsDefault &= isDefault;
            return existing;
        }

        var cb = new VisitorCallback(name, record, doc, CSharpName.Parameter(parameter), isDefault);
        _callbacks[(name, record.Name)] = cb;
        Callbacks.Add(cb);
        return cb;
    }

    private static string Doc(string doc, string fallback) => string.IsNullOrWhiteSpace(doc) ? fallback : doc;
}

/// <summary>C# identifiers for generated parameter names.</summary>
internal static class CSharpName
{
    /// <summary>The element name of an array field: <c>entries</c> → <c>entry</c>, <c>records</c> → <c>record</c>; else <c>item</c>.</summary>
    public static string Singular(string plural) =>
        plural.Length > 3 && plural.EndsWith("ies", StringComparison.Ordinal) ? plural.Substring(0, plural.Length - 3) + "y"
        : plural.Length > 1 && plural.EndsWith("s", StringComparison.Ordinal) && !plural.EndsWith("ss", StringComparison.Ordinal) ? plural.Substring(0, plural.Length - 1)
        : "item";

    /// <summary>A parameter name: the camel-case name, <c>@</c>-escaped when it is a keyword, and never <c>visitor</c>.</summary>
    public static string Parameter(string camel) => camel == "visitor" ? "visited" : CSharp.Identifier(camel);
}
