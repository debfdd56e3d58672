using System.Collections.Generic;
using System.Linq;
using Toolkit.Generators.Structs.Model;
using Toolkit.Generators.Structs.Parsing;

namespace Toolkit.Generators.Structs.Emit;

internal sealed partial class Emitter
{
    private sealed class DerivedInfo
    {
        public string Kind = string.Empty; // size | length | cond
        public Member? Source;
        public long Mul = 1;
        public long Add;
    }

    private sealed class StructPlan
    {
        public Decl Decl = null!;
        public List<Member> Fields = new();
        public Dictionary<string, DerivedInfo> Derived = new(System.StringComparer.Ordinal);
        public Dictionary<string, (Member Word, BitMember Bit, int Shift)> Bits = new(System.StringComparer.Ordinal);
        public Dictionary<string, int?> StaticOffset = new(System.StringComparer.Ordinal);
        public Dictionary<string, string> ReaderOffset = new(System.StringComparer.Ordinal);
        public int PrefixSize;
    }

    private StructPlan Plan(Decl d)
    {
        var p = new StructPlan { Decl = d };
        p.Fields = d.Members.Where(m => !m.IsComputed).ToList();
        if (d.Size is not null)
        {
            p.Derived[d.Size.Field] = new DerivedInfo { Kind = "size", Mul = d.Size.Mul, Add = d.Size.Add };
        }

        foreach (var m in p.Fields)
        {
            if (m.Type!.Length is { Kind: LengthKind.Expr } len && m.Type.Kind != TypeKind.Array)
            {
                p.Derived[len.Field] = new DerivedInfo { Kind = "length", Source = m, Mul = len.Mul, Add = len.Add };
            }

            if (m.If is not null)
            {
                p.Derived[m.If] = new DerivedInfo { Kind = "cond", Source = m };
            }

            if (m.Type.Kind == TypeKind.Bits)
            {
                var shift = 0;
                foreach (var b in m.Type.Bits)
                {
                    p.Bits[b.Name] = (m, b, shift);
                    shift += b.Width;
                }
            }
        }

        int? off = 0;
        foreach (var m in p.Fields)
        {
            p.StaticOffset[m.Name] = off;
            var s = Layout.FieldStaticSize(m, Lookup);
            off = off is null || s is null ? null : off + s;
        }

        p.PrefixSize = Layout.FixedPrefix(d, Lookup).Size;

        // Reader offset expressions.
        string? prevOff = null;
        string? prevSize = null;
        foreach (var m in p.Fields)
        {
            var so = p.StaticOffset[m.Name];
            p.ReaderOffset[m.Name] = so is not null ? I(so.Value) : "OffsetOf" + Naming.Pascal(m.Name);
            if (so is null)
            {
                _ = prevOff;
            }

            prevOff = p.ReaderOffset[m.Name];
            prevSize = ReaderSizeExpr(p, m);
        }

        _ = prevSize;
        return p;
    }

    /// <summary>Size of a field as a reader expression (null when it runs to the end).</summary>
    private string? ReaderSizeExpr(StructPlan p, Member m)
    {
        var s = Layout.FieldStaticSize(m, Lookup);
        if (s is not null)
        {
            return I(s.Value);
        }

        var t = m.Type!;
        if (m.If is not null)
        {
            var nd = Lookup(t.Name);
            var ns = nd is null ? null : Layout.StaticSize(nd, Lookup);
            return ns is null ? null : "(" + Presence(p, m) + " ? " + I(ns.Value) + " : 0)";
        }

        if (t.Length is { Kind: LengthKind.Expr } len && t.Kind != TypeKind.Array)
        {
            return "(int)((long)" + Naming.Pascal(len.Field) + " * " + I(len.Mul) + " + " + I(len.Add) + ")";
        }

        return null;
    }

    private string Presence(StructPlan p, Member optional)
    {
        var f = optional.If!;
        if (p.Bits.TryGetValue(f, out var b))
        {
            return b.Bit.Width == 1 ? Naming.Pascal(f) : "(" + Naming.Pascal(f) + " != 0)";
        }

        return "(" + Naming.Pascal(f) + " != 0)";
    }

    private string ModelType(Member m)
    {
        var t = m.Type!;
        switch (t.Kind)
        {
            case TypeKind.Int:
                return Types.CSharp(t.IntType);
            case TypeKind.F64:
                return "double";
            case TypeKind.Bytes:
            case TypeKind.Char:
            case TypeKind.Text:
                return RT + "ByteString";
            case TypeKind.Array:
                return RT + "ValueArray<" + t.Name + ">";
            case TypeKind.Named:
                return t.Name + (m.If is not null ? "?" : string.Empty);
            default:
                return "object";
        }
    }

