using System;
using System.Collections.Generic;
using System.Linq;
using Toolkit.Generators.Common.Json;
using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.Generators.OpenApi.Parsing;

internal sealed partial class OpenApiParser
{
    private OperationModel? ParseOperation(SourceDoc doc, string path, string method, JsonNode pathItem, JsonNode op, HashSet<string> opNames, SourceDoc? itemDoc = null)
    {
        var operationId = op.GetString("operationId");
        var baseName = operationId is not null ? Naming.Pascal(operationId) : DeriveName(method, path);
        var name = Naming.Unique(baseName, opNames);

        // Path-level parameters first; operation-level ones with the same name and location replace them.
        var rawParams = new List<(SourceDoc Doc, JsonNode Node)>();
        // The path item and the operation may come from different files: each list resolves against its own.
        foreach (var (source, sourceDoc) in new[] { (pathItem["parameters"], itemDoc ?? doc), (op["parameters"], doc) })
        {
            if (source is null)
            {
                continue;
            }

            if (source.Kind != JsonKind.Array)
            {
                Report(Diagnostics.InvalidDocument, sourceDoc, source, "'parameters' must be an array");
                continue;
            }

            foreach (var p in source.Items)
            {
                var pNode = Deref(sourceDoc, p, out var pDoc);
                if (pNode is null)
                {
                    continue;
                }

                if (!pNode.IsObject || pNode.GetString("name") is null || pNode.GetString("in") is null)
                {
                    Report(Diagnostics.InvalidDocument, sourceDoc, p, "a parameter needs 'name' and 'in'");
                    continue;
                }

                rawParams.RemoveAll(x => x.Node.GetString("name") == pNode.GetString("name") && x.Node.GetString("in") == pNode.GetString("in"));
                rawParams.Add((pDoc, pNode));
            }
        }

        var argNames = new HashSet<string>(StringComparer.Ordinal) { "cancellationToken", "body", "request", "response", "status", "headers" };
        var propNames = new HashSet<string>(StringComparer.Ordinal) { "Body" };
        var parameters = new List<ParameterModel>();
        foreach (var (pDoc, p) in rawParams)
        {
            var model = ParseParameter(pDoc, name, p, argNames, propNames);
            if (model is not null)
            {
                parameters.Add(model);
            }
        }

        // Every {name} in the template must be a path parameter.
        var pos = 0;
        while ((pos = path.IndexOf('{', pos)) >= 0)
        {
            var end = path.IndexOf('}', pos);
            if (end < 0)
            {
                break;
            }

            var pname = path.Substring(pos + 1, end - pos - 1);
            if (!parameters.Any(x => x.In == ParameterLocation.Path && x.WireName == pname))
            {
                Report(Diagnostics.InvalidDocument, doc, op, "path parameter '{" + pname + "}' of '" + path + "' is not declared; it is added as a required string");
                parameters.Add(new ParameterModel(pname, Naming.Unique(Naming.Camel(pname), argNames), Naming.Unique(Naming.Pascal(pname), propNames), ParameterLocation.Path, new TypeRef(TypeKind.String), true, false, null, null, "Simple"));
            }

            pos = end + 1;
        }

        // Required parameters come first so optional ones can have defaults.
        parameters = parameters.Where(p => p.Required).Concat(parameters.Where(p => !p.Required)).ToList();

        BodyModel? body = null;
        if (op["requestBody"] is { } rb)
        {
            var rbNode = Deref(doc, rb, out var rbDoc);
            if (rbNode is not null)
            {
                body = ParseBody(rbDoc, name, rbNode);
            }
        }

        var responses = new List<ResponseModel>();
        if (op["responses"] is { IsObject: true } resps)
        {
            foreach (var m in resps.Members)
            {
                if (!IsStatusKey(m.Name))
                {
                    if (!m.Name.StartsWith("x-", StringComparison.Ordinal))
                    {
                        Report(Diagnostics.InvalidDocument, doc, m.Value, "'" + m.Name + "' is not a response status");
                    }

                    continue;
                }

                var rNode = Deref(doc, m.Value, out var rDoc);
                if (rNode is null || !rNode.IsObject)
                {
                    continue;
                }

                responses.Add(ParseResponse(rDoc, name, m.Name, rNode));
            }
        }

        // Result type: the one type all documented 2xx bodies share.
        var successes = responses.Where(r => r.IsSuccess && !r.None).ToList();
        var bodies = successes.Where(r => r.Kind != BodyKind.None).ToList();
        var kinds = bodies.Select(r => (r.Kind, Type: r.Type?.WithNullable(false))).Distinct().ToList();
        var resultKind = BodyKind.None;
        TypeRef? resultType = null;
        var resultNullable = false;
        if (kinds.Count == 1)
        {
            resultKind = kinds[0].Kind;
            resultType = kinds[0].Type;
            resultNullable = successes.Count > bodies.Count || responses.Any(r => r.None) || bodies.Any(b => b.Type?.Nullable == true) || bodies.Any(b => b.NoneBodies.Count > 0);
        }
        else if (kinds.Count > 1)
        {
            Report(Diagnostics.AmbiguousResponses, doc, op["responses"]!, "operation '" + name + "' has success responses of different types; its result is read as ApiJsonValue");
            resultKind = BodyKind.Json;
            resultType = TypeRef.Json;
            resultNullable = successes.Count > bodies.Count || responses.Any(r => r.None);
        }

        var inputs = parameters.Count + (body is null ? 0 : 1);
        var requestRecord = inputs > _options.MaxArguments ? Naming.Unique(name + "Request", _typeNames) : null;
        return new OperationModel(
            name,
            operationId ?? name,
            method.ToUpperInvariant(),
            path,
            op.GetDoc("summary"),
            op.GetDoc("description"),
            op.GetBool("deprecated") == true,
            new EquatableArray<ParameterModel>(parameters),
            body,
            new EquatableArray<ResponseModel>(responses),
            requestRecord,
            resultKind,
            resultType,
            resultNullable);
    }

