using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Toolkit.Generators.Structs.Model;
using Toolkit.Generators.Structs.Parsing;

namespace Toolkit.Generators.Structs.Emit;

/// <summary>
/// Value checks shared by <c>Validate</c> and the fast path: the full validator reports a typed error for the first
/// check that fails; the fast path (<c>IsValidFixed</c>) of a fixed-size record evaluates only the checks that can
/// fail and returns a bool, and its callers rerun <c>Validate</c> to get the exact error when it says no.
/// </summary>
internal sealed partial class Emitter
{
    private const string Inline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";

    private sealed record ValueCheck(string Test, string Field, string Reason, string? Bit);

    /// <summary>The value checks (const / in) of one field whose bytes start at <paramref name="span"/>.</summary>
    private List<ValueCheck> ValueChecks(Member m, string span)
    {
        var list = new List<ValueCheck>();
        var t = m.Type!;
        if (m.Const is not null || m.In.Count > 0)
        {
            var it = IntTypeOf(m);
            var signed = Types.IsSigned(it);
            var v = "(" + (signed ? "long" : "ulong") + ")" + (t.Kind == TypeKind.Named ? Types.ReadExpr(it, span) : ReadValue(m, span));
            if (m.Const is not null)
            {
                list.Add(new ValueCheck(v + " == " + (signed ? Types.LLit(m.Const.Value) : Types.ULit(m.Const.Value)), m.Name, "unexpected value", null));
            }
            else if (RangeTest(v, m.In, signed, Types.Bits(it)) is { } test)
            {
                list.Add(new ValueCheck(test, m.Name, "value out of range", null));
            }
        }

        if (t.Kind == TypeKind.Bits)
        {
            var shift = 0;
            foreach (var b in t.Bits)
            {
                if (b.Const is not null || b.In.Count > 0)
                {
                    var mask = b.Width >= 64 ? ulong.MaxValue : (1UL << b.Width) - 1;
                    var v = "(((ulong)" + Types.ReadExpr(t.IntType, span) + " >> " + I(shift) + ") & 0x" + mask.ToString("X", CultureInfo.InvariantCulture) + "UL)";
                    if (b.Const is not null)
                    {
                        list.Add(new ValueCheck(v + " == " + Types.ULit(b.Const.Value), b.Name, "unexpected value", b.Name));
                    }
                    else if (RangeTest(v, b.In, false, b.Width) is { } test)
                    {
                        list.Add(new ValueCheck(test, b.Name, "value out of range", b.Name));
                    }
                }

                shift += b.Width;
            }
        }

        return list;
    }

    /// <summary>
    /// A test that <paramref name="value"/> (of a <paramref name="bits"/>-bit integer) lies in one of the ranges,
    /// leaving out bounds the type cannot exceed; null when the test is always true.
    /// </summary>
    private static string? RangeTest(string value, IEnumerable<ValueRange> ranges, bool signed, int bits)
    {
        var parts = new List<string>();
        foreach (var r in ranges)
        {
            bool lowTrivial;
            bool highTrivial;
            if (signed)
            {
                var min = bits >= 64 ? long.MinValue : -(1L << (bits - 1));
                var max = bits >= 64 ? long.MaxValue : (1L << (bits - 1)) - 1;
                lowTrivial = r.Low <= min;
                highTrivial = r.High >= max;
            }
            else
            {
                var max = bits >= 64 ? ulong.MaxValue : (1UL << bits) - 1;
                lowTrivial = r.Low == 0;
                highTrivial = bits > 0 && (ulong)r.High >= max;
            }

            if (lowTrivial && highTrivial)
            {
                return null;
            }

            var lo = signed ? Types.LLit(r.Low) : Types.ULit(r.Low);
            var hi = signed ? Types.LLit(r.High) : Types.ULit(r.High);
            parts.Add(
                r.Low == r.High ? "(" + value + " == " + lo + ")"
                : lowTrivial ? "(" + value + " <= " + hi + ")"
                : highTrivial ? "(" + value + " >= " + lo + ")"
                : "(" + value + " >= " + lo + " && " + value + " <= " + hi + ")");
        }

        return parts.Count == 0 ? null : string.Join(" || ", parts);
    }

