using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Toolkit.Generators.Structs.Model;
using Toolkit.Generators.Structs.Parsing;

namespace Toolkit.Generators.Structs.Emit;

internal sealed partial class Emitter
{
    private void EmitStructModel(CodeWriter w, Decl d)
    {
        var p = Plan(d);
        var n = d.Name;
        _unionOf.TryGetValue(n, out var union);
        w.Doc(d.Doc, n + ".");
        w.Line(GeneratedCode);
        w.Open("public sealed partial record " + n + (union is not null ? " : " + union.Name : string.Empty));
        foreach (var m in p.Fields)
        {
            var t = m.Type!;
            if (t.Kind == TypeKind.Bits)
            {
                foreach (var b in t.Bits)
                {
                    if (p.Derived.ContainsKey(b.Name) || b.Const is not null)
                    {
                        continue;
                    }

                    w.Doc(b.Doc + (b.Reserved ? "\n(Reserved; kept for exact round trips.)" : string.Empty), Naming.Pascal(b.Name) + ".");
                    w.Line("public " + BitType(b) + " " + Naming.Pascal(b.Name) + " { get; init; }");
                    w.Line();
                }

                continue;
            }

            if (!InModel(p, m))
            {
                continue;
            }

            var prop = Naming.Pascal(m.Name);
            w.Doc(m.Doc + (m.Reserved ? "\n(Reserved; kept for exact round trips.)" : string.Empty), prop + ".");
            var init = DefaultValue(m);
            w.Line("public " + (init is null && !ModelType(m).EndsWith("?", System.StringComparison.Ordinal) && IsReference(m) ? "required " : string.Empty) + ModelType(m) + " " + prop + " { get; init; }" + (init is null ? string.Empty : " = " + init + ";"));
            w.Line();
            if (m.As is not null)
            {
                w.Doc(prop + " parsed as " + m.As + " (no allocation).", string.Empty);
                w.Line("/// <returns>The text view.</returns>");
                w.Line("public " + m.As + "Text Get" + prop + "Text() => " + m.As + "Text.Parse(" + prop + ".Span);");
                w.Line();
            }
        }

        foreach (var m in d.Members.Where(x => x.IsComputed))
        {
            w.Doc(m.Doc, Naming.Pascal(m.Name) + ".");
            w.Line("public " + ComputedType(m.ComputedType) + " " + Naming.Pascal(m.Name) + " => " + EmitExpr(p, m.Computed!, ComputedType(m.ComputedType)) + ";");
            w.Line();
        }

        var over = union is not null ? "override " : string.Empty;
        if (union is not null)
        {
            w.Doc("The variant of " + union.Name + " this record is.", string.Empty);
            w.Line("public override " + union.Name + "Kind Kind => " + union.Name + "Kind." + n + ";");
            w.Line();
        }

        EmitGetSize(w, p, over);
        EmitWrite(w, p, over);
        if (union is null)
        {
            EmitModelToArray(w);
        }

        var hide = union is not null ? "new " : string.Empty;
        EmitModelReadMethods(w, n, hide);
        EmitGenerate(w, p, hide);
        w.Close();
    }

    private bool IsReference(Member m)
    {
        var t = m.Type!;
        return t.Kind == TypeKind.Named && Lookup(t.Name)!.Kind != DeclKind.Enum;
    }

    private string? DefaultValue(Member m)
    {
        var t = m.Type!;
        switch (t.Kind)
        {
            case TypeKind.Bytes:
            case TypeKind.Char:
            case TypeKind.Text:
                return t.Length!.Kind == LengthKind.Fixed && t.Length.Count > 0
                    ? RT + "ByteString.CopyFrom(new byte[" + I(t.Length.Count) + "])"
                    : RT + "ByteString.Empty";
            case TypeKind.Array:
                return RT + "ValueArray.Empty<" + t.Name + ">()";
            case TypeKind.Named:
            {
                var nd = Lookup(t.Name)!;
                if (m.If is not null || nd.Kind == DeclKind.Enum || nd.Kind == DeclKind.Union)
                {
                    return null;
                }

                return HasRequired(nd, 0) ? null : "new " + t.Name + "()";
            }

            default:
                return null;
        }
    }

