namespace Toolkit.Generators.Structs.Emit;

/// <summary>The members that struct and union readers and models share, emitted by one helper each.</summary>
internal sealed partial class Emitter
{
    /// <summary>The reader's <c>Size</c> and <c>Bytes</c> over its <c>_data</c>.</summary>
    private static void EmitReaderSizeAndBytes(CodeWriter w)
    {
        w.Doc("The encoded length of the record in bytes.", string.Empty);
        w.Line("public int Size => _data.Length;");
        w.Line();
        w.Doc("The record's bytes.", string.Empty);
        w.Line("public " + Span + " Bytes => _data;");
        w.Line();
    }

    /// <summary>
    /// The reader's static <c>TryRead</c> and <c>Read</c>. A union reader (<paramref name="selectsVariant"/>) also gets
    /// the variant from <c>Validate</c> and passes it to its constructor.
    /// </summary>
    private static void EmitReaderReadMethods(CodeWriter w, string n, bool selectsVariant)
    {
        var validates = selectsVariant ? "Selects the variant and validates" : "Validates";
        w.Doc(validates + " the record at the start of data; never throws.", string.Empty);
        w.Line("/// <param name=\"data\">The encoded record, possibly followed by other bytes.</param>");
        w.Line("/// <param name=\"reader\">The reader on success.</param>");
        w.Line("/// <param name=\"error\">Where and why decoding failed.</param>");
        w.Line("/// <returns>True on success.</returns>");
        w.Open("public static bool TryRead(" + Span + " data, out " + n + "Reader reader, out " + RT + "DecodeError error)");
        EmitTryBody(
            w,
            selectsVariant ? "Validate(data, out var size, out var kind, out error)" : "Validate(data, out var size, out error)",
            "reader",
            "new " + n + "Reader(data.Slice(0, size)" + (selectsVariant ? ", kind)" : ")"),
            "default");
        w.Close();
        w.Line();
        w.Doc(validates + " the record at the start of data.", string.Empty);
        w.Line("/// <param name=\"data\">The encoded record, possibly followed by other bytes.</param>");
        w.Line("/// <returns>The reader.</returns>");
        w.Line("/// <exception cref=\"global::Toolkit.Runtime.Binary.BinaryFormatException\">The data is not a valid " + n + ".</exception>");
        w.Open("public static " + n + "Reader Read(" + Span + " data)");
        w.Open("if (!TryRead(data, out var reader, out var error))");
        w.Line("throw new " + RT + "BinaryFormatException(error);");
        w.Close();
        w.Line();
        w.Line("return reader;");
        w.Close();
        w.Line();
    }

    /// <summary>The model's <c>ToArray</c>.</summary>
    private static void EmitModelToArray(CodeWriter w)
    {
        w.Doc("Encodes the record into a new array.", string.Empty);
        w.Line("/// <returns>The bytes.</returns>");
        w.Open("public byte[] ToArray()");
        w.Line("var bytes = new byte[GetSize()];");
        w.Line("Write(bytes);");
        w.Line("return bytes;");
        w.Close();
        w.Line();
    }

    /// <summary>
    /// The model's static <c>Read</c> and <c>TryRead</c>, through its reader. <paramref name="hide"/> is <c>"new "</c>
    /// where a union variant's <c>Read</c> hides the union's.
    /// </summary>
    private static void EmitModelReadMethods(CodeWriter w, string n, string hide)
    {
        w.Doc("Reads a record into a model.", string.Empty);
        w.Line("/// <param name=\"data\">The encoded record.</param>");
        w.Line("/// <returns>The model.</returns>");
        w.Line("/// <exception cref=\"global::Toolkit.Runtime.Binary.BinaryFormatException\">The data is not a valid " + n + ".</exception>");
        w.Line("public static " + hide + n + " Read(" + Span + " data) => " + n + "Reader.Read(data).ToModel();");
        w.Line();
        w.Doc("Reads a record into a model without throwing.", string.Empty);
        w.Line("/// <param name=\"data\">The encoded record.</param>");
        w.Line("/// <param name=\"model\">The model on success.</param>");
        w.Line("/// <param name=\"error\">The error on failure.</param>");
        w.Line("/// <returns>True on success.</returns>");
        w.Open("public static bool TryRead(" + Span + " data, [global::System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out " + n + "? model, out " + RT + "DecodeError error)");
        EmitTryBody(w, n + "Reader.TryRead(data, out var reader, out error)", "model", "reader.ToModel()", "null");
        w.Close();
        w.Line();
    }

    /// <summary>
    /// The body of a Try method: when <paramref name="condition"/> holds, <paramref name="output"/> gets
    /// <paramref name="value"/> and it returns true; otherwise <paramref name="output"/> gets <paramref name="none"/> and it returns false.
    /// </summary>
    private static void EmitTryBody(CodeWriter w, string condition, string output, string value, string none)
    {
        w.Open("if (" + condition + ")");
        w.Line(output + " = " + value + ";");
        w.Line("return true;");
        w.Close();
        w.Line();
        w.Line(output + " = " + none + ";");
        w.Line("return false;");
    }
}