    private static string DeriveName(string method, string path)
    {
        var sb = new System.Text.StringBuilder(Naming.Pascal(method));
        foreach (var seg in path.Split('/'))
        {
            if (seg.Length == 0)
            {
                continue;
            }

            sb.Append(seg.StartsWith("{", StringComparison.Ordinal) ? "By" + Naming.Pascal(seg.Trim('{', '}')) : Naming.Pascal(seg));
        }

        return sb.ToString();
    }

    private static bool IsSimple(TypeRef t) => t.Kind switch
    {
        TypeKind.Json or TypeKind.Named or TypeKind.Map or TypeKind.Stream or TypeKind.Bytes => false,
        TypeKind.Array => t.Element is not null && t.Element.Kind is not (TypeKind.Json or TypeKind.Named or TypeKind.Map or TypeKind.Stream or TypeKind.Array or TypeKind.Bytes),
        _ => true,
    };

    private static string BareMediaType(string mt)
    {
        var semi = mt.IndexOf(';');
        return (semi >= 0 ? mt.Substring(0, semi) : mt).Trim().ToLowerInvariant();
    }

    private static bool IsJsonMedia(string mt, JsonNode media)
    {
        var bare = BareMediaType(mt);
        return media.GetBool("x-toolkit-json") ?? (bare is "application/json" or "text/json" || bare.EndsWith("+json", StringComparison.Ordinal));
    }

    private BodyModel? ParseBody(SourceDoc doc, string opName, JsonNode rb)
    {
        var required = rb.GetBool("required") == true;
        var description = rb.GetDoc("description");
        if (rb["content"] is not { IsObject: true } content || content.Members.Count == 0)
        {
            Report(Diagnostics.InvalidDocument, doc, rb, "requestBody needs a non-empty 'content'");
            return null;
        }

        var json = content.Members.FirstOrDefault(m => IsJsonMedia(m.Name, m.Value));
        if (json is not null)
        {
            var type = json.Value["schema"] is { } s ? ResolveSchema(doc, s, opName + "Body") : TypeRef.Json;
            return new BodyModel(BodyKind.Json, MediaTypeToSend(json), type, required, description);
        }

        var form = content.Members.FirstOrDefault(m => BareMediaType(m.Name) == "application/x-www-form-urlencoded");
        if (form is not null)
        {
            var type = form.Value["schema"] is { } s ? ResolveSchema(doc, s, opName + "Form") : TypeRef.Json;
            if (type.Kind == TypeKind.Named && _declByName.TryGetValue(type.Name!, out var d) && d.Kind == DeclKind.Record
                && FormFields(doc, form.Value, d) is { } fields)
            {
                return new BodyModel(BodyKind.Form, MediaTypeToSend(form), type, required, description, FormFields: fields);
            }

            Report(Diagnostics.Unsupported, doc, form.Value, "form bodies must be objects of properties without binary data; the body is taken as HttpContent");
            return new BodyModel(BodyKind.Raw, MediaTypeToSend(form), null, required, description);
        }

        var multipart = content.Members.FirstOrDefault(m => BareMediaType(m.Name) == "multipart/form-data");
        if (multipart is not null && ParseMultipart(doc, opName, multipart, required, description) is { } parts)
        {
            return parts;
        }

        var text = content.Members.FirstOrDefault(m => BareMediaType(m.Name).StartsWith("text/", StringComparison.Ordinal));
        if (text is not null)
        {
            return new BodyModel(BodyKind.Text, MediaTypeToSend(text), new TypeRef(TypeKind.String), required, description);
        }

        var binary = content.Members.FirstOrDefault(m => !BareMediaType(m.Name).StartsWith("multipart/", StringComparison.Ordinal));
        if (binary is not null)
        {
            return new BodyModel(BodyKind.Binary, MediaTypeToSend(binary), new TypeRef(TypeKind.Stream), required, description);
        }

        Report(Diagnostics.Unsupported, doc, content, "multipart bodies other than multipart/form-data of an object schema are not generated; the operation takes an HttpContent you build");
        return new BodyModel(BodyKind.Raw, BareMediaType(content.Members[0].Name), null, required, description);
    }