    private bool HasRequired(Decl d, int depth)
    {
        if (depth > 32)
        {
            return true;
        }

        foreach (var m in d.Members.Where(x => !x.IsComputed))
        {
            var t = m.Type!;
            if (t.Kind == TypeKind.Named && m.If is null)
            {
                var nd = Lookup(t.Name)!;
                if (nd.Kind == DeclKind.Union || (nd.Kind == DeclKind.Struct && HasRequired(nd, depth + 1)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private void EmitGetSize(CodeWriter w, StructPlan p, string over)
    {
        var fixedTotal = 0;
        var parts = new List<string>();
        foreach (var m in p.Fields)
        {
            var s = Layout.FieldStaticSize(m, Lookup);
            if (s is not null)
            {
                fixedTotal += s.Value;
                continue;
            }

            var t = m.Type!;
            var prop = Naming.Pascal(m.Name);
            switch (t.Kind)
            {
                case TypeKind.Bytes:
                case TypeKind.Char:
                case TypeKind.Text:
                    parts.Add(prop + ".Length");
                    break;
                case TypeKind.Array:
                    parts.Add("SizeOf" + prop + "()");
                    break;
                case TypeKind.Named:
                    parts.Add(m.If is not null ? "(" + prop + " is null ? 0 : " + prop + ".GetSize())" : prop + ".GetSize()");
                    break;
            }
        }

        w.Doc("The encoded length of this record in bytes.", string.Empty);
        w.Line("/// <returns>The size.</returns>");
        w.Line("public " + over + "int GetSize() => " + I(fixedTotal) + string.Concat(parts.Select(x => " + " + x)) + ";");
        w.Line();
        foreach (var m in p.Fields.Where(x => x.Type!.Kind == TypeKind.Array))
        {
            var prop = Naming.Pascal(m.Name);
            w.Open("private int SizeOf" + prop + "()");
            w.Line("var size = 0;");
            w.Open("foreach (var item in " + prop + ")");
            w.Line("size += item.GetSize();");
            w.Close();
            w.Line();
            w.Line("return size;");
            w.Close();
            w.Line();
        }
    }

    private void EmitWrite(CodeWriter w, StructPlan p, string over)
    {
        var d = p.Decl;
        w.Doc("Encodes this record, computing derived fields (sizes, lengths, presence flags).", string.Empty);
        w.Line("/// <param name=\"destination\">At least GetSize() bytes.</param>");
        w.Line("/// <returns>The number of bytes written.</returns>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">The destination is too small, a fixed-size field has the wrong length, or a derived value does not fit its field.</exception>");
        w.Open("public " + over + "int Write(" + WSpan + " destination)");
        w.Line("var size = GetSize();");
        w.Open("if (destination.Length < size)");
        w.Line("throw new global::System.ArgumentException(\"The destination is shorter than the " + d.Name + " record.\", nameof(destination));");
        w.Close();
        w.Line();
        var k = 0;
        foreach (var kv in p.Derived)
        {
            k++;
            var info = kv.Value;
            if (info.Kind == "cond")
            {
                continue;
            }

            var f = p.Fields.First(x => x.Name == kv.Key);
            var lenExpr = info.Kind == "size" ? "(long)size" : "(long)" + Naming.Pascal(info.Source!.Name) + ".Length";
            var (min, max) = Types.Bounds(f.Type!.IntType);
            var v = "d" + Naming.Pascal(kv.Key);
            w.Line("var " + v + " = (" + lenExpr + " - " + Types.LLit(info.Add) + ") / " + Types.LLit(info.Mul) + ";");
            w.Open("if ((" + lenExpr + " - " + Types.LLit(info.Add) + ") % " + Types.LLit(info.Mul) + " != 0 || " + v + " < " + Types.LLit(min) + " || " + v + " > " + Types.LLit(max) + ")");
            w.Line("throw new global::System.ArgumentException(\"" + d.Name + "." + kv.Key + " cannot represent the " + (info.Kind == "size" ? "record size" : "length of " + info.Source!.Name) + ".\");");
            w.Close();
            w.Line();
        }

        w.Line("var pos = 0;");
        foreach (var m in p.Fields)
        {
            var t = m.Type!;
            var prop = Naming.Pascal(m.Name);
            var dst = "destination.Slice(pos)";
            switch (t.Kind)
            {
                case TypeKind.Int:
                case TypeKind.Named when Lookup(t.Name)!.Kind == DeclKind.Enum:
                {
                    var it = IntTypeOf(m);
                    string value;
                    if (m.Const is not null)
                    {
                        value = Types.Literal(it, m.Const.Value);
                    }
                    else if (p.Derived.TryGetValue(m.Name, out var di))
                    {
                        value = di.Kind == "cond" ? "(" + Naming.Pascal(di.Source!.Name) + " is null ? 0 : 1)" : "d" + prop;
                    }
                    else
                    {
                        value = t.Kind == TypeKind.Named ? "(" + Types.CSharp(it) + ")" + prop : prop;
                    }

                    w.Line(Types.WriteStmt(it, dst, "unchecked((" + Types.CSharp(it) + ")(" + value + "))"));
                    w.Line("pos += " + I(Types.Bytes(it)) + ";");
                    break;
                }

                case TypeKind.F64:
                    w.Line(BP + "WriteDoubleBigEndian(" + dst + ", " + prop + ");");
                    w.Line("pos += 8;");
                    break;
                case TypeKind.Bits:
                {
                    var shift = 0;
                    var terms = new List<string>();
                    foreach (var b in t.Bits)
                    {
                        var mask = b.Width >= 64 ? ulong.MaxValue : (1UL << b.Width) - 1;
                        string bv;
                        if (b.Const is not null)
                        {
                            bv = Types.ULit(b.Const.Value);
                        }
                        else if (p.Derived.TryGetValue(b.Name, out var di))
                        {
                            bv = "(" + Naming.Pascal(di.Source!.Name) + " is null ? 0UL : 1UL)";
                        }
                        else if (b.Width == 1 && b.EnumType is null)
                        {
                            bv = "(" + Naming.Pascal(b.Name) + " ? 1UL : 0UL)";
                        }
                        else
                        {
                            bv = "(ulong)" + Naming.Pascal(b.Name);
                        }

                        terms.Add("((" + bv + " & 0x" + mask.ToString("X", CultureInfo.InvariantCulture) + "UL) << " + I(shift) + ")");
                        shift += b.Width;
                    }

                    w.Line(Types.WriteStmt(t.IntType, dst, "unchecked((" + Types.CSharp(t.IntType) + ")(" + string.Join(" | ", terms) + "))"));
                    w.Line("pos += " + I(Types.Bytes(t.IntType)) + ";");
                    break;
                }

                case TypeKind.Bytes:
                case TypeKind.Char:
                case TypeKind.Text:
                    if (t.Length!.Kind == LengthKind.Fixed)
                    {
                        w.Open("if (" + prop + ".Length != " + I(t.Length.Count) + ")");
                        w.Line("throw new global::System.ArgumentException(\"" + d.Name + "." + m.Name + " must be " + I(t.Length.Count) + " bytes long.\");");
                        w.Close();
                        w.Line();
                    }

                    w.Line(prop + ".Span.CopyTo(" + dst + ");");
                    w.Line("pos += " + prop + ".Length;");
                    break;
                case TypeKind.Named:
                    if (m.If is not null)
                    {
                        w.Open("if (" + prop + " is not null)");
                        w.Line("pos += " + prop + ".Write(" + dst + ");");
                        w.Close();
                        w.Line();
                    }
                    else
                    {
                        w.Line("pos += " + prop + ".Write(" + dst + ");");
                    }

                    break;
                case TypeKind.Array:
                    w.Open("foreach (var item in " + prop + ")");
                    w.Line("pos += item.Write(" + dst + ");");
                    w.Close();
                    w.Line();
                    break;
            }
        }

        w.Line("return pos;");
        w.Close();
        w.Line();
    }

    private void EmitGenerate(CodeWriter w, StructPlan p, string hide)
    {
        var d = p.Decl;
        var enclosedBounded = d.Size is not null ? "true" : "last";
        w.Doc("Creates a random valid model (property tests).", string.Empty);
        w.Line("/// <param name=\"random\">The random source.</param>");
        w.Line("/// <param name=\"last\">Whether the record may run to the end of the enclosing data.</param>");
        w.Line("/// <returns>The model.</returns>");
        w.Open("internal static " + hide + d.Name + " Generate(global::System.Random random, bool last)");
        w.Line("_ = last;");
        w.Line("return new " + d.Name);
        w.Line("{");
        foreach (var m in p.Fields)
        {
            var t = m.Type!;
            var prop = Naming.Pascal(m.Name);
            if (t.Kind == TypeKind.Bits)
            {
                foreach (var b in t.Bits)
                {
                    if (p.Derived.ContainsKey(b.Name) || b.Const is not null)
                    {
                        continue;
                    }

                    string v;
                    if (b.In.Count > 0)
                    {
                        v = "(" + BitType(b) + ")" + RandomInRanges(b.In);
                    }
                    else if (b.Width == 1 && b.EnumType is null)
                    {
                        v = "random.Next(2) == 1";
                    }
                    else
                    {
                        v = "(" + BitType(b) + ")" + RT + "StructRandom.NextBits(random, " + I(b.Width) + ")";
                    }

                    w.Line("    " + Naming.Pascal(b.Name) + " = " + v + ",");
                }

                continue;
            }

            if (!InModel(p, m))
            {
                continue;
            }

            string value;
            switch (t.Kind)
            {
                case TypeKind.Int:
                case TypeKind.Named when Lookup(t.Name)!.Kind == DeclKind.Enum:
                {
                    var it = IntTypeOf(m);
                    var cs = t.Kind == TypeKind.Named ? t.Name : Types.CSharp(it);
                    var raw = m.In.Count > 0 ? RandomInRanges(m.In)
                        : Types.IsSigned(it) ? RT + "StructRandom.NextSigned(random, " + I(Types.Bits(it)) + ")"
                        : RT + "StructRandom.NextBits(random, " + I(Types.Bits(it)) + ")";
                    value = "(" + cs + ")unchecked((" + Types.CSharp(it) + ")" + raw + ")";
                    break;
                }

                case TypeKind.F64:
                    value = RT + "StructRandom.NextDouble(random)";
                    break;
                case TypeKind.Bytes:
                case TypeKind.Char:
                case TypeKind.Text:
                {
                    var len = t.Length!;
                    if (len.Kind == LengthKind.Fixed)
                    {
                        value = RT + "StructRandom.NextBytes(random, " + I(len.Count) + ")";
                    }
                    else if (len.Kind == LengthKind.Tail)
                    {
                        value = RT + "StructRandom.NextBytes(random, random.Next(0, 24))";
                    }
                    else
                    {
                        var kmin = len.Add < 0 ? (-len.Add + len.Mul - 1) / len.Mul : 0;
                        value = RT + "StructRandom.NextBytes(random, (int)(random.Next(" + I(kmin) + ", " + I(kmin + 5) + ") * " + I(len.Mul) + "L + " + I(len.Add) + "L))";
                    }

                    break;
                }

                case TypeKind.Array:
                    value = RT + "StructRandom.NextArray<" + t.Name + ">(random, " + enclosedBounded + ", static (r, l) => " + t.Name + ".Generate(r, l))";
                    break;
                case TypeKind.Named:
                {
                    var isLast = m == p.Fields[p.Fields.Count - 1] ? enclosedBounded : "false";
                    value = t.Name + ".Generate(random, " + isLast + ")";
                    if (m.If is not null)
                    {
                        value = "random.Next(2) == 0 ? null : " + value;
                    }

                    break;
                }

                default:
                    value = "default!";
                    break;
            }

            w.Line("    " + prop + " = " + value + ",");
        }

        w.Line("};");
        w.Close();
    }

    private static string RandomInRanges(Toolkit.Generators.Common.EquatableArray<ValueRange> ranges) =>
        RT + "StructRandom.NextInRanges(random, new long[] { " + string.Join(", ", ranges.Select(r => Types.LLit(r.Low))) + " }, new long[] { " + string.Join(", ", ranges.Select(r => Types.LLit(r.High))) + " })";
}