    /// <summary>
    /// The checks of a fixed-size record that can fail, as bool expressions over <paramref name="span"/> (which holds
    /// at least the record's size): all true exactly when <c>Validate</c> succeeds. Null when the record has no fast
    /// path (its size varies, or it holds a part the fast path does not model). Checks that the union case
    /// <paramref name="selected"/> already proves (the selector reads the same field) are left out.
    /// </summary>
    private List<string>? FastChecks(Decl d, string span, UnionCase? selected, Selector? selector, int depth = 0)
    {
        if (depth > 16 || d.Kind == DeclKind.Enum || d.Kind == DeclKind.Text || Layout.StaticSize(d, Lookup) is not { } size || size <= 0)
        {
            return null;
        }

        var checks = new List<string>();
        if (d.Kind == DeclKind.Union)
        {
            var sel = d.Selector!;
            if (sel.Offset + Types.Bytes(sel.IntType) > size)
            {
                return null;
            }

            var allTrue = d.Cases.Any(c => c.IsDefault);
            foreach (var c in d.Cases)
            {
                var v = Lookup(c.Variant);
                var vc = v is null ? null : FastChecks(v, span, c, sel, depth + 1);
                if (vc is null)
                {
                    return null;
                }

                allTrue &= vc.Count == 0;
            }

            // A union's checks are a switch: its callers call IsValidFixed (unless every selector value is valid).
            if (!allTrue)
            {
                checks.Add(d.Name + "Reader.IsValidFixed(" + span + ")");
            }

            return checks;
        }

        var p = Plan(d);
        if (d.Size is not null)
        {
            var f = p.Fields.FirstOrDefault(x => x.Name == d.Size.Field);
            if (f is null || p.StaticOffset[f.Name] is not { } of)
            {
                return null;
            }

            checks.Add("(long)" + ReadValue(f, span + ".Slice(" + I(of) + ")") + " * " + I(d.Size.Mul) + " + " + I(d.Size.Add) + " == " + I(size));
        }

        foreach (var m in p.Fields)
        {
            if (m.If is not null || p.StaticOffset[m.Name] is not { } off)
            {
                return null;
            }

            var at = span + ".Slice(" + I(off) + ")";
            var implied = selected is not null && selector is not null && !selected.IsDefault && off == selector.Offset
                && selector.Shift == 0 && selector.Mask == -1 && (m.Type!.Kind == TypeKind.Int || m.Type.Kind == TypeKind.Named)
                && ((IntTypeOf(m) == selector.IntType && ImpliedBy(m, selected, selector.IntType)) || SignImpliedBy(m, selected, selector.IntType));
            if (!implied)
            {
                checks.AddRange(ValueChecks(m, at).Select(c => c.Test));
            }

            var t = m.Type!;
            if (t.Kind == TypeKind.Named && Lookup(t.Name) is { } nd && nd.Kind != DeclKind.Enum)
            {
                var nested = FastChecks(nd, at, null, null, depth + 1);
                if (nested is null)
                {
                    return null;
                }

                if (nested.Count > 0)
                {
                    checks.Add(t.Name + "Reader.IsValidFixed(" + at + ")");
                }
            }
            else if (t.Kind == TypeKind.Array)
            {
                return null;
            }
        }

        return checks;
    }

    /// <summary>
    /// True when the field's only constraint is "not negative" and the selector reads its leading big-endian bytes
    /// with the sign bit clear for every value of the case.
    /// </summary>
    private static bool SignImpliedBy(Member m, UnionCase c, string selectorType)
    {
        var t = m.Type!;
        if (t.Kind != TypeKind.Int || !Types.IsSigned(t.IntType) || Types.IsSigned(selectorType) || m.Const is not null || m.In.Count != 1)
        {
            return false;
        }

        var bits = Types.Bits(t.IntType);
        var selectorBits = Types.Bits(selectorType);
        var max = bits >= 64 ? long.MaxValue : (1L << (bits - 1)) - 1;
        if (selectorBits <= 0 || selectorBits > bits || selectorBits >= 64 || m.In[0].Low != 0 || m.In[0].High < max)
        {
            return false;
        }

        var signBit = 1L << (selectorBits - 1);
        return c.Ranges.Count > 0 && c.Ranges.All(r => r.Low >= 0 && r.High >= r.Low && r.High < signBit);
    }

