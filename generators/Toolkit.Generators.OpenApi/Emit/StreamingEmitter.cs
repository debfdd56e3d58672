using System.Linq;
using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.Generators.OpenApi.Emit;

/// <summary>
/// The streaming form of an operation whose success body is a top-level JSON array: <c>{Name}StreamAsync</c> returns
/// <c>IAsyncEnumerable&lt;T&gt;</c> and decodes the items as the body arrives (Runtime <c>ApiStreaming</c>), so a
/// listing of any size is read with the memory of one item. The request is built as in the other forms
/// (<see cref="ClientEmitter"/> emits it with the stream flag); only the signature and the success branch differ.
/// </summary>
internal static class StreamingEmitter
{
    private const string Rt = JsonCode.Rt;

    /// <summary>Whether the operation gets a streaming form: its one success type is a JSON array.</summary>
    public static bool Applies(OperationModel op)
        => op.ResultKind == BodyKind.Json && op.ResultType is { Kind: TypeKind.Array, Element: not null };

    /// <summary>The method name of the streaming form.</summary>
    public static string MethodName(OperationModel op) => op.Name + "StreamAsync";

    /// <summary>The item type, <c>?</c> included when the schema's items may be null.</summary>
    public static string ItemType(JsonCode code, OperationModel op) => code.Nullable(op.ResultType!.Element!);

    /// <summary>The cancellation parameter of an async iterator.</summary>
    public const string CancellationParameter = "[global::System.Runtime.CompilerServices.EnumeratorCancellation] global::System.Threading.CancellationToken cancellationToken = default";

    /// <summary>The method's declaration line.</summary>
    public static string Signature(JsonCode code, OperationModel op, string args)
        => "public async global::System.Collections.Generic.IAsyncEnumerable<" + ItemType(code, op) + "> " + MethodName(op) + "(" + args + ")";

    /// <summary>The summary and returns text of the streaming form.</summary>
    public static string Summary(string summary) => summary + " Streams the items of the response array one at a time.";

    /// <summary>The returns text.</summary>
    public const string Returns = "The items, decoded as the body arrives (the whole array is never held in memory; the response is released when the enumeration ends or is disposed).";

    /// <summary>The 2xx branch: empty statuses end the sequence, the body is read item by item.</summary>
    public static void EmitSuccess(CodeWriter w, JsonCode code, OperationModel op)
    {
        w.Open("if (__status >= 200 && __status <= 299)");
        w.Line(Rt + "ApiDiagnostics.SetStatus(__activity, __status, true);");
        var empty = op.Responses.Where(r => r.IsSuccess && (r.None || r.Kind == BodyKind.None)).ToList();
        if (empty.Count > 0)
        {
            w.Open("if (" + string.Join(" || ", empty.Select(r => StatusCondition(r.Status))) + ")");
            w.Line("yield break;");
            w.Close();
            w.Line();
        }

        var element = op.ResultType!.Element!;
        var nullIsEmpty = op.ResultNullable || op.Responses.Any(r => r.IsSuccess && r.NoneBodies.Contains("null"));
        w.Open("await foreach (var __item in global::System.Threading.Tasks.TaskAsyncEnumerableExtensions.ConfigureAwait(" + Rt + "ApiStreaming.ReadArrayAsync(__response, " + CSharp.Literal(op.OperationId) + ", " + code.ReadFunc(element, 1) + ", " + (nullIsEmpty ? "true" : "false") + ", _options, cancellationToken), false))");
        w.Line("yield return __item;");
        w.Close();
        w.Line();
        w.Line("yield break;");
        w.Close();
        w.Line();
    }

    private static string StatusCondition(string status)
    {
        if (status.Length == 3 && status[1] == 'X')
        {
            var d = (status[0] - '0') * 100;
            return "__status >= " + d.ToString(System.Globalization.CultureInfo.InvariantCulture) + " && __status <= " + (d + 99).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return "__status == " + status;
    }
}
