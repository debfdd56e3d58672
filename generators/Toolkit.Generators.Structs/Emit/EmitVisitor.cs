using System.Collections.Generic;
using System.Linq;
using Toolkit.Generators.Structs.Model;
using Toolkit.Generators.Structs.Parsing;

namespace Toolkit.Generators.Structs.Emit;

/// <summary>
/// <c>visitor</c> declarations: the visitor interface and its allocation-free dispatcher. The dispatcher is generic
/// over the visitor (<c>ref TVisitor</c> with <c>TVisitor : IVisitor</c>), so a struct visitor is specialised and every
/// callback is a direct call; each walked variant gets its own small method that takes the variant reader (one span,
/// passed in registers) rather than the union reader (span + kind, copied through the stack).
/// </summary>
internal sealed partial class Emitter
{
    private const string DecodeErrorType = RT + "DecodeError";

    private void EmitVisitor(CodeWriter w, VisitorDecl v)
    {
        var plan = VisitorPlan.Build(v, Lookup, null)!;
        var header = plan.Base is null ? null : HeaderParameter(plan.Base.Name);

        // ---- the interface
        w.Doc(v.Doc, "Receives the records of a " + plan.Root.Union.Name + " from " + v.Dispatcher + ".Dispatch, one call per record in wire order.");
        w.Line("/// <remarks>Generated from the schema's <c>visitor " + v.Name + "</c>. Readers are views over the dispatched bytes, valid");
        w.Line("/// only during the call. A variant the visitor does not name gets a method with an empty default body.</remarks>");
        w.Line(GeneratedCode);
        w.Open("public interface " + v.Name);
        var first = true;
        foreach (var cb in plan.Callbacks)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            var param = Param(cb, header);
            w.Doc(cb.Doc, cb.Name + ".");
            if (header is not null)
            {
                w.Line("/// <param name=\"" + header.TrimStart('@') + "\">" + CodeWriter.Escape(FirstLine(plan.Base!.Doc, "The " + plan.Base.Name + ".")) + "</param>");
            }

            w.Line("/// <param name=\"" + param.TrimStart('@') + "\">" + CodeWriter.Escape(FirstLine(cb.Record.Doc, "The " + cb.Record.Name + ".")) + " A view, valid during the call.</param>");
            var signature = "void " + cb.Name + "(" + (header is null ? string.Empty : plan.Base!.Name + "Reader " + header + ", ") + cb.Record.Name + "Reader " + param + ")";
            if (cb.IsDefault)
            {
                w.Line(signature);
                w.Line("{");
                w.Line("}");
            }
            else
            {
                w.Line(signature + ";");
            }
        }

        w.Close();
        w.Line();

        // ---- the dispatcher
        var root = plan.Root.Union;
        var hp = header is null ? string.Empty : header + ", ";
        var hdecl = header is null ? string.Empty : plan.Base!.Name + "Reader " + header + ", ";
        var constraint = "    where TVisitor : " + v.Name;

