using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Toolkit.Generators.Structs.Model;
using Toolkit.Generators.Structs.Parsing;

namespace Toolkit.Generators.Structs.Emit;

internal sealed partial class Emitter
{
    private void EmitAccessors(CodeWriter w, StructPlan p)
    {
        var d = p.Decl;
        string? prevOff = null;
        string? prevSize = null;
        var names = new HashSet<string>(d.Members.SelectMany(m => m.Type is { Kind: TypeKind.Bits } bt ? bt.Bits.Select(b => Naming.Pascal(b.Name)).Append(Naming.Pascal(m.Name)) : new[] { Naming.Pascal(m.Name) }), System.StringComparer.Ordinal);
        foreach (var m in p.Fields)
        {
            var t = m.Type!;
            var prop = Naming.Pascal(m.Name);
            var off = p.ReaderOffset[m.Name];
            if (p.StaticOffset[m.Name] is null)
            {
                w.Line("private int " + off + " => " + prevOff + " + " + prevSize + ";");
                w.Line();
            }

            var doc = m.Doc + (p.Derived.ContainsKey(m.Name) ? "\n(Derived: computed by the writer.)" : string.Empty);
            switch (t.Kind)
            {
                case TypeKind.Int:
                case TypeKind.F64:
                    w.Doc(doc, prop + ".");
                    w.Line("public " + ModelType(m) + " " + prop + " => " + ReadValue(m, "_data.Slice(" + off + ")") + ";");
                    break;
                case TypeKind.Bits:
                {
                    w.Doc(doc, prop + " (the whole bit word).");
                    w.Line("public " + Types.CSharp(t.IntType) + " " + prop + " => " + Types.ReadExpr(t.IntType, "_data.Slice(" + off + ")") + ";");
                    var shift = 0;
                    foreach (var b in t.Bits)
                    {
                        w.Line();
                        w.Doc(b.Doc, Naming.Pascal(b.Name) + ".");
                        w.Line("public " + BitType(b) + " " + Naming.Pascal(b.Name) + " => " + BitRead(prop, t.IntType, b, shift) + ";");
                        shift += b.Width;
                    }

                    break;
                }

                case TypeKind.Named:
                {
                    var nd = Lookup(t.Name)!;
                    if (nd.Kind == DeclKind.Enum)
                    {
                        w.Doc(doc, prop + ".");
                        w.Line("public " + t.Name + " " + prop + " => " + ReadValue(m, "_data.Slice(" + off + ")") + ";");
                        break;
                    }

                    var ss = Layout.StaticSize(nd, Lookup);
                    var slice = ss is null ? "_data.Slice(" + off + ")" : "_data.Slice(" + off + ", " + I(ss.Value) + ")";
                    var create = nd.Kind == DeclKind.Union ? t.Name + "Reader.Read(" + slice + ")" : "new " + t.Name + "Reader(" + slice + ")";
                    if (m.If is not null)
                    {
                        var has = "Has" + prop;
                        if (!names.Contains(has))
                        {
                            w.Doc("True when " + prop + " is present.", string.Empty);
                            w.Line("public bool " + has + " => " + Presence(p, m) + ";");
                            w.Line();
                        }

                        w.Doc(doc + "\nThrows InvalidOperationException when absent (see " + has + ").", prop + ".");
                        w.Line("public " + t.Name + "Reader " + prop + " => " + (names.Contains(has) ? has : Presence(p, m)) + " ? " + create + " : throw new global::System.InvalidOperationException(\"" + d.Name + "." + m.Name + " is absent.\");");
                    }
                    else
                    {
                        w.Doc(doc, prop + ".");
                        w.Line("public " + t.Name + "Reader " + prop + " => " + create + ";");
                    }

                    break;
                }

                case TypeKind.Bytes:
                case TypeKind.Char:
                case TypeKind.Text:
                {
                    var len = t.Length!;
                    var slice = len.Kind == LengthKind.Tail ? "_data.Slice(" + off + ")" : "_data.Slice(" + off + ", " + ReaderSizeExpr(p, m) + ")";
                    w.Doc(doc, prop + ".");
                    w.Line("public " + Span + " " + prop + " => " + slice + ";");
                    if (t.Kind != TypeKind.Bytes)
                    {
                        w.Line();
                        w.Doc("Decodes " + prop + " as UTF-8" + (t.Kind == TypeKind.Char ? " up to the first NUL" : string.Empty) + " (allocates).", string.Empty);
                        w.Line("/// <returns>The text.</returns>");
                        w.Line("public string Get" + prop + "String() => " + RT + "TextScan.ToUtf8String(" + (t.Kind == TypeKind.Char ? RT + "BigEndian.UntilNul(" + prop + ")" : prop) + ");");
                    }

                    if (m.As is not null)
                    {
                        w.Line();
                        w.Doc(prop + " parsed as " + m.As + " (no allocation).", string.Empty);
                        w.Line("public " + m.As + "Text " + prop + "Text => " + m.As + "Text.Parse(" + prop + ");");
                    }

                    break;
                }

                case TypeKind.Array:
                    w.Doc(doc, prop + ".");
                    w.Line("public " + t.Name + "Reader.Enumerator " + prop + " => new " + t.Name + "Reader.Enumerator(_data.Slice(" + off + "));");
                    break;
            }

            w.Line();
            prevOff = off;
            prevSize = ReaderSizeExpr(p, m);
        }

        foreach (var m in d.Members.Where(x => x.IsComputed))
        {
            w.Doc(m.Doc, Naming.Pascal(m.Name) + ".");
            w.Line("public " + ComputedType(m.ComputedType) + " " + Naming.Pascal(m.Name) + " => " + EmitExpr(p, m.Computed!, ComputedType(m.ComputedType)) + ";");
            w.Line();
        }
    }

