using System.Collections.Generic;
using System.Linq;
using Toolkit.Generators.Structs.Model;
using Toolkit.Generators.Structs.Parsing;

namespace Toolkit.Generators.Structs.Emit;

internal sealed partial class Emitter
{
    private void EmitUnionReader(CodeWriter w, Decl d)
    {
        var n = d.Name;
        var kind = n + "Kind";
        var sel = d.Selector!;
        w.Doc("The variants of " + n + ".", string.Empty);
        w.Line(GeneratedCode);
        w.Open("public enum " + kind);
        foreach (var c in d.Cases)
        {
            w.Doc(c.Doc.Length > 0 ? c.Doc : Lookup(c.Variant)!.Doc, c.Variant + ".");
            w.Line(c.Variant + ",");
        }

        w.Close();
        w.Line();
        w.Doc("Zero-copy reader of the union " + n + ": " + FirstLine(d.Doc), "Zero-copy reader of " + n + ".");
        w.Line(GeneratedCode);
        w.Open("public readonly ref struct " + n + "Reader");
        w.Line("private readonly " + Span + " _data;");
        w.Line("private readonly " + kind + " _kind;");
        w.Line();
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Open("private " + n + "Reader(" + Span + " data, " + kind + " kind)");
        w.Line("_data = data;");
        w.Line("_kind = kind;");
        w.Close();
        w.Line();
        w.Doc("Which variant the record is.", string.Empty);
        w.Line("public " + kind + " Kind => _kind;");
        w.Line();
        EmitReaderSizeAndBytes(w);
        EmitReaderReadMethods(w, n, selectsVariant: true);
        w.Doc("Checks the record at the start of data and returns its size.", string.Empty);
        w.Line("/// <param name=\"data\">The data.</param>");
        w.Line("/// <param name=\"size\">The size on success.</param>");
        w.Line("/// <param name=\"error\">The error on failure.</param>");
        w.Line("/// <returns>True when valid.</returns>");
        w.Line("internal static bool Validate(" + Span + " data, out int size, out " + RT + "DecodeError error) => Validate(data, out size, out _, out error);");
        w.Line();
        w.Doc("Selects the variant, checks the record at the start of data and returns its size.", string.Empty);
        w.Line("/// <param name=\"data\">The data.</param>");
        w.Line("/// <param name=\"size\">The size on success.</param>");
        w.Line("/// <param name=\"kind\">The variant on success.</param>");
        w.Line("/// <param name=\"error\">The error on failure.</param>");
        w.Line("/// <returns>True when valid.</returns>");
        w.Open("internal static bool Validate(" + Span + " data, out int size, out " + kind + " kind, out " + RT + "DecodeError error)");
        var need = sel.Offset + Types.Bytes(sel.IntType);
        w.Line("size = 0;");
        w.Line("kind = default;");
        w.Open("if (data.Length < " + I(need) + ")");
        w.Line("return Fail(out error, data.Length, \"\", \"truncated before the selector\");");
        w.Close();
        w.Line();
        var mask = sel.Mask == -1 ? string.Empty : " & " + Types.ULit(sel.Mask);
        w.Line("var selector = (unchecked((ulong)" + Types.ReadExpr(sel.IntType, "data.Slice(" + I(sel.Offset) + ")") + ") >> " + I(sel.Shift) + ")" + mask + ";");
        w.Open("if (!TrySelect(selector, out kind))");
        w.Line("return Fail(out error, " + I(sel.Offset) + ", \"\", \"unknown variant selector\");");
        w.Close();
        w.Line();
        w.Open("switch (kind)");
        foreach (var c in d.Cases)
        {
            w.Line("case " + kind + "." + c.Variant + ":");
            w.Line("    return " + c.Variant + "Reader.Validate(data, out size, out error);");
        }

        w.Line("default:");
        w.Line("    return Fail(out error, " + I(sel.Offset) + ", \"\", \"unknown variant selector\");");
        w.Close();
        w.Close();
        w.Line();
        EmitErrorHelpers(w, d);
        EmitFastCheck(w, d);
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Open("private static bool TrySelect(ulong selector, out " + kind + " kind)");
        w.Open("switch (selector)");
        UnionCase? def = null;
        foreach (var c in d.Cases)
        {
            if (c.IsDefault)
            {
                def = c;
                continue;
            }

            foreach (var r in c.Ranges)
            {
                w.Line(r.Low == r.High ? "case " + Types.ULit(r.Low) + ":" : "case >= " + Types.ULit(r.Low) + " and <= " + Types.ULit(r.High) + ":");
            }

            w.Line("    kind = " + kind + "." + c.Variant + ";");
            w.Line("    return true;");
        }

        w.Line("default:");
        w.Line(def is not null ? "    kind = " + kind + "." + def.Variant + ";" : "    kind = default;");
        w.Line("    return " + (def is not null ? "true" : "false") + ";");
        w.Close();
        w.Close();
        w.Line();
        w.Doc("Wraps validated bytes of exactly one record (selects the variant again, no checks).", string.Empty);
        w.Line("/// <param name=\"data\">The record's bytes.</param>");
        w.Line("/// <returns>The reader.</returns>");
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Open("internal static " + n + "Reader CreateUnchecked(" + Span + " data)");
        w.Line("TrySelect((unchecked((ulong)" + Types.ReadExpr(sel.IntType, "data.Slice(" + I(sel.Offset) + ")") + ") >> " + I(sel.Shift) + ")" + mask + ", out var kind);");
        w.Line("return new " + n + "Reader(data, kind);");
        w.Close();
        w.Line();
        foreach (var c in d.Cases)
        {
            var v = c.Variant;
            w.Doc("The record as a " + v + "; throws InvalidOperationException for another kind.", string.Empty);
            w.Line("/// <returns>The variant reader.</returns>");
            w.Line(Inline);
            w.Open("public " + v + "Reader As" + v + "()");
            w.Open("if (_kind != " + kind + "." + v + ")");
            w.Line("ThrowNotA(" + Str(v) + ");");
            w.Close();
            w.Line();
            w.Line("return new " + v + "Reader(_data);");
            w.Close();
            w.Line();
            w.Doc("Gets the record as a " + v + " when it is one.", string.Empty);
            w.Line("/// <param name=\"reader\">The variant reader.</param>");
            w.Line("/// <returns>True when the record is a " + v + ".</returns>");
            w.Line(Inline);
            w.Open("public bool TryGet" + v + "(out " + v + "Reader reader)");
            EmitTryBody(w, "_kind == " + kind + "." + v, "reader", "new " + v + "Reader(_data)", "default");
            w.Close();
            w.Line();
        }

        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
        w.Line("private static void ThrowNotA(string variant) => throw new global::System.InvalidOperationException(\"The " + n + " is not a \" + variant + \".\");");
        w.Line();
        if (d.Base is not null)
        {
            var b = Lookup(d.Base)!;
            var bp = Plan(b);
            foreach (var m in bp.Fields)
            {
                var t = m.Type!;
                var off = bp.StaticOffset[m.Name]!.Value;
                var prop = Naming.Pascal(m.Name);
                if (t.Kind == TypeKind.Int || t.Kind == TypeKind.F64 || (t.Kind == TypeKind.Named && Lookup(t.Name)!.Kind == DeclKind.Enum))
                {
                    w.Doc(m.Doc, prop + ".");
                    w.Line("public " + ModelType(m) + " " + prop + " => " + ReadValue(m, "_data.Slice(" + I(off) + ")") + ";");
                    w.Line();
                }
            }

            w.Doc("The common " + b.Name + " that starts every variant.", string.Empty);
            w.Line("public " + b.Name + "Reader " + b.Name + " => new " + b.Name + "Reader(_data.Slice(0, " + I(Layout.StaticSize(b, Lookup)!.Value) + "));");
            w.Line();
        }

        w.Doc("Copies the record into its owned model (allocates).", string.Empty);
        w.Line("/// <returns>The model.</returns>");
        w.Open("public " + n + " ToModel() => _kind switch");
        foreach (var c in d.Cases)
        {
            w.Line(kind + "." + c.Variant + " => new " + c.Variant + "Reader(_data).ToModel(),");
        }

        w.Line("_ => throw new global::System.InvalidOperationException(\"Unknown " + n + " kind.\"),");
        w.Close(";");
        EmitEnumerator(w, d);
        w.Close();
    }