    /// <summary>True when every selector value of the case satisfies the field's const / in constraint.</summary>
    private static bool ImpliedBy(Member m, UnionCase c, string intType)
    {
        if (m.Const is null && m.In.Count == 0)
        {
            return false;
        }

        foreach (var r in c.Ranges)
        {
            var ok = m.Const is { } k
                ? r.Low == k && r.High == k
                : m.In.Any(x => Types.Compare(intType, x.Low, r.Low) <= 0 && Types.Compare(intType, r.High, x.High) <= 0);
            if (!ok)
            {
                return false;
            }
        }

        return c.Ranges.Count > 0;
    }

    /// <summary>Emits <c>IsValidFixed</c> for a fixed-size struct or union that has a fast path.</summary>
    private void EmitFastCheck(CodeWriter w, Decl d)
    {
        if (FastChecks(d, "data", null, null) is null)
        {
            return;
        }

        var size = Layout.StaticSize(d, Lookup)!.Value;
        w.Doc("Checks a record whose " + I(size) + " bytes are all present (data.Length >= " + I(size) + "): true exactly when Validate would succeed. Evaluates only what can fail and builds no error; on false, call Validate for the reason.", string.Empty);
        w.Line("/// <param name=\"data\">The data, at least " + I(size) + " bytes.</param>");
        w.Line("/// <returns>True when the record is valid.</returns>");
        w.Line(Inline);
        w.Open("internal static bool IsValidFixed(" + Span + " data)");
        if (d.Kind == DeclKind.Union)
        {
            var sel = d.Selector!;
            var mask = sel.Mask == -1 ? string.Empty : " & " + Types.ULit(sel.Mask);
            var def = d.Cases.FirstOrDefault(c => c.IsDefault);
            var defBody = def is null ? "false" : Conjunction(FastChecks(Lookup(def.Variant)!, "data", def, sel)!);

            // One arm per distinct check; cases that check what the default checks fall through to it.
            var arms = new List<(string Body, List<ValueRange> Ranges)>();
            foreach (var c in d.Cases.Where(c => !c.IsDefault))
            {
                var body = Conjunction(FastChecks(Lookup(c.Variant)!, "data", c, sel)!);
                if (body == defBody)
                {
                    continue;
                }

                var arm = arms.FindIndex(a => a.Body == body);
                if (arm < 0)
                {
                    arms.Add((body, new List<ValueRange>()));
                    arm = arms.Count - 1;
                }

                arms[arm].Ranges.AddRange(c.Ranges);
            }

            if (arms.Count == 0)
            {
                // Every selector value selects a variant with nothing to check (or all check the same).
                w.Line("return " + defBody + ";");
                w.Close();
                w.Line();
                return;
            }

            w.Open("switch ((unchecked((ulong)" + Types.ReadExpr(sel.IntType, "data.Slice(" + I(sel.Offset) + ")") + ") >> " + I(sel.Shift) + ")" + mask + ")");
            foreach (var (body, ranges) in arms)
            {
                foreach (var r in ranges)
                {
                    w.Line(r.Low == r.High ? "case " + Types.ULit(r.Low) + ":" : "case >= " + Types.ULit(r.Low) + " and <= " + Types.ULit(r.High) + ":");
                }

                w.Line("    return " + body + ";");
            }

            w.Line("default:");
            w.Line("    return " + defBody + ";");
            w.Close();
        }
        else
        {
            w.Line("return " + Conjunction(FastChecks(d, "data", null, null)!) + ";");
        }

        w.Close();
        w.Line();
    }

    /// <summary>
    /// The failure paths of Validate, out of line: building a DecodeError (which holds references) in Validate itself
    /// would give every call a stack frame to zero, also on success.
    /// </summary>
    private static void EmitErrorHelpers(CodeWriter w, Decl d)
    {
        const string NoInline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]";
        w.Line(NoInline);
        w.Open("private static bool Fail(out " + RT + "DecodeError error, int offset, string field, string reason)");
        w.Line("error = new " + RT + "DecodeError(offset, " + Str(d.Name) + ", field, reason);");
        w.Line("return false;");
        w.Close();
        w.Line();
        w.Line(NoInline);
        w.Open("private static bool ShiftError(ref " + RT + "DecodeError error, int delta)");
        w.Line("error = error.Shift(delta);");
        w.Line("return false;");
        w.Close();
        w.Line();
    }

    private static string Conjunction(List<string> checks) =>
        checks.Count == 0 ? "true" : string.Join(" && ", checks.Select(c => checks.Count == 1 ? c : "(" + c + ")"));
}