    private string BitType(BitMember b) => b.EnumType ?? Types.BitsCSharp(b.Width);

    private static string BitRead(string word, string wordType, BitMember b, int shift)
    {
        var mask = b.Width >= 64 ? ulong.MaxValue : (1UL << b.Width) - 1;
        var v = "(((ulong)" + word + " >> " + shift.ToString(CultureInfo.InvariantCulture) + ") & 0x" + mask.ToString("X", CultureInfo.InvariantCulture) + "UL)";
        _ = wordType;
        if (b.EnumType is not null)
        {
            return "(" + b.EnumType + ")" + v;
        }

        return b.Width == 1 ? "(" + v + " != 0)" : "(" + Types.BitsCSharp(b.Width) + ")" + v;
    }

    private static string ComputedType(string t) => t == "bool" ? "bool" : t == "f64" ? "double" : Types.CSharp(t);

    /// <summary>C# for a computed expression; operands of members are converted to the working type.</summary>
    private string EmitExpr(StructPlan p, Expr e, string result)
    {
        var work = result == "bool" ? "long" : result == "double" ? "double" : result.StartsWith("u", System.StringComparison.Ordinal) || result == "byte" ? "ulong" : "long";
        var s = Expr(p, e, work);
        return IsComparison(e) || result == "bool" ? "(" + s + ")" : "unchecked((" + result + ")(" + s + "))";
    }

    private static bool IsComparison(Expr e) => e.Op is "==" or "!=" or "<" or "<=" or ">" or ">=";

    private string Expr(StructPlan p, Expr e, string work)
    {
        switch (e.Op)
        {
            case "lit":
                return work == "ulong" ? Types.ULit(e.Value) : work == "double" ? e.Value.ToString(CultureInfo.InvariantCulture) + "d" : Types.LLit(e.Value);
            case "ref":
            {
                var name = Naming.Pascal(e.Name);
                if (p.Bits.TryGetValue(e.Name, out var b) && b.Bit.Width == 1 && b.Bit.EnumType is null)
                {
                    return "(" + name + " ? (" + work + ")1 : (" + work + ")0)";
                }

                return "unchecked((" + work + ")" + name + ")";
            }

            case "neg":
                return "unchecked(-" + Expr(p, e.Left!, work) + ")";
            default:
            {
                var l = Expr(p, e.Left!, work);
                var r = Expr(p, e.Right!, work);
                if (e.Op is "<<" or ">>")
                {
                    return "unchecked(" + l + " " + e.Op + " (int)(" + r + "))";
                }

                if (IsComparison(e))
                {
                    return "(" + l + " " + e.Op + " " + r + ")";
                }

                return "unchecked(" + l + " " + e.Op + " " + r + ")";
            }
        }
    }

    private void EmitToModel(CodeWriter w, StructPlan p)
    {
        var d = p.Decl;
        w.Doc("Copies the record into its owned model (allocates).", string.Empty);
        w.Line("/// <returns>The model.</returns>");
        w.Open("public " + d.Name + " ToModel()");
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
                    if (!p.Derived.ContainsKey(b.Name) && b.Const is null)
                    {
                        w.Line("    " + Naming.Pascal(b.Name) + " = " + Naming.Pascal(b.Name) + ",");
                    }
                }

                continue;
            }

            if (!InModel(p, m))
            {
                continue;
            }

            switch (t.Kind)
            {
                case TypeKind.Bytes:
                case TypeKind.Char:
                case TypeKind.Text:
                    w.Line("    " + prop + " = " + RT + "ByteString.CopyFrom(" + prop + "),");
                    break;
                case TypeKind.Array:
                    w.Line("    " + prop + " = ReadAll" + prop + "(" + prop + "),");
                    break;
                case TypeKind.Named when Lookup(t.Name)!.Kind != DeclKind.Enum:
                    if (m.If is not null)
                    {
                        var has = "Has" + prop;
                        w.Line("    " + prop + " = " + (d.Members.Any(x => Naming.Pascal(x.Name) == has) || p.Bits.Keys.Any(x => Naming.Pascal(x) == has) ? has : Presence(p, m)) + " ? " + prop + ".ToModel() : null,");
                    }
                    else
                    {
                        w.Line("    " + prop + " = " + prop + ".ToModel(),");
                    }

                    break;
                default:
                    w.Line("    " + prop + " = " + prop + ",");
                    break;
            }
        }

        w.Line("};");
        w.Close();
        foreach (var m in p.Fields.Where(x => x.Type!.Kind == TypeKind.Array))
        {
            var prop = Naming.Pascal(m.Name);
            var et = m.Type!.Name;
            w.Line();
            w.Open("private static " + RT + "ValueArray<" + et + "> ReadAll" + prop + "(" + et + "Reader.Enumerator items)");
            w.Line("var list = new global::System.Collections.Generic.List<" + et + ">();");
            w.Open("foreach (var item in items)");
            w.Line("list.Add(item.ToModel());");
            w.Close();
            w.Line();
            w.Line("return " + RT + "ValueArray.From(list);");
            w.Close();
        }
    }

    private static bool InModel(StructPlan p, Member m) => !m.IsComputed && m.Const is null && !p.Derived.ContainsKey(m.Name) && m.Type!.Kind != TypeKind.Bits;
}