    /// <summary>The exact Content-Type to send: the media type key (no charset added) or <c>x-toolkit-content-type</c>.</summary>
    private static string MediaTypeToSend(JsonMember media) => media.Value.GetString("x-toolkit-content-type") ?? media.Name;

    private ResponseModel ParseResponse(SourceDoc doc, string opName, string status, JsonNode r)
    {
        var isSuccess = status.StartsWith("2", StringComparison.Ordinal);
        var none = r.GetBool("x-toolkit-none") == true;
        var noneBodies = new List<string>();
        if (r["x-toolkit-none"] is { Kind: JsonKind.Array } noneList)
        {
            // A list of JSON bodies that mean "nothing" (e.g. ["null", "[]"]): the result is null for them.
            foreach (var item in noneList.Items)
            {
                if (item.IsString && item.Text is "null" or "[]" or "{}" or "\"\"")
                {
                    noneBodies.Add(item.Text!);
                }
                else
                {
                    Report(Diagnostics.InvalidExtension, doc, item, "x-toolkit-none lists the bodies meaning none: \"null\", \"[]\", \"{}\" or \"\\\"\\\"\"");
                }
            }
        }
        else if (r["x-toolkit-none"] is { } noneNode && noneNode.Kind is not (JsonKind.True or JsonKind.False))
        {
            Report(Diagnostics.InvalidExtension, doc, noneNode, "x-toolkit-none must be a boolean or a list of JSON bodies");
        }
        var description = r.GetDoc("description");
        string? exception = null;
        if (r["x-toolkit-error"] is { } xe)
        {
            if (xe.IsString && _exceptionNames.Contains(xe.Text!))
            {
                exception = xe.Text;
            }
            else
            {
                Report(Diagnostics.InvalidExtension, doc, xe, "x-toolkit-error must name an exception type declared in x-toolkit-errors.types");
            }
        }

        var kind = BodyKind.None;
        TypeRef? type = null;
        string? mediaType = null;
        if (!none && r["content"] is { IsObject: true } content && content.Members.Count > 0)
        {
            var suffix = isSuccess ? "Result" : "Error" + status;
            var json = content.Members.FirstOrDefault(m => IsJsonMedia(m.Name, m.Value));
            if (json is not null)
            {
                kind = BodyKind.Json;
                mediaType = BareMediaType(json.Name);
                type = json.Value["schema"] is { } s ? ResolveSchema(doc, s, opName + suffix) : TypeRef.Json;
            }
            else
            {
                var first = content.Members[0];
                mediaType = BareMediaType(first.Name);
                var schema = first.Value["schema"];
                var isString = schema is not null && schema.GetString("type") == "string" && schema.GetString("format") is not ("binary" or "byte");
                if (mediaType.StartsWith("text/", StringComparison.Ordinal) || isString)
                {
                    kind = BodyKind.Text;
                    type = new TypeRef(TypeKind.String);
                }
                else
                {
                    kind = BodyKind.Binary;
                    type = new TypeRef(TypeKind.Stream);
                }
            }
        }

        return new ResponseModel(status.Equals("default", StringComparison.OrdinalIgnoreCase) ? "default" : status.ToUpperInvariant(), isSuccess, kind, type, mediaType, none, description, exception, new EquatableArray<string>(noneBodies));
    }
}