        // One Walk method per walked variant step (a variant walked at two places, with different rules, gets two).
        var walks = new Dictionary<VariantStep, string>();
        var used = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var s in AllWalked(plan.Root))
        {
            var name = "Walk" + s.Variant.Name;
            for (var n = 2; !used.Add(name); n++)
            {
                name = "Walk" + s.Variant.Name + I(n);
            }

            walks[s] = name;
        }

        w.Doc("Hands the records of a " + root.Name + " to an <see cref=\"" + v.Name + "\"/>: validates the bytes once with <see cref=\"" + root.Name + "Reader\"/>, then visits every record in wire order without allocating.", string.Empty);
        w.Line(GeneratedCode);
        w.Open("public static partial class " + v.Dispatcher);
        w.Line("/// <summary>Validates <paramref name=\"data\"/> as a " + root.Name + " and visits its records.</summary>");
        w.Line("/// <typeparam name=\"TVisitor\">The visitor type (generic so that a struct visitor is neither boxed nor called through the interface).</typeparam>");
        w.Line("/// <param name=\"data\">The bytes (may be longer than the record).</param>");
        w.Line("/// <param name=\"visitor\">Receives the records.</param>");
        w.Line("/// <param name=\"error\">Why and where decoding failed.</param>");
        w.Line("/// <returns>True when the bytes decoded; false with <paramref name=\"error\"/> set (and no record visited) otherwise.</returns>");
        w.Line("public static bool Dispatch<TVisitor>(" + Span + " data, ref TVisitor visitor, out " + DecodeErrorType + " error)");
        w.Line(constraint);
        w.Line("{");
        w.Line("    if (!" + root.Name + "Reader.TryRead(data, out " + root.Name + "Reader record, out error))");
        w.Line("    {");
        w.Line("        return false;");
        w.Line("    }");
        w.Line();
        if (header is not null)
        {
            w.Line("    " + plan.Base!.Name + "Reader " + header + " = record." + plan.Base.Name + ";");
        }

        w.Line("    switch (record.Kind)");
        w.Line("    {");
        foreach (var s in plan.Root.Variants)
        {
            w.Line("        " + CaseLabel(root, s) + ":");
            if (s.Fail is not null)
            {
                w.Line("            return Fail" + s.Variant.Name + "(out error);");
            }
            else
            {
                VariantCall(w, "            ", s, "record", hp, walks);
                w.Line("            break;");
            }
        }

        w.Line("    }");
        w.Line();
        w.Line("    return true;");
        w.Line("}");

        foreach (var s in plan.Root.Variants.Where(x => x.Fail is not null))
        {
            w.Line();
            w.Line("// Out of line, so that Dispatch has no DecodeError temporary to zero on every call.");
            w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
            w.Line("private static bool Fail" + s.Variant.Name + "(out " + DecodeErrorType + " error)");
            w.Line("{");
            w.Line("    error = new " + DecodeErrorType + "(0, " + Str(root.Name) + ", " + Str(SelectorField(root, plan.Base)) + ", " + Str(s.Fail!) + ");");
            w.Line("    return false;");
            w.Line("}");
        }

        foreach (var s in walks.Keys)
        {
            w.Line();
            w.Line("private static void " + walks[s] + "<TVisitor>(" + hdecl + s.Variant.Name + "Reader record, ref TVisitor visitor)");
            w.Line(constraint);
            w.Line("{");
            foreach (var m in s.Members!)
            {
                var prop = "record." + Naming.Pascal(m.Member.Name);
                if (m.Union is null)
                {
                    var call = "visitor." + m.Callback!.Name + "(" + hp;
                    if (m.IsArray)
                    {
                        w.Line("    foreach (" + m.Target.Name + "Reader item in " + prop + ")");
                        w.Line("    {");
                        w.Line("        " + call + "item);");
                        w.Line("    }");
                    }
                    else
                    {
                        w.Line("    " + call + prop + ");");
                    }
                }
                else
                {
                    var indent = "    ";
                    if (m.IsArray)
                    {
                        w.Line("    foreach (" + m.Target.Name + "Reader item in " + prop + ")");
                        w.Line("    {");
                        indent = "        ";
                    }
                    else
                    {
                        w.Line("    {");
                        w.Line("        " + m.Target.Name + "Reader item = " + prop + ";");
                        indent = "        ";
                    }

                    w.Line(indent + "switch (item.Kind)");
                    w.Line(indent + "{");
                    foreach (var vs in m.Union.Variants)
                    {
                        w.Line(indent + "    " + CaseLabel(m.Target, vs) + ":");
                        VariantCall(w, indent + "        ", vs, "item", hp, walks);
                        w.Line(indent + "        break;");
                    }

                    w.Line(indent + "}");
                    w.Line("    }");
                }
            }

            w.Line("}");
        }

        w.Close();
    }

    /// <summary>The callback and the walk of one variant, taken from <paramref name="union"/>.</summary>
    private static void VariantCall(CodeWriter w, string indent, VariantStep s, string union, string hp, Dictionary<VariantStep, string> walks)
    {
        var get = union + ".As" + s.Variant.Name + "()";
        if (s.Callback is not null && s.Members is not null)
        {
            w.Line(indent + "{");
            w.Line(indent + "    " + s.Variant.Name + "Reader v = " + get + ";");
            w.Line(indent + "    visitor." + s.Callback.Name + "(" + hp + "v);");
            w.Line(indent + "    " + walks[s] + "(" + hp + "v, ref visitor);");
            w.Line(indent + "}");
        }
        else if (s.Members is not null)
        {
            w.Line(indent + walks[s] + "(" + hp + get + ", ref visitor);");
        }
        else
        {
            w.Line(indent + "visitor." + s.Callback!.Name + "(" + hp + get + ");");
        }
    }

    /// <summary><c>default</c> for the union's <c>_</c> variant (as a hand-written switch would), else <c>case Kind.V</c>.</summary>
    private static string CaseLabel(Decl union, VariantStep s) => s.IsDefault ? "default" : "case " + union.Name + "Kind." + s.Variant.Name;

    private static IEnumerable<VariantStep> AllWalked(UnionWalk u)
    {
        foreach (var s in u.Variants)
        {
            if (s.Members is null)
            {
                continue;
            }

            yield return s;
            foreach (var m in s.Members)
            {
                if (m.Union is not null)
                {
                    foreach (var n in AllWalked(m.Union))
                    {
                        yield return n;
                    }
                }
            }
        }
    }

    private static string Param(VisitorCallback cb, string? header) => cb.Parameter == header ? "record" : cb.Parameter;

    /// <summary>The parameters and locals the dispatcher and its walks declare themselves.</summary>
    private static readonly HashSet<string> DispatchLocals = new(System.StringComparer.Ordinal) { "data", "visitor", "error", "record", "item", "v" };

    /// <summary>
    /// The header parameter, named after the base struct (<c>Head</c> → <c>head</c>), or with a <c>Header</c> suffix
    /// when that name is one of the dispatcher's own (a base named <c>Data</c> gives <c>dataHeader</c>).
    /// </summary>
    private static string HeaderParameter(string baseName)
    {
        var name = Naming.Camel(baseName);
        return CSharpName.Parameter(DispatchLocals.Contains(name) ? name + "Header" : name);
    }

    private static string FirstLine(string doc, string fallback) => string.IsNullOrWhiteSpace(doc) ? fallback : doc.Split('\n')[0].Trim();

    /// <summary>The base field the union's selector reads (for the error of a <c>fail</c> rule), or empty.</summary>
    private string SelectorField(Decl union, Decl? b)
    {
        if (b is null || union.Selector is null)
        {
            return string.Empty;
        }

        var offset = 0;
        foreach (var m in b.Members)
        {
            if (m.IsComputed)
            {
                continue;
            }

            if (offset == union.Selector.Offset)
            {
                return m.Name;
            }

            var size = Layout.FieldStaticSize(m, Lookup);
            if (size is null || offset > union.Selector.Offset)
            {
                break;
            }

            offset += size.Value;
        }

        return string.Empty;
    }
}
