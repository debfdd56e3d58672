using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.Generators.OpenApi.Emit;

/// <summary>Emits the client class, its options, request records and service exception types.</summary>
internal static class ClientEmitter
{
    private const string Rt = JsonCode.Rt;
    private const string Task = "global::System.Threading.Tasks.Task";
    private const string Ct = "global::System.Threading.CancellationToken";

    public static string Emit(ClientModel c)
    {
        var w = new CodeWriter();
        var code = new JsonCode(c.Namespace);
        var options = c.ClientName + "Options";

        w.Line("/// <summary>Options of <see cref=\"" + c.ClientName + "\"/>.</summary>");
        w.Line(ModelEmitter.GeneratedCode);
        w.Open("public sealed partial class " + options + " : " + Rt + "ApiClientOptions");
        w.Close();
        w.Line();

        EmitExceptions(w, c);

        foreach (var op in c.Operations.Where(o => o.RequestRecordName is not null))
        {
            EmitRequestRecord(w, code, c, op);
        }

        foreach (var op in c.Operations.Where(o => o.Body is { Kind: BodyKind.Multipart }))
        {
            MultipartEmitter.EmitPartsRecord(w, code, c, op);
        }

        var title = c.Title ?? c.ClientName;
        w.Line("/// <summary>");
        w.Line("/// Client of " + CSharp.XmlDoc(title) + (c.Version is null ? string.Empty : " (version " + CSharp.XmlDoc(c.Version) + ")") + ".");
        if (c.Description is not null)
        {
            foreach (var l in CSharp.Lines(c.Description))
            {
                w.Line(("/// " + CSharp.XmlDoc(l).TrimEnd()).TrimEnd());
            }
        }

        w.Line("/// </summary>");
        w.Line("/// <remarks>");
        w.Line("/// The caller owns the <see cref=\"global::System.Net.Http.HttpClient\"/>; put retry, logging, user agent and");
        w.Line("/// credentials in its handler pipeline. Instances are thread-safe.");
        w.Line("/// </remarks>");
        w.Line(ModelEmitter.GeneratedCode);
        w.Open("public sealed partial class " + c.ClientName);
        if (c.DefaultServer is not null)
        {
            w.Line("/// <summary>The first server URL of the document, used when no base address is configured.</summary>");
            w.Line("public const string DefaultServer = " + CSharp.Literal(c.DefaultServer) + ";");
            w.Line();
        }

        foreach (var a in c.AuthHeaders)
        {
            w.Line("/// <summary>The header that carries the <c>" + CSharp.XmlDoc(a.SchemeName) + "</c> credentials" + (a.Description is null ? string.Empty : ": " + CSharp.XmlDoc(a.Description)) + ".</summary>");
            w.Line("public const string " + a.SchemeName + "HeaderName = " + CSharp.Literal(a.HeaderName) + ";");
            w.Line();
        }

        w.Line("private readonly global::System.Net.Http.HttpClient _http;");
        w.Line("private readonly " + options + " _options;");
        w.Line("private readonly global::System.Uri _baseAddress;");
        w.Line();
        w.Line("/// <summary>Creates a client over a caller-owned HttpClient.</summary>");
        w.Line("/// <param name=\"httpClient\">The HttpClient (with the handlers the service needs).</param>");
        w.Line("/// <param name=\"options\">Options; defaults when null.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">No base address is configured anywhere.</exception>");
        w.Open("public " + c.ClientName + "(global::System.Net.Http.HttpClient httpClient, " + options + "? options = null)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(httpClient);");
        w.Line("_http = httpClient;");
        w.Line("_options = options ?? new " + options + "();");
        w.Line("_baseAddress = " + Rt + "ApiTransport.ResolveBaseAddress(_options.BaseAddress, httpClient.BaseAddress, " + (c.DefaultServer is null ? "null" : "DefaultServer") + ");");
        w.Close();
        w.Line();
        w.Line("/// <summary>The base address requests are sent to.</summary>");
        w.Line("public global::System.Uri BaseAddress => _baseAddress;");

        foreach (var op in c.Operations)
        {
            w.Line();
            EmitOperation(w, code, c, op, stream: false);
            if (StreamingEmitter.Applies(op))
            {
                w.Line();
                EmitOperation(w, code, c, op, stream: true);
            }
        }

        w.Line();
        EmitCreateException(w, c);
        w.Close();
        return ModelEmitter.Header(c.Namespace) + w.ToString();
    }

    private static void EmitExceptions(CodeWriter w, ClientModel c)
    {
        if (c.Errors is not { } e)
        {
            return;
        }

        EmitException(w, e.RootName, e.RootBase ?? Rt + "ApiException", "The root of the errors of " + CSharp.XmlDoc(c.Title ?? c.ClientName) + ".");
        foreach (var x in e.Exceptions)
        {
            EmitException(w, x.Name, x.BaseName ?? e.RootName, x.Description is null ? "A " + CSharp.XmlDoc(c.ClientName) + " error." : CSharp.XmlDoc(x.Description));
        }
    }

    private static void EmitException(CodeWriter w, string name, string baseName, string summaryXml)
    {
        w.Line("/// <summary>" + summaryXml.Replace("\n", " ") + "</summary>");
        w.Line(ModelEmitter.GeneratedCode);
        w.Open("public class " + name + " : " + baseName);
        w.Line("/// <summary>Creates an exception with no details.</summary>");
        w.Open("public " + name + "()");
        w.Close();
        w.Line();
        w.Line("/// <summary>Creates an exception with a message.</summary>");
        w.Line("/// <param name=\"message\">The message.</param>");
        w.Line("public " + name + "(string message)");
        w.Line("    " + ": base(message)");
        w.Line("{");
        w.Line("}");
        w.Line();
        w.Line("/// <summary>Creates an exception with a message and a cause.</summary>");
        w.Line("/// <param name=\"message\">The message.</param>");
        w.Line("/// <param name=\"innerException\">The cause.</param>");
        w.Line("public " + name + "(string message, global::System.Exception? innerException)");
        w.Line("    " + ": base(message, innerException)");
        w.Line("{");
        w.Line("}");
        w.Line();
        w.Line("/// <summary>Creates an exception for a failed call.</summary>");
        w.Line("/// <param name=\"message\">The server's message.</param>");
        w.Line("/// <param name=\"details\">The call's status, headers and body.</param>");
        w.Line("/// <param name=\"innerException\">The cause, if any.</param>");
        w.Line("public " + name + "(string message, " + Rt + "ApiErrorDetails details, global::System.Exception? innerException = null)");
        w.Line("    " + ": base(message, details, innerException)");
        w.Line("{");
        w.Line("}");
        w.Close();
        w.Line();
    }

    private static string ParamType(JsonCode code, ParameterModel p)
        => code.Type(p.Type) + (p.In == ParameterLocation.Path || (p.Required && !p.Type.Nullable) ? string.Empty : "?");

    private static string BodyType(JsonCode code, BodyModel b) => b.Kind switch
    {
        BodyKind.Raw => "global::System.Net.Http.HttpContent",
        BodyKind.Binary => "global::System.IO.Stream",
        BodyKind.Text => "string",
        _ => code.Type(b.Type ?? TypeRef.Json),
    } + (b.Required ? string.Empty : "?");

    private static void EmitRequestRecord(CodeWriter w, JsonCode code, ClientModel c, OperationModel op)
    {
        w.Line("/// <summary>The inputs of <see cref=\"" + c.ClientName + "." + op.Name + "Async\"/>.</summary>");
        w.Line(ModelEmitter.GeneratedCode);
        w.Open("public sealed partial record " + op.RequestRecordName);
        foreach (var p in op.Parameters)
        {
            w.DocTag("summary", p.Description ?? ("The " + p.In.ToString().ToLowerInvariant() + " parameter '" + p.WireName + "'."));
            w.Line("public " + (p.Required ? "required " : string.Empty) + ParamType(code, p) + " " + p.PropertyName + " { get; init; }");
            w.Line();
        }

        if (op.Body is { } b)
        {
            w.DocTag("summary", b.Description ?? "The request body (" + b.MediaType + ").");
            w.Line("public " + (b.Required ? "required " : string.Empty) + BodyType(code, b) + " Body { get; init; }");
        }

        w.Close();
        w.Line();
    }

    private static string ResultType(JsonCode code, OperationModel op)
    {
        var t = op.ResultKind switch
        {
            BodyKind.None => "object",
            BodyKind.Text => "string",
            BodyKind.Binary => "global::System.IO.Stream",
            _ => code.Type(op.ResultType ?? TypeRef.Json),
        };
        return t + (op.ResultNullable || op.ResultKind == BodyKind.None ? "?" : string.Empty);
    }

    private static void EmitOperation(CodeWriter w, JsonCode code, ClientModel c, OperationModel op, bool stream)
    {
        var record = op.RequestRecordName;
        var args = new List<string>();
        var docs = new List<(string Name, string Text)>();
        string Expr(ParameterModel p) => record is null ? p.ArgName : "request." + p.PropertyName;
        var bodyExpr = record is null ? "body" : "request.Body";
        if (record is not null)
        {
            args.Add(record + " request");
            docs.Add(("request", "The inputs."));
        }
        else
        {
            foreach (var p in op.Parameters.Where(p => p.Required))
            {
                args.Add(ParamType(code, p) + " " + p.ArgName);
                docs.Add((p.ArgName, p.Description ?? "The " + p.In.ToString().ToLowerInvariant() + " parameter '" + p.WireName + "'."));
            }

            if (op.Body is { Required: true } rb)
            {
                args.Add(BodyType(code, rb) + " body");
                docs.Add(("body", rb.Description ?? "The request body (" + rb.MediaType + ")."));
            }

            foreach (var p in op.Parameters.Where(p => !p.Required))
            {
                args.Add(ParamType(code, p) + " " + p.ArgName + " = null");
                var def = p.DefaultLiteral is null ? string.Empty : " Server default: " + p.DefaultLiteral + ".";
                docs.Add((p.ArgName, (p.Description ?? "The " + p.In.ToString().ToLowerInvariant() + " parameter '" + p.WireName + "'.") + def + " Not sent when null."));
            }

            if (op.Body is { Required: false } ob)
            {
                args.Add(BodyType(code, ob) + " body = null");
                docs.Add(("body", (ob.Description ?? "The request body (" + ob.MediaType + ").") + " Not sent when null."));
            }
        }

        args.Add(stream ? StreamingEmitter.CancellationParameter : Ct + " cancellationToken = default");
        docs.Add(("cancellationToken", "Cancels the call."));
        var callList = new List<string>();
        if (record is not null)
        {
            callList.Add("request");
        }
        else
        {
            callList.AddRange(op.Parameters.Where(p => p.Required).Select(p => p.ArgName));
            if (op.Body is { Required: true })
            {
                callList.Add("body");
            }

            callList.AddRange(op.Parameters.Where(p => !p.Required).Select(p => p.ArgName));
            if (op.Body is { Required: false })
            {
                callList.Add("body");
            }
        }

        callList.Add("cancellationToken");
        var callArgs = string.Join(", ", callList);

        var result = ResultType(code, op);
        var summary = op.Summary ?? op.Description ?? (op.Method + " " + op.Path);
        void OpDocs(bool withResponse)
        {
            w.DocTag("summary", stream ? StreamingEmitter.Summary(summary) : summary + (withResponse ? " Returns the status code and headers with the value." : string.Empty));
            var remarks = op.Summary is not null && op.Description is not null && op.Description != op.Summary ? op.Description + "\n" : string.Empty;
            w.DocTag("remarks", remarks + op.Method + " " + op.Path + " (operation " + op.OperationId + ").");
            foreach (var (name, text) in docs)
            {
                w.DocTag("param", text, " name=\"" + name.TrimStart('@') + "\"");
            }

            var returns = stream ? StreamingEmitter.Returns : op.ResultKind switch
            {
                BodyKind.None => withResponse ? "The status and headers (no body)." : null,
                BodyKind.Binary => "The response body as a stream; dispose it to release the connection.",
                _ => "The decoded response body" + (op.ResultNullable ? " (null for a response without body)" : string.Empty) + ".",
            };
            if (returns is not null)
            {
                w.DocTag("returns", returns);
            }

            w.Line("/// <exception cref=\"" + (c.Errors?.RootName ?? Rt + "ApiException") + "\">The service answered with an error status (the message is the server's).</exception>");
            if (op.Deprecated)
            {
                w.Line("[global::System.Obsolete(\"Deprecated by the service.\")]");
            }
        }

        // Plain form.
        if (!stream)
        {
            EmitPlain(w, op, args, callArgs, result, OpDocs);
        }

        // WithResponse form, or the streaming form.
        OpDocs(!stream);
        var apiResponse = Rt + "ApiResponse<" + result + ">";
        w.Open(stream ? StreamingEmitter.Signature(code, op, string.Join(", ", args)) : "public async " + Task + "<" + apiResponse + "> " + op.Name + "WithResponseAsync(" + string.Join(", ", args) + ")");
        if (record is not null)
        {
            w.Line("global::System.ArgumentNullException.ThrowIfNull(request);");
        }
        else
        {
            foreach (var p in op.Parameters.Where(p => !p.Type.IsValueType && (p.In == ParameterLocation.Path || (p.Required && !p.Type.Nullable))))
            {
                w.Line("global::System.ArgumentNullException.ThrowIfNull(" + p.ArgName + ");");
            }

            if (op.Body is { Required: true } rb2 && (rb2.Kind != BodyKind.Json || rb2.Type is not { IsValueType: true }))
            {
                w.Line("global::System.ArgumentNullException.ThrowIfNull(body);");
            }
        }

        w.Line("using var __activity = " + Rt + "ApiDiagnostics.StartOperation(" + CSharp.Literal(c.ClientName) + ", " + CSharp.Literal(op.OperationId) + ", " + CSharp.Literal(op.Method) + ", " + CSharp.Literal(op.Path) + ");");
        w.Line("var __uri = new " + Rt + "ApiUriBuilder(_baseAddress);");
        EmitPath(w, code, op, Expr);
        ParameterEmitter.Emit(w, code, op.Parameters, ParameterLocation.Query, Expr);
        w.Line("using var __request = new global::System.Net.Http.HttpRequestMessage(new global::System.Net.Http.HttpMethod(" + CSharp.Literal(op.Method) + "), __uri.ToUri());");
        ParameterEmitter.Emit(w, code, op.Parameters, ParameterLocation.Header, Expr);
        ParameterEmitter.Emit(w, code, op.Parameters, ParameterLocation.Cookie, Expr);

        var accept = op.Responses.Where(r => r.MediaType is not null).Select(r => r.MediaType!).Distinct().ToList();
        if (accept.Count > 0)
        {
            w.Line(Rt + "ApiTransport.Accept(__request, " + string.Join(", ", accept.Select(CSharp.Literal)) + ");");
        }

        if (op.Body is { } body)
        {
            EmitBody(w, code, c, body, bodyExpr);
        }

        w.Line("var __response = await _http.SendAsync(__request, global::System.Net.Http.HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);");
        w.Line("var __dispose = true;");
        w.Open("try");
        w.Line("var __status = (int)__response.StatusCode;");
        if (stream)
        {
            StreamingEmitter.EmitSuccess(w, code, op);
        }
        else
        {
            EmitSuccess(w, code, op, result, apiResponse);
        }

        foreach (var r in op.Responses.Where(r => r.None && !r.IsSuccess))
        {
            w.Open("if (" + StatusCondition(r.Status) + ")");
            w.Line(Rt + "ApiDiagnostics.SetStatus(__activity, __status, true);");
            w.Line(stream ? "yield break;" : "return new " + apiResponse + "(__status, " + Rt + "ApiHeaders.From(__response), default);");
            w.Close();
            w.Line();
        }

        EmitError(w, code, c, op);
        w.Close();
        w.Open("finally");
        w.Open("if (__dispose)");
        w.Line("__response.Dispose();");
        w.Close();
        w.Close();
        w.Close();
    }

    private static void EmitPlain(CodeWriter w, OperationModel op, List<string> args, string callArgs, string result, Action<bool> docs)
    {
        docs(false);
        var plainReturn = op.ResultKind == BodyKind.None ? Task : Task + "<" + result + ">";
        w.Open("public async " + plainReturn + " " + op.Name + "Async(" + string.Join(", ", args) + ")");
        if (op.ResultKind == BodyKind.None)
        {
            w.Line("await " + op.Name + "WithResponseAsync(" + callArgs + ").ConfigureAwait(false);");
        }
        else
        {
            w.Line("var response = await " + op.Name + "WithResponseAsync(" + callArgs + ").ConfigureAwait(false);");
            w.Line("return response.Value;");
        }

        w.Close();
        w.Line();
    }

    private static void EmitPath(CodeWriter w, JsonCode code, OperationModel op, Func<ParameterModel, string> expr)
    {
        var path = op.Path;
        var pos = 0;
        var literal = new System.Text.StringBuilder();
        while (pos < path.Length)
        {
            var open = path.IndexOf('{', pos);
            if (open < 0)
            {
                literal.Append(path.Substring(pos));
                break;
            }

            literal.Append(path.Substring(pos, open - pos));
            var close = path.IndexOf('}', open);
            if (close < 0)
            {
                literal.Append(path.Substring(open));
                break;
            }

            if (literal.Length > 0)
            {
                w.Line("__uri.AppendLiteral(" + CSharp.Literal(literal.ToString()) + ");");
                literal.Clear();
            }

            var name = path.Substring(open + 1, close - open - 1);
            var p = op.Parameters.First(x => x.In == ParameterLocation.Path && x.WireName == name);
            ParameterEmitter.EmitPath(w, code, p, expr(p));
            pos = close + 1;
        }

        if (literal.Length > 0)
        {
            w.Line("__uri.AppendLiteral(" + CSharp.Literal(literal.ToString()) + ");");
        }
    }

    private static void EmitBody(CodeWriter w, JsonCode code, ClientModel c, BodyModel b, string expr)
    {
        var v = b.Required ? expr : "b_";
        if (!b.Required)
        {
            w.Open("if (" + expr + " is { } b_)");
        }

        var media = CSharp.Literal(b.MediaType);
        switch (b.Kind)
        {
            case BodyKind.Json:
            {
                var t = (b.Type ?? TypeRef.Json).WithNullable(false);
                w.Line("__request.Content = " + Rt + "ApiTransport.BytesContent(" + JsonCode.ApiJson + ".Serialize(" + v + ", " + code.WriteFunc(t, 1) + "), " + media + ");");
                break;
            }

            case BodyKind.Text:
                w.Line("__request.Content = " + Rt + "ApiTransport.TextContent(" + v + ", " + media + ");");
                break;
            case BodyKind.Binary:
                w.Line("__request.Content = " + Rt + "ApiTransport.StreamContent(" + v + ", " + media + ");");
                break;
            case BodyKind.Form:
                ParameterEmitter.EmitForm(w, code, b.FormFields, v);
                w.Line("__request.Content = __form.ToFormContent(" + media + ");");
                break;
            case BodyKind.Multipart:
                MultipartEmitter.EmitContent(w, code, b, v);
                break;
            default:
                w.Line("__request.Content = " + v + ";");
                break;
        }

        if (!b.Required)
        {
            w.Close();
        }
    }

    private static string StatusCondition(string status)
    {
        if (status.Length == 3 && status[1] == 'X')
        {
            var d = status[0] - '0';
            return "__status >= " + (d * 100).ToString(CultureInfo.InvariantCulture) + " && __status <= " + ((d * 100) + 99).ToString(CultureInfo.InvariantCulture);
        }

        return "__status == " + status;
    }

    private static void EmitSuccess(CodeWriter w, JsonCode code, OperationModel op, string result, string apiResponse)
    {
        w.Open("if (__status >= 200 && __status <= 299)");
        w.Line(Rt + "ApiDiagnostics.SetStatus(__activity, __status, true);");
        var empty = op.Responses.Where(r => r.IsSuccess && (r.None || r.Kind == BodyKind.None)).ToList();
        if (op.ResultKind != BodyKind.None && empty.Count > 0)
        {
            w.Open("if (" + string.Join(" || ", empty.Select(r => StatusCondition(r.Status))) + ")");
            w.Line("return new " + apiResponse + "(__status, " + Rt + "ApiHeaders.From(__response), default);");
            w.Close();
            w.Line();
        }

        switch (op.ResultKind)
        {
            case BodyKind.None:
                w.Line("return new " + apiResponse + "(__status, " + Rt + "ApiHeaders.From(__response), null);");
                break;
            case BodyKind.Text:
                w.Line("using var __textBody = await " + Rt + "ApiTransport.ReadBodyAsync(__response, _options, cancellationToken).ConfigureAwait(false);");
                w.Line("var __text = " + Rt + "ApiTransport.Text(__textBody);");
                w.Line("return new " + apiResponse + "(__status, " + Rt + "ApiHeaders.From(__response), __text);");
                break;
            case BodyKind.Binary:
                w.Line("var __stream = await __response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);");
                w.Line("__dispose = false;");
                w.Line("return new " + apiResponse + "(__status, " + Rt + "ApiHeaders.From(__response), __stream);");
                break;
            default:
            {
                var t = op.ResultType ?? TypeRef.Json;
                // The body is decoded from a pooled buffer, returned when the block ends (an ApiException keeps its own copy).
                w.Line("using var __body = await " + Rt + "ApiTransport.ReadBodyAsync(__response, _options, cancellationToken).ConfigureAwait(false);");
                if (op.ResultNullable)
                {
                    w.Open("if (__body.Length == 0)");
                    w.Line("return new " + apiResponse + "(__status, " + Rt + "ApiHeaders.From(__response), default);");
                    w.Close();
                    w.Line();
                }

                var noneBodies = op.Responses.Where(r => r.IsSuccess).SelectMany(r => r.NoneBodies).Distinct().ToList();
                if (noneBodies.Count > 0)
                {
                    w.Open("if (" + JsonCode.ApiJson + ".IsOneOf(__body.Span, " + string.Join(", ", noneBodies.Select(CSharp.Literal)) + "))");
                    w.Line("return new " + apiResponse + "(__status, " + Rt + "ApiHeaders.From(__response), default);");
                    w.Close();
                    w.Line();
                }

                w.Line("var __value = " + Rt + "ApiTransport.ParseBody(__response, " + CSharp.Literal(op.OperationId) + ", __body, " + code.ReadFunc(t.WithNullable(op.ResultNullable || t.Nullable), 1) + ");");
                w.Line("return new " + apiResponse + "(__status, " + Rt + "ApiHeaders.From(__response), __value);");
                break;
            }
        }

        w.Close();
        w.Line();
        _ = result;
    }

    private static void EmitError(CodeWriter w, JsonCode code, ClientModel c, OperationModel op)
    {
        // The exception keeps the error body, so it is copied out of the pooled buffer (the rare path).
        w.Line("byte[] __errorBytes;");
        w.Open("using (var __errorBody = await " + Rt + "ApiTransport.ReadBodyAsync(__response, _options, cancellationToken).ConfigureAwait(false))");
        w.Line("__errorBytes = __errorBody.ToArray();");
        w.Close();
        w.Line();
        w.Line("object? __error = null;");
        var typed = op.Responses.Where(r => !r.IsSuccess && !r.None && r.Kind == BodyKind.Json && r.Type is not null).ToList();
        var ordered = typed.Where(r => r.Status.Length == 3 && r.Status[1] != 'X')
            .Concat(typed.Where(r => r.Status.Length == 3 && r.Status[1] == 'X'))
            .Concat(typed.Where(r => r.Status == "default")).ToList();
        if (ordered.Count > 0)
        {
            w.Open("switch (__status)");
            foreach (var r in ordered)
            {
                var label = r.Status == "default" ? "default:" : r.Status[1] == 'X'
                    ? "case >= " + ((r.Status[0] - '0') * 100).ToString(CultureInfo.InvariantCulture) + " and <= " + (((r.Status[0] - '0') * 100) + 99).ToString(CultureInfo.InvariantCulture) + ":"
                    : "case " + r.Status + ":";
                w.Open(label);
                w.Line("__error = " + JsonCode.ApiJson + ".TryParse(__errorBytes, " + code.ReadFunc(r.Type!.WithNullable(false), 1) + ", out var __e) ? " + (r.Type!.IsValueType ? "(object?)__e" : "__e") + " : null;");
                w.Line("break;");
                w.Close();
            }

            w.Close();
            w.Line();
        }

        w.Line("var __details = " + Rt + "ApiTransport.Details(__response, " + CSharp.Literal(op.OperationId) + ", __errorBytes, __error);");
        w.Line("var __message = " + Rt + "ApiTransport.Message(__details, " + (c.Errors?.MessageProperty is { } mp ? CSharp.Literal(mp) : "null") + ");");
        w.Line(Rt + "ApiDiagnostics.SetStatus(__activity, __status, false);");
        var overrides = op.Responses.Where(r => r.ExceptionType is not null && r.Status != "default").ToList();
        var fallback = "CreateException(__message, __details)";
        var defaultOverride = op.Responses.FirstOrDefault(r => r.ExceptionType is not null && r.Status == "default");
        if (overrides.Count == 0 && defaultOverride is null)
        {
            w.Line("throw " + Rt + "ApiTransport.Failed(_options.Logger, " + fallback + ");");
            return;
        }

        if (overrides.Count == 0)
        {
            w.Line("throw " + Rt + "ApiTransport.Failed(_options.Logger, new global::" + c.Namespace + "." + defaultOverride!.ExceptionType + "(__message, __details));");
            return;
        }

        var exact = overrides.Where(r => r.Status[1] != 'X').Concat(overrides.Where(r => r.Status[1] == 'X'));
        w.Line(Rt + "ApiException __exception = __status switch");
        w.Line("{");
        foreach (var r in exact)
        {
            var pattern = r.Status[1] == 'X'
                ? ">= " + ((r.Status[0] - '0') * 100).ToString(CultureInfo.InvariantCulture) + " and <= " + (((r.Status[0] - '0') * 100) + 99).ToString(CultureInfo.InvariantCulture)
                : r.Status;
            w.Line("    " + pattern + " => new global::" + c.Namespace + "." + r.ExceptionType + "(__message, __details),");
        }

        w.Line("    _ => " + (defaultOverride is not null ? "new global::" + c.Namespace + "." + defaultOverride.ExceptionType + "(__message, __details)" : fallback) + ",");
        w.Line("};");
        w.Line("throw " + Rt + "ApiTransport.Failed(_options.Logger, __exception);");
    }

    private static void EmitCreateException(CodeWriter w, ClientModel c)
    {
        w.Line("/// <summary>Maps a failed status to the exception type the document declares for it.</summary>");
        w.Open("private static " + Rt + "ApiException CreateException(string message, " + Rt + "ApiErrorDetails details)");
        if (c.Errors is not { } e)
        {
            w.Line("return new " + Rt + "ApiException(message, details);");
            w.Close();
            return;
        }

        var exact = e.Statuses.Where(s => s.Status != "default" && s.Status[1] != 'X').ToList();
        var ranges = e.Statuses.Where(s => s.Status != "default" && s.Status[1] == 'X').ToList();
        var def = e.Statuses.FirstOrDefault(s => s.Status == "default");
        w.Line("return details.StatusCode switch");
        w.Line("{");
        foreach (var s in exact)
        {
            w.Line("    " + s.Status + " => new global::" + c.Namespace + "." + s.ExceptionName + "(message, details),");
        }

        foreach (var s in ranges)
        {
            var d = s.Status[0] - '0';
            w.Line("    >= " + (d * 100).ToString(CultureInfo.InvariantCulture) + " and <= " + ((d * 100) + 99).ToString(CultureInfo.InvariantCulture) + " => new global::" + c.Namespace + "." + s.ExceptionName + "(message, details),");
        }

        w.Line("    _ => new global::" + c.Namespace + "." + (def?.ExceptionName ?? e.RootName) + "(message, details),");
        w.Line("};");
        w.Close();
    }
}
