using System;
using System.Collections.Generic;
using System.Linq;
using Toolkit.Generators.Structs.Model;

namespace Toolkit.Generators.Structs.Parsing;

/// <summary>
/// Pure binding and validation: groups parsed files by namespace, inlines base structs, checks every rule of the
/// DSL and reports positioned diagnostics. A namespace with errors yields no model (so no uncompilable code).
/// </summary>
internal static class Binder
{
    private static readonly HashSet<string> ReservedStructMembers = new(StringComparer.Ordinal)
    {
        "Read", "TryRead", "Validate", "Size", "Bytes", "ToModel", "GetSize", "Write", "ToArray", "Equals", "GetHashCode",
        "ToString", "EqualityContract", "GetType", "Generate", "Deconstruct", "PrintMembers", "Clone", "Enumerator", "MemberwiseClone",
        "IsValidFixed", "Fail", "ShiftError", "ThrowNotA", "TrySelect", "CreateUnchecked",
    };

    private static readonly HashSet<string> ReservedTextMembers = new(StringComparer.Ordinal)
    {
        "Raw", "Parse", "GetEnumerator", "Count", "IsMatch", "Equals", "GetHashCode", "ToString", "GetType",
    };

    public static (EquatableArray<NamespaceModel> Models, EquatableArray<SchemaDiagnostic> Diagnostics) Bind(IEnumerable<SchemaFile> files, string version)
    {
        var models = new List<NamespaceModel>();
        var diagnostics = new List<SchemaDiagnostic>();
        var ordered = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        foreach (var group in ordered.GroupBy(f => f.Namespace ?? "Toolkit.Generated", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var before = diagnostics.Count;
            var parseErrors = group.Any(f => f.Diagnostics.Count > 0);
            var decls = group.SelectMany(f => f.Decls).ToList();
            List<Decl> bound;
            try
            {
                bound = new Context(decls, diagnostics).Run();
            }
#pragma warning disable CA1031 // binding must never crash the compiler
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var first = group.First();
                diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.Internal, "internal binder error: " + ex.GetType().Name, first.Path, new Loc(1, 1, 0)));
                continue;
            }