    private string ReadValue(Member m, string span)
    {
        var t = m.Type!;
        switch (t.Kind)
        {
            case TypeKind.Int:
            case TypeKind.Bits:
                return Types.ReadExpr(t.IntType, span);
            case TypeKind.F64:
                return BP + "ReadDoubleBigEndian(" + span + ")";
            case TypeKind.Named:
                return "(" + t.Name + ")" + Types.ReadExpr(Lookup(t.Name)!.IntType, span);
            default:
                return span;
        }
    }

    private string IntTypeOf(Member m)
    {
        var t = m.Type!;
        return t.Kind == TypeKind.Named ? Lookup(t.Name)!.IntType : t.IntType;
    }

    // ------------------------------------------------------------------------------------------------ reader

    private void EmitStructReader(CodeWriter w, Decl d)
    {
        var p = Plan(d);
        var n = d.Name;
        w.Doc("Zero-copy reader of " + n + ": " + FirstLine(d.Doc), "Zero-copy reader of " + n + ".");
        w.Line(GeneratedCode);
        w.Open("public readonly ref struct " + n + "Reader");
        w.Line("private readonly " + Span + " _data;");
        w.Line();
        w.Doc("Wraps already validated bytes (exactly the record).", string.Empty);
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Line("internal " + n + "Reader(" + Span + " data) => _data = data;");
        w.Line();
        EmitReaderSizeAndBytes(w);
        EmitReaderReadMethods(w, n, selectsVariant: false);
        EmitValidate(w, p);
        EmitErrorHelpers(w, d);
        EmitFastCheck(w, d);
        EmitAccessors(w, p);
        EmitToModel(w, p);
        EmitEnumerator(w, d);
        w.Close();
    }

    private static string FirstLine(string doc)
    {
        var l = doc.Split('\n')[0].Trim();
        return l.Length == 0 ? string.Empty : l;
    }

    private void EmitEnumerator(CodeWriter w, Decl d)
    {
        var reader = d.Name + "Reader";
        var fixedSize = Layout.StaticSize(d, Lookup);
        w.Line();
        w.Doc("Enumerates consecutive records to the end of the data, without allocating.", string.Empty);
        w.Open("public ref struct Enumerator");
        w.Line("private " + Span + " _rest;");
        w.Line("private " + reader + " _current;");
        w.Line();
        w.Doc("Starts an enumeration over validated data.", string.Empty);
        w.Line("/// <param name=\"data\">The data.</param>");
        w.Open("internal Enumerator(" + Span + " data)");
        w.Line("_rest = data;");
        w.Line("_current = default;");
        w.Close();
        w.Line();
        w.Doc("The current record.", string.Empty);
        w.Line("public readonly " + reader + " Current => _current;");
        w.Line();
        w.Doc("Returns this enumerator (for foreach).", string.Empty);
        w.Line("/// <returns>This enumerator.</returns>");
        w.Line("public readonly Enumerator GetEnumerator() => this;");
        w.Line();
        w.Doc("Moves to the next record.", string.Empty);
        w.Line("/// <returns>False at the end.</returns>");
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Open("public bool MoveNext()");
        if (fixedSize is > 0)
        {
            // Validated data of fixed-size records: no re-validation on the hot path.
            w.Open("if (_rest.Length < " + I(fixedSize.Value) + ")");
            w.Line("_rest = default;");
            w.Line("return false;");
            w.Close();
            w.Line();
            w.Line("_current = " + (d.Kind == DeclKind.Union ? reader + ".CreateUnchecked(" : "new " + reader + "(") + "_rest.Slice(0, " + I(fixedSize.Value) + "));");
            w.Line("_rest = _rest.Slice(" + I(fixedSize.Value) + ");");
            w.Line("return true;");
        }
        else
        {
            w.Open("if (_rest.IsEmpty || !" + reader + ".TryRead(_rest, out _current, out _) || _current.Size == 0)");
            w.Line("_rest = default;");
            w.Line("return false;");
            w.Close();
            w.Line();
            w.Line("_rest = _rest.Slice(_current.Size);");
            w.Line("return true;");
        }

        w.Close();
        w.Line();
        w.Doc("Counts the remaining records (walks them).", string.Empty);
        w.Line("/// <returns>The number of records.</returns>");
        w.Open("public readonly int Count()");
        w.Line("var copy = this;");
        w.Line("var count = 0;");
        w.Open("while (copy.MoveNext())");
        w.Line("count++;");
        w.Close();
        w.Line();
        w.Line("return count;");
        w.Close();
        w.Close();
    }