    private void EmitUnionModel(CodeWriter w, Decl d)
    {
        var n = d.Name;
        var kind = n + "Kind";
        w.Doc(d.Doc, n + ".");
        w.Line(GeneratedCode);
        w.Open("public abstract partial record " + n);
        w.Doc("Which variant this record is.", string.Empty);
        w.Line("public abstract " + kind + " Kind { get; }");
        w.Line();
        w.Doc("The encoded length of this record in bytes.", string.Empty);
        w.Line("/// <returns>The size.</returns>");
        w.Line("public abstract int GetSize();");
        w.Line();
        w.Doc("Encodes this record, computing derived fields.", string.Empty);
        w.Line("/// <param name=\"destination\">At least GetSize() bytes.</param>");
        w.Line("/// <returns>The number of bytes written.</returns>");
        w.Line("public abstract int Write(" + WSpan + " destination);");
        w.Line();
        EmitModelToArray(w);
        EmitModelReadMethods(w, n, string.Empty);
        var greedy = d.Cases.Where(c => Layout.IsGreedy(Lookup(c.Variant)!, Lookup)).Select(c => c.Variant).ToList();
        w.Doc("Creates a random valid model of a random variant (property tests).", string.Empty);
        w.Line("/// <param name=\"random\">The random source.</param>");
        w.Line("/// <param name=\"last\">Whether the record may run to the end of the enclosing data.</param>");
        w.Line("/// <returns>The model.</returns>");
        w.Open("internal static " + n + " Generate(global::System.Random random, bool last)");
        w.Line(n + "? model = null;");
        w.Open("for (var attempt = 0; attempt < 64; attempt++)");
        w.Line("var pick = random.Next(" + I(d.Cases.Count) + ");");
        if (greedy.Count > 0)
        {
            var idx = d.Cases.Select((c, i) => (c, i)).Where(x => greedy.Contains(x.c.Variant)).Select(x => "pick == " + I(x.i));
            w.Open("if (!last && (" + string.Join(" || ", idx) + "))");
            w.Line("continue;");
            w.Close();
            w.Line();
        }

        w.Open("model = pick switch");
        for (var i = 0; i < d.Cases.Count; i++)
        {
            w.Line((i == d.Cases.Count - 1 ? "_" : I(i)) + " => " + d.Cases[i].Variant + ".Generate(random, last),");
        }

        w.Close(";");
        w.Line("var bytes = model.ToArray();");
        w.Open("if (" + n + "Reader.TryRead(bytes, out var reader, out _) && reader.Kind == model.Kind && reader.Size == bytes.Length)");
        w.Line("return model;");
        w.Close();
        w.Close();
        w.Line();
        var fallback = d.Cases.FirstOrDefault(c => !greedy.Contains(c.Variant)) ?? d.Cases[0];
        w.Line("return model ?? " + fallback.Variant + ".Generate(random, last);");
        w.Close();
        w.Close();
        _ = greedy;
    }
}