            var visitors = group.SelectMany(f => f.Visitors).ToList();
            VisitorBinder.Check(visitors, bound, diagnostics);
            if (!parseErrors && diagnostics.Count == before && bound.Count > 0)
            {
                models.Add(new NamespaceModel(group.Key, new EquatableArray<Decl>(bound), version) { Visitors = new EquatableArray<VisitorDecl>(visitors) });
            }
        }

        return (new EquatableArray<NamespaceModel>(models), new EquatableArray<SchemaDiagnostic>(diagnostics));
    }

    private sealed class Context
    {
        private readonly List<Decl> _decls;
        private readonly List<SchemaDiagnostic> _diagnostics;
        private readonly Dictionary<string, Decl> _byName = new(StringComparer.Ordinal);

        public Context(List<Decl> decls, List<SchemaDiagnostic> diagnostics)
        {
            _decls = decls;
            _diagnostics = diagnostics;
        }

        private void Error(string id, string message, Decl d, Loc loc) => _diagnostics.Add(new SchemaDiagnostic(id, message, d.Path, loc));

        public List<Decl> Run()
        {
            var unique = new List<string>();
            foreach (var d in _decls)
            {
                if (!_byName.ContainsKey(d.Name))
                {
                    unique.Add(d.Name);
                }

                if (_byName.ContainsKey(d.Name))
                {
                    Error(DiagnosticIds.Duplicate, "'" + d.Name + "' is declared twice", d, d.Loc);
                    continue;
                }

                _byName[d.Name] = d;
            }

            // Inline base structs.
            var flat = new Dictionary<string, Decl>(StringComparer.Ordinal);
            foreach (var d in _byName.Values)
            {
                flat[d.Name] = d.Kind == DeclKind.Struct ? Flatten(d, 0) : d;
            }

            foreach (var key in flat.Keys.ToList())
            {
                _byName[key] = flat[key];
            }

            var unionOf = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var d in _byName.Values.OrderBy(x => x.Name, StringComparer.Ordinal))
            {
                switch (d.Kind)
                {
                    case DeclKind.Enum:
                        CheckEnum(d);
                        break;
                    case DeclKind.Struct:
                        CheckStruct(d);
                        break;
                    case DeclKind.Union:
                        CheckUnion(d, unionOf);
                        break;
                    case DeclKind.Text:
                        CheckText(d);
                        break;
                }
            }

            CheckCycles();
            return unique.Select(n => _byName[n]).ToList();
        }

        private Decl Flatten(Decl d, int depth)
        {
            if (d.Base is null)
            {
                return d;
            }

            if (depth > 16 || !_byName.TryGetValue(d.Base, out var b) || b.Kind != DeclKind.Struct)
            {
                Error(DiagnosticIds.Unknown, depth > 16 ? "base structs form a cycle" : "unknown base struct '" + d.Base + "'", d, d.Loc);
                return d;
            }

            var fb = Flatten(b, depth + 1);
            var members = new List<Member>();
            foreach (var m in fb.Members)
            {
                var c = d.BaseConstraints.FirstOrDefault(x => x.Field == m.Name);
                members.Add(c is null ? m : m with { Const = c.Const ?? m.Const, In = c.In.Count > 0 ? c.In : m.In });
            }

            foreach (var c in d.BaseConstraints)
            {
                if (!fb.Members.Any(m => m.Name == c.Field && !m.IsComputed))
                {
                    Error(DiagnosticIds.Unknown, "the base struct has no field '" + c.Field + "'", d, c.Loc);
                }
            }

            members.AddRange(d.Members);
            if (fb.Size is not null && d.Size is null)
            {
                return d with { Members = new EquatableArray<Member>(members), Size = fb.Size };
            }

            return d with { Members = new EquatableArray<Member>(members) };
        }

        private void CheckEnum(Decl d)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var m in d.EnumMembers)
            {
                if (!names.Add(m.Name) || m.Name == d.Name)
                {
                    Error(DiagnosticIds.Duplicate, "enum member '" + m.Name + "' is declared twice or named like its enum", d, m.Loc);
                }

                if (!Types.Fits(d.IntType, m.Value))
                {
                    Error(DiagnosticIds.Value, "value of '" + m.Name + "' does not fit " + d.IntType, d, m.Loc);
                }
            }

            if (d.EnumMembers.Count == 0)
            {
                Error(DiagnosticIds.Value, "an enum has at least one member", d, d.Loc);
            }
        }

        private Decl? Lookup(string name) => _byName.TryGetValue(name, out var d) ? d : null;

        private void CheckStruct(Decl d)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var derived = new HashSet<string>(StringComparer.Ordinal);
            var seen = new Dictionary<string, Member>(StringComparer.Ordinal);
            var bitsSeen = new Dictionary<string, (Member Word, BitMember Bit)>(StringComparer.Ordinal);
            var variableBefore = false;

            void Name(string n, Loc loc, bool text = false)
            {
                var pascal = Naming.Pascal(n);
                if (!names.Add(pascal) || pascal == d.Name || ReservedStructMembers.Contains(pascal) || pascal == "Has" + d.Name)
                {
                    Error(DiagnosticIds.Duplicate, "member '" + n + "' is declared twice or collides with a generated member", d, loc);
                }

                _ = text;
            }

            if (d.Members.Count == 0)
            {
                Error(DiagnosticIds.Layout, "a struct has at least one field", d, d.Loc);
            }

            if (d.Size is not null)
            {
                CheckLengthRef(d, d.Size, seen, bitsSeen, derived, requireStatic: true, variableBefore: false, sizeClause: true);
            }

            for (var i = 0; i < d.Members.Count; i++)
            {
                var m = d.Members[i];
                var last = i == d.Members.Count - 1 || d.Members.Skip(i + 1).All(x => x.IsComputed);
                Name(m.Name, m.Loc);
                if (m.IsComputed)
                {
                    continue;
                }

                var t = m.Type!;
                switch (t.Kind)
                {
                    case TypeKind.Int:
                    case TypeKind.F64:
                        break;
                    case TypeKind.Bits:
                    {
                        var total = 0;
                        foreach (var b in t.Bits)
                        {
                            Name(b.Name, b.Loc);
                            if (b.Width < 1 || b.Width > 64)
                            {
                                Error(DiagnosticIds.Layout, "a bit member is 1 to 64 bits wide", d, b.Loc);
                            }

                            total += Math.Max(0, b.Width);
                            if (b.EnumType is not null && Lookup(b.EnumType)?.Kind != DeclKind.Enum)
                            {
                                Error(DiagnosticIds.Unknown, "unknown enum '" + b.EnumType + "'", d, b.Loc);
                            }

                            CheckValues(d, b.Const, b.In, "u" + Math.Max(1, Math.Min(64, b.Width)), b.Width, b.Loc);
                            bitsSeen[b.Name] = (m, b);
                        }

                        if (total != Types.Bits(t.IntType))
                        {
                            Error(DiagnosticIds.Layout, "bit widths add up to " + total + ", not " + Types.Bits(t.IntType), d, t.Loc);
                        }

                        break;
                    }

                    case TypeKind.Named:
                    {
                        var nd = Lookup(t.Name);
                        if (nd is null || nd.Kind == DeclKind.Text)
                        {
                            Error(DiagnosticIds.Unknown, "unknown type '" + t.Name + "'", d, t.Loc);
                            break;
                        }

                        if (nd.Kind != DeclKind.Enum)
                        {
                            var fixedSize = Layout.StaticSize(nd, Lookup);
                            if (fixedSize is null && !last)
                            {
                                Error(DiagnosticIds.Layout, "a variable-size struct or union field must be the last field", d, m.Loc);
                            }

                            variableBefore |= fixedSize is null || m.If is not null;
                        }

                        break;
                    }

                    case TypeKind.Bytes:
                    case TypeKind.Char:
                    case TypeKind.Text:
                    {
                        var len = t.Length!;
                        if (len.Kind == LengthKind.Tail && !last)
                        {
                            Error(DiagnosticIds.Layout, "a '[..]' tail must be the last field", d, len.Loc);
                        }

                        if (len.Kind == LengthKind.Expr)
                        {
                            CheckLengthRef(d, len, seen, bitsSeen, derived, requireStatic: false, variableBefore, sizeClause: false);
                        }

                        variableBefore |= len.Kind != LengthKind.Fixed;
                        break;
                    }

                    case TypeKind.Array:
                    {
                        var et = Lookup(t.Name);
                        if (et is null || (et.Kind != DeclKind.Struct && et.Kind != DeclKind.Union))
                        {
                            Error(DiagnosticIds.Unknown, "array elements are structs or unions; unknown '" + t.Name + "'", d, t.Loc);
                        }
                        else if (Layout.MinSize(et, Lookup) <= 0)
                        {
                            Error(DiagnosticIds.Union, "array elements of '" + t.Name + "' could be empty", d, t.Loc);
                        }

                        if (!last)
                        {
                            Error(DiagnosticIds.Layout, "an array '[..]' must be the last field", d, t.Loc);
                        }

                        variableBefore = true;
                        break;
                    }
                }

                if (m.As is not null)
                {
                    if (t.Kind != TypeKind.Bytes && t.Kind != TypeKind.Char && t.Kind != TypeKind.Text)
                    {
                        Error(DiagnosticIds.Text, "'as' applies to bytes, char and text fields", d, m.Loc);
                    }
                    else if (Lookup(m.As)?.Kind != DeclKind.Text)
                    {
                        Error(DiagnosticIds.Unknown, "unknown text structure '" + m.As + "'", d, m.Loc);
                    }
                }

                if (m.If is not null)
                {
                    if (t.Kind != TypeKind.Named || Lookup(t.Name)?.Kind != DeclKind.Struct)
                    {
                        Error(DiagnosticIds.Layout, "an optional ('if') field is a struct", d, m.Loc);
                    }

                    if (seen.TryGetValue(m.If, out var cm) && !cm.IsComputed && cm.Type!.Kind == TypeKind.Int && cm.Const is null && cm.In.Count == 0)
                    {
                        if (!derived.Add(m.If))
                        {
                            Error(DiagnosticIds.Derived, "'" + m.If + "' is already derived from another field", d, m.Loc);
                        }
                    }
                    else if (bitsSeen.TryGetValue(m.If, out var bm) && bm.Bit.Const is null && bm.Bit.In.Count == 0 && bm.Bit.EnumType is null)
                    {
                        if (!derived.Add(m.If))
                        {
                            Error(DiagnosticIds.Derived, "'" + m.If + "' is already derived from another field", d, m.Loc);
                        }
                    }
                    else
                    {
                        Error(DiagnosticIds.Derived, "condition '" + m.If + "' is not an earlier integer field or bit member without const/in", d, m.Loc);
                    }
                }

                if (m.Const is not null || m.In.Count > 0)
                {
                    var it = t.Kind == TypeKind.Int ? t.IntType : t.Kind == TypeKind.Named && Lookup(t.Name)?.Kind == DeclKind.Enum ? Lookup(t.Name)!.IntType : null;
                    if (it is null)
                    {
                        Error(DiagnosticIds.Value, "'const' and 'in' apply to integer and enum fields", d, m.Loc);
                    }
                    else
                    {
                        CheckValues(d, m.Const, m.In, it, Types.Bits(it), m.Loc);
                    }
                }

                seen[m.Name] = m;
            }

            foreach (var m in d.Members)
            {
                if (derived.Contains(m.Name) && (m.Const is not null || m.In.Count > 0))
                {
                    Error(DiagnosticIds.Derived, "derived field '" + m.Name + "' cannot have 'const' or 'in'", d, m.Loc);
                }
            }

            foreach (var m in d.Members.Where(x => x.IsComputed))
            {
                CheckExpr(d, m.Computed!, seen, bitsSeen, 0);
            }
        }

        private void CheckLengthRef(Decl d, LengthSpec len, Dictionary<string, Member> seen, Dictionary<string, (Member Word, BitMember Bit)> bitsSeen, HashSet<string> derived, bool requireStatic, bool variableBefore, bool sizeClause)
        {
            Member? target = null;
            if (sizeClause)
            {
                foreach (var m in d.Members)
                {
                    if (m.Name == len.Field && !m.IsComputed)
                    {
                        target = m;
                        break;
                    }

                    if (!m.IsComputed && Layout.FieldStaticSize(m, Lookup) is null)
                    {
                        Error(DiagnosticIds.Derived, "the size field must come before any variable-size field", d, len.Loc);
                        return;
                    }
                }
            }
            else
            {
                seen.TryGetValue(len.Field, out target);
            }

            _ = requireStatic;
            _ = variableBefore;
            _ = bitsSeen;
            if (target is null || target.IsComputed || target.Type!.Kind != TypeKind.Int)
            {
                Error(DiagnosticIds.Derived, "length field '" + len.Field + "' is not an earlier integer field", d, len.Loc);
                return;
            }

            if (!derived.Add(target.Name))
            {
                Error(DiagnosticIds.Derived, "'" + target.Name + "' is already derived from another field", d, len.Loc);
            }
        }

        private void CheckValues(Decl d, long? cst, EquatableArray<ValueRange> ranges, string intType, int bits, Loc loc)
        {
            bool Fits(long v) => bits < 64 && intType.StartsWith("u", StringComparison.Ordinal) ? v >= 0 && (ulong)v < 1UL << bits : Types.Fits(intType, v);
            if (cst is not null && !Fits(cst.Value))
            {
                Error(DiagnosticIds.Value, "constant does not fit " + intType, d, loc);
            }

            foreach (var r in ranges)
            {
                if (!Fits(r.Low) || !Fits(r.High) || Types.Compare(intType, r.Low, r.High) > 0)
                {
                    Error(DiagnosticIds.Value, "range " + r.Low + ".." + r.High + " does not fit " + intType + " or is empty", d, loc);
                }
            }
        }

        private void CheckExpr(Decl d, Expr e, Dictionary<string, Member> seen, Dictionary<string, (Member Word, BitMember Bit)> bitsSeen, int depth)
        {
            if (depth > 64)
            {
                Error(DiagnosticIds.Computed, "expression too deep", d, e.Loc);
                return;
            }

            if (e.Op == "ref")
            {
                var ok = (seen.TryGetValue(e.Name, out var m) && !m.IsComputed && (m.Type!.Kind == TypeKind.Int || m.Type.Kind == TypeKind.F64
                          || (m.Type.Kind == TypeKind.Named && Lookup(m.Type.Name)?.Kind == DeclKind.Enum)) && m.If is null)
                         || bitsSeen.ContainsKey(e.Name);
                if (!ok)
                {
                    Error(DiagnosticIds.Computed, "'" + e.Name + "' is not an integer, enum, f64 or bit field of this struct", d, e.Loc);
                }
            }

            if (e.Left is not null)
            {
                CheckExpr(d, e.Left, seen, bitsSeen, depth + 1);
            }

            if (e.Right is not null)
            {
                CheckExpr(d, e.Right, seen, bitsSeen, depth + 1);
            }
        }

        private void CheckUnion(Decl d, Dictionary<string, string> unionOf)
        {
            var sel = d.Selector!;
            var defaults = d.Cases.Count(c => c.IsDefault);
            if (defaults > 1)
            {
                Error(DiagnosticIds.Union, "a union has at most one default case", d, d.Loc);
            }

            if (d.Cases.Count == 0)
            {
                Error(DiagnosticIds.Union, "a union has at least one case", d, d.Loc);
            }

            Decl? baseDecl = null;
            if (d.Base is not null)
            {
                baseDecl = Lookup(d.Base);
                if (baseDecl is null || baseDecl.Kind != DeclKind.Struct || Layout.StaticSize(baseDecl, Lookup) is null)
                {
                    Error(DiagnosticIds.Union, "the base of a union is a fixed-size struct", d, d.Loc);
                    baseDecl = null;
                }
            }

            var seenRanges = new List<ValueRange>();
            foreach (var c in d.Cases)
            {
                foreach (var r in c.Ranges)
                {
                    if (seenRanges.Any(o => (ulong)r.Low <= (ulong)o.High && (ulong)o.Low <= (ulong)r.High))
                    {
                        Error(DiagnosticIds.Union, "case values overlap an earlier case", d, c.Loc);
                    }

                    seenRanges.Add(r);
                }
            }

            var variants = new HashSet<string>(StringComparer.Ordinal);
            foreach (var c in d.Cases)
            {
                var v = Lookup(c.Variant);
                if (v is null || v.Kind != DeclKind.Struct)
                {
                    Error(DiagnosticIds.Union, "variant '" + c.Variant + "' is not a struct", d, c.Loc);
                    continue;
                }

                if (!variants.Add(c.Variant))
                {
                    Error(DiagnosticIds.Union, "variant '" + c.Variant + "' appears twice", d, c.Loc);
                }

                if (unionOf.TryGetValue(c.Variant, out var other) && other != d.Name)
                {
                    Error(DiagnosticIds.Union, "struct '" + c.Variant + "' is already a variant of union '" + other + "'", d, c.Loc);
                }

                unionOf[c.Variant] = d.Name;
                var orig = _decls.FirstOrDefault(x => x.Name == c.Variant);
                if (baseDecl is not null && orig?.Base != baseDecl.Name)
                {
                    Error(DiagnosticIds.Union, "variant '" + c.Variant + "' does not start with base '" + baseDecl.Name + "'", d, c.Loc);
                }

                foreach (var r in c.Ranges)
                {
                    if ((ulong)r.Low > (ulong)r.High)
                    {
                        Error(DiagnosticIds.Value, "empty range", d, c.Loc);
                    }
                }

                if (Layout.MinSize(v, Lookup) < sel.Offset + Types.Bytes(sel.IntType))
                {
                    Error(DiagnosticIds.Union, "variant '" + c.Variant + "' is shorter than the selector", d, c.Loc);
                }

                if (c.Variant == d.Name)
                {
                    Error(DiagnosticIds.Duplicate, "variant named like its union", d, c.Loc);
                }
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            if (baseDecl is not null)
            {
                foreach (var m in baseDecl.Members)
                {
                    var p = Naming.Pascal(m.Name);
                    if (p == "Kind" || ReservedStructMembers.Contains(p) || variants.Any(v => "As" + v == p || "TryGet" + v == p))
                    {
                        Error(DiagnosticIds.Duplicate, "base member '" + m.Name + "' collides with a generated union member", d, m.Loc);
                    }
                }
            }
        }

        private void CheckText(Decl d)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in d.Parts)
            {
                if (p.Type == "literal")
                {
                    continue;
                }

                var pascal = Naming.Pascal(p.Name);
                if (!names.Add(pascal) || pascal == d.Name + "Text" || ReservedTextMembers.Contains(pascal) || names.Contains("Has" + pascal) || (pascal.Length > 3 && pascal.StartsWith("Has", StringComparison.Ordinal) && char.IsUpper(pascal[3])))
                {
                    Error(DiagnosticIds.Duplicate, "text part '" + p.Name + "' is declared twice or collides with a generated member", d, p.Loc);
                }

                if (d.TextKind == TextKind.Split && p.Type != "text" && Lookup(p.Type)?.Kind != DeclKind.Text)
                {
                    Error(DiagnosticIds.Text, "a split part is 'text' or a text structure; unknown '" + p.Type + "'", d, p.Loc);
                }
            }

            if (d.TextKind == TextKind.Cgi && d.Parts.Count == 0)
            {
                Error(DiagnosticIds.Text, "a cgi structure names at least one key", d, d.Loc);
            }
        }

        private void CheckCycles()
        {
            var state = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var d in _byName.Values.OrderBy(x => x.Name, StringComparer.Ordinal))
            {
                Visit(d, state, 0);
            }
        }

        private bool Visit(Decl d, Dictionary<string, int> state, int depth)
        {
            if (state.TryGetValue(d.Name, out var s))
            {
                if (s == 1)
                {
                    Error(DiagnosticIds.Layout, "'" + d.Name + "' contains itself", d, d.Loc);
                    return false;
                }

                return true;
            }

            state[d.Name] = 1;
            foreach (var r in References(d))
            {
                var rd = Lookup(r);
                if (rd is not null && depth < 200 && !Visit(rd, state, depth + 1))
                {
                    state[d.Name] = 2;
                    return false;
                }
            }

            state[d.Name] = 2;
            return true;
        }

        private IEnumerable<string> References(Decl d)
        {
            if (d.Kind == DeclKind.Struct)
            {
                foreach (var m in d.Members)
                {
                    if (!m.IsComputed && (m.Type!.Kind == TypeKind.Named || m.Type.Kind == TypeKind.Array))
                    {
                        yield return m.Type.Name;
                    }

                    if (m.As is not null)
                    {
                        yield return m.As;
                    }
                }
            }
            else if (d.Kind == DeclKind.Union)
            {
                foreach (var c in d.Cases)
                {
                    yield return c.Variant;
                }
            }
            else if (d.Kind == DeclKind.Text)
            {
                foreach (var p in d.Parts)
                {
                    if (p.Type != "text" && p.Type != "int" && p.Type != "literal")
                    {
                        yield return p.Type;
                    }
                }
            }
        }
    }
}