    private void EmitValidate(CodeWriter w, StructPlan p)
    {
        var d = p.Decl;
        var n = Str(d.Name);
        var referenced = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var m in p.Fields)
        {
            if (m.Type!.Length is { Kind: LengthKind.Expr } len && m.Type.Kind != TypeKind.Array)
            {
                referenced.Add(len.Field);
            }

            if (m.If is not null)
            {
                referenced.Add(p.Bits.TryGetValue(m.If, out var b) ? b.Word.Name : m.If);
            }
        }

        w.Doc("Checks the record at the start of data and returns its size.", string.Empty);
        w.Line("/// <param name=\"data\">The data.</param>");
        w.Line("/// <param name=\"size\">The record's size on success.</param>");
        w.Line("/// <param name=\"error\">The error on failure.</param>");
        w.Line("/// <returns>True when valid.</returns>");
        w.Open("internal static bool Validate(" + Span + " data, out int size, out " + RT + "DecodeError error)");
        w.Line("size = 0;");
        w.Open("if (data.Length < " + I(p.PrefixSize) + ")");
        w.Line("return Fail(out error, data.Length, \"\", \"truncated\");");
        w.Close();
        w.Line();
        if (d.Size is not null)
        {
            var f = p.Fields.First(x => x.Name == d.Size.Field);
            var of = p.StaticOffset[f.Name]!.Value;
            w.Line("var extent = (long)" + ReadValue(f, "data.Slice(" + I(of) + ")") + " * " + I(d.Size.Mul) + " + " + I(d.Size.Add) + ";");
            w.Open("if (extent < " + I(p.PrefixSize) + " || extent > data.Length)");
            w.Line("return Fail(out error, " + I(of) + ", " + Str(f.Name) + ", \"record size out of range\");");
            w.Close();
            w.Line();
            w.Line("data = data.Slice(0, (int)extent);");
        }

        var offs = new Dictionary<string, string>(System.StringComparer.Ordinal);
        var usingPos = false;
        var staticOff = 0;
        var k = 0;
        foreach (var m in p.Fields)
        {
            k++;
            var t = m.Type!;
            var fs = Layout.FieldStaticSize(m, Lookup);
            if (!usingPos && fs is null)
            {
                w.Line("var pos = " + I(staticOff) + ";");
                usingPos = true;
            }

            var at = usingPos ? "pos" : I(staticOff);
            if (usingPos && referenced.Contains(m.Name))
            {
                w.Line("var o" + k + " = pos;");
                offs[m.Name] = "o" + k;
            }
            else
            {
                offs[m.Name] = at;
            }

            var fname = Str(m.Name);
            if (usingPos && fs is not null && (t.Kind != TypeKind.Named || Lookup(t.Name)!.Kind == DeclKind.Enum))
            {
                w.Open("if (data.Length - pos < " + I(fs.Value) + ")");
                w.Line("return Fail(out error, pos, " + fname + ", \"truncated\");");
                w.Close();
            }

            // Value checks.
            foreach (var c in ValueChecks(m, "data.Slice(" + at + ")"))
            {
                w.Open("if (!(" + c.Test + "))");
                w.Line("return Fail(out error, " + at + ", " + Str(c.Field) + ", \"" + c.Reason + "\");");
                w.Close();
            }

            switch (t.Kind)
            {
                case TypeKind.Named when Lookup(t.Name)!.Kind != DeclKind.Enum:
                {
                    var nd = Lookup(t.Name)!;
                    var reader = t.Name + "Reader";
                    var cond = m.If is not null ? ValidationPresence(p, m, offs) : null;
                    if (cond is not null)
                    {
                        w.Open("if (" + cond + ")");
                    }

                    var fixedSize = Layout.StaticSize(nd, Lookup);
                    var fast = fixedSize is not null ? FastChecks(nd, "data.Slice(" + at + ")", null, null) : null;
                    if (fast is not null && fast.Count == 0)
                    {
                        // Fixed size and nothing to check but the length.
                        w.Open("if (data.Length - " + at + " < " + I(fixedSize!.Value) + ")");
                        w.Line("_ = " + reader + ".Validate(data.Slice(" + at + "), out _, out error);");
                        w.Line("return ShiftError(ref error, " + at + ");");
                        w.Close();
                    }
                    else if (fast is not null)
                    {
                        // Fast path; Validate only to report why it failed.
                        w.Open("if ((data.Length - " + at + " < " + I(fixedSize!.Value) + " || !" + reader + ".IsValidFixed(data.Slice(" + at + "))) && !" + reader + ".Validate(data.Slice(" + at + "), out _, out error))");
                        w.Line("return ShiftError(ref error, " + at + ");");
                        w.Close();
                    }
                    else
                    {
                        w.Open("if (!" + reader + ".Validate(data.Slice(" + at + "), out var s" + k + ", out error))");
                        w.Line("return ShiftError(ref error, " + at + ");");
                        w.Close();
                    }

                    if (usingPos)
                    {
                        w.Line("pos += " + (fast is not null ? I(fixedSize!.Value) : "s" + k) + ";");
                    }

                    if (cond is not null)
                    {
                        w.Close();
                    }

                    _ = nd;
                    break;
                }

                case TypeKind.Array:
                {
                    var reader = t.Name + "Reader";
                    w.Line("var rest" + k + " = data.Slice(pos);");
                    var ed = Lookup(t.Name);
                    var es = ed is null ? null : Layout.StaticSize(ed, Lookup);
                    var fast = es is not null ? FastChecks(ed!, "rest" + k, null, null) : null;
                    if (fast is not null && fast.Count == 0)
                    {
                        // Fixed-size elements with nothing to check: skip the whole ones at once.
                        w.Line("rest" + k + " = rest" + k + ".Slice(rest" + k + ".Length - rest" + k + ".Length % " + I(es!.Value) + ");");
                    }
                    else if (fast is not null)
                    {
                        // Fast path over whole fixed-size elements; the loop below reports the first bad one.
                        w.Open("while (rest" + k + ".Length >= " + I(es!.Value) + " && " + reader + ".IsValidFixed(rest" + k + "))");
                        w.Line("rest" + k + " = rest" + k + ".Slice(" + I(es.Value) + ");");
                        w.Close();
                    }

                    if (fast is not null)
                    {
                        w.Line();
                    }

                    w.Open("while (!rest" + k + ".IsEmpty)");
                    w.Open("if (!" + reader + ".Validate(rest" + k + ", out var s" + k + ", out error))");
                    w.Line("return ShiftError(ref error, data.Length - rest" + k + ".Length);");
                    w.Close();
                    w.Line();
                    w.Open("if (s" + k + " <= 0)");
                    w.Line("return Fail(out error, data.Length - rest" + k + ".Length, " + fname + ", \"empty element\");");
                    w.Close();
                    w.Line();
                    w.Line("rest" + k + " = rest" + k + ".Slice(s" + k + ");");
                    w.Close();
                    w.Line();
                    w.Line("pos = data.Length;");
                    break;
                }

                case TypeKind.Bytes:
                case TypeKind.Char:
                case TypeKind.Text:
                {
                    var len = t.Length!;
                    if (len.Kind == LengthKind.Tail)
                    {
                        w.Line("pos = data.Length;");
                    }
                    else if (len.Kind == LengthKind.Expr)
                    {
                        var lf = p.Fields.First(x => x.Name == len.Field);
                        w.Line("var len" + k + " = (long)" + ReadValue(lf, "data.Slice(" + offs[lf.Name] + ")") + " * " + I(len.Mul) + " + " + I(len.Add) + ";");
                        w.Open("if (len" + k + " < 0 || len" + k + " > data.Length - pos)");
                        w.Line("return Fail(out error, pos, " + fname + ", \"length out of range\");");
                        w.Close();
                        w.Line();
                        w.Line("pos += (int)len" + k + ";");
                    }
                    else if (usingPos)
                    {
                        w.Line("pos += " + I(fs!.Value) + ";");
                    }

                    break;
                }

                default:
                    if (usingPos)
                    {
                        w.Line("pos += " + I(fs!.Value) + ";");
                    }

                    break;
            }

            if (!usingPos)
            {
                staticOff += fs!.Value;
            }
        }

        var end = usingPos ? "pos" : I(staticOff);
        if (d.Size is not null)
        {
            w.Open("if (" + end + " != data.Length)");
            w.Line("return Fail(out error, " + end + ", \"\", \"record size does not match its content\");");
            w.Close();
            w.Line();
            w.Line("size = data.Length;");
        }
        else
        {
            w.Line("size = " + end + ";");
        }

        w.Line("error = default;");
        w.Line("return true;");
        w.Close();
        w.Line();
    }

    private string ValidationPresence(StructPlan p, Member optional, Dictionary<string, string> offs)
    {
        var f = optional.If!;
        if (p.Bits.TryGetValue(f, out var b))
        {
            var mask = b.Bit.Width >= 64 ? ulong.MaxValue : (1UL << b.Bit.Width) - 1;
            return "((((ulong)" + Types.ReadExpr(b.Word.Type!.IntType, "data.Slice(" + offs[b.Word.Name] + ")") + " >> " + I(b.Shift) + ") & 0x" + mask.ToString("X", System.Globalization.CultureInfo.InvariantCulture) + "UL) != 0)";
        }

        var fm = p.Fields.First(x => x.Name == f);
        return "(" + ReadValue(fm, "data.Slice(" + offs[f] + ")") + " != 0)";
    }
}
