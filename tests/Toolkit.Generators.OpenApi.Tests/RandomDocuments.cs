using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// Random OpenAPI documents for the generator's invariant: valid, odd and broken constructs mixed (dangling and
/// cyclic $refs, undeclared path parameters, unions of every shape, mismatched defaults, every parameter place and
/// style, every body kind), with names and texts drawn from a pool of hostile strings.
/// </summary>
internal static class RandomDocuments
{
    /// <summary>Fragments that break C# if they reach generated code unescaped.</summary>
    public static readonly string[] Hostile =
    {
        "\n", "\r\n", "\r", "\u2028", "\u2029", "\u0085", "*/", "/*", "//", "</summary>", "<see cref=\"x\"/>", "\"", "\\", "#", "#if X",
        "{", "}", "}\npublic static class Injected { public const int Pwned = 42; }\n//", "'", "&", "@", "$", "0", "class", "é", "😀", "\t",
        " ", "a", "b-c", "_", "\0", "\u001b", "\uFFFF", "\"u8", "{0}", "\\u0041",
    };

    private static readonly string[] Names = { "a", "A", "id", "Id", "job_id", "class", "Value", "ReadJson", "1st", "x-y", "status", "Client", "string", "Equals", "kind" };

    public static string HostileString(Random rnd, bool noBraces = false)
    {
        var n = rnd.Next(1, 4);
        var s = string.Concat(Enumerable.Range(0, n).Select(_ => Hostile[rnd.Next(Hostile.Length)]));
        return noBraces ? new string(s.Where(c => c is not ('{' or '}' or '/' or '%' or '?' or '#')).ToArray()) : s;
    }

    private static string Name(Random rnd) => rnd.Next(5) == 0 ? HostileString(rnd) : Names[rnd.Next(Names.Length)];

    private static string Text(Random rnd) => rnd.Next(3) == 0 ? HostileString(rnd) : "text " + rnd.Next(100);

    public static string Document(Random rnd)
    {
        var components = Enumerable.Range(0, rnd.Next(1, 6)).Select(_ => Name(rnd)).Distinct(StringComparer.Ordinal).ToList();
        var doc = new JsonObject
        {
            ["openapi"] = rnd.Next(2) == 0 ? "3.0.3" : "3.1.0",
            ["info"] = Info(rnd),
        };
        if (rnd.Next(2) == 0)
        {
            doc["servers"] = new JsonArray(new JsonObject { ["url"] = rnd.Next(3) == 0 ? "https://{host}/api" + HostileString(rnd, noBraces: true) : "/v1", ["description"] = Text(rnd), ["variables"] = new JsonObject { ["host"] = new JsonObject { ["default"] = HostileString(rnd, noBraces: true) + "h" } } });
        }

        var paths = new JsonObject();
        for (var i = rnd.Next(0, 4); i > 0; i--)
        {
            var p = "/p" + i + (rnd.Next(2) == 0 ? "/{" + Names[rnd.Next(Names.Length)] + "}" : string.Empty);
            paths[p] = PathItem(rnd, components, p);
        }

        doc["paths"] = paths;
        var schemas = new JsonObject();
        foreach (var c in components)
        {
            schemas[c] = Schema(rnd, components, 0);
        }

        doc["components"] = new JsonObject
        {
            ["schemas"] = schemas,
            ["securitySchemes"] = new JsonObject
            {
                [Name(rnd)] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["description"] = Text(rnd) },
                [Name(rnd) + "k"] = new JsonObject { ["type"] = "apiKey", ["in"] = rnd.Next(2) == 0 ? "header" : "query", ["name"] = Text(rnd) },
            },
        };
        if (rnd.Next(3) == 0)
        {
            doc["x-toolkit-errors"] = new JsonObject
            {
                ["root"] = rnd.Next(2) == 0 ? "ApiErr" : Name(rnd),
                ["messageProperty"] = Text(rnd),
                ["types"] = new JsonObject { ["NotFound"] = new JsonObject { ["description"] = Text(rnd) }, [Name(rnd) + "X"] = new JsonObject { ["base"] = Name(rnd) } },
                ["statuses"] = new JsonObject { ["404"] = "NotFound", ["4XX"] = Name(rnd) },
            };
        }

        return doc.ToJsonString();
    }

    private static JsonObject Info(Random rnd)
    {
        var info = new JsonObject { ["title"] = Text(rnd), ["version"] = Text(rnd), ["description"] = Text(rnd) };
        if (rnd.Next(3) == 0)
        {
            info["x-toolkit-name"] = Name(rnd);
        }

        return info;
    }

    private static JsonNode Ref(Random rnd, List<string> components)
    {
        var target = rnd.Next(6) == 0 ? "Missing" : components[rnd.Next(components.Count)];
        return new JsonObject { ["$ref"] = "#/components/schemas/" + Uri.EscapeDataString(target.Replace("~", "~0").Replace("/", "~1")) };
    }

    private static JsonNode Schema(Random rnd, List<string> components, int depth)
    {
        var kind = depth > 3 ? rnd.Next(3) : rnd.Next(12);
        JsonObject s;
        switch (kind)
        {
            case 0:
                s = new JsonObject { ["type"] = new[] { "string", "integer", "number", "boolean" }[rnd.Next(4)] };
                if (rnd.Next(2) == 0)
                {
                    s["format"] = new[] { "date-time", "date", "uuid", "byte", "binary", "int32", "int64", "float", "decimal", Text(rnd) }[rnd.Next(10)];
                }

                break;
            case 1:
                return Ref(rnd, components);
            case 2:
                s = new JsonObject { ["enum"] = rnd.Next(3) switch { 0 => new JsonArray(Text(rnd), Text(rnd), Name(rnd)), 1 => new JsonArray(1, -2, 3), _ => new JsonArray("a", 1, null) } };
                if (rnd.Next(2) == 0)
                {
                    s["x-enum-varnames"] = new JsonArray(Name(rnd), Name(rnd), Name(rnd));
                    s["x-enum-descriptions"] = new JsonArray(Text(rnd), Text(rnd), Text(rnd));
                }

                break;
            case 3:
            case 4:
                s = new JsonObject { ["type"] = "object" };
                var props = new JsonObject();
                var names = new List<string>();
                for (var i = rnd.Next(0, 5); i > 0; i--)
                {
                    var n = Name(rnd);
                    if (!props.ContainsKey(n))
                    {
                        props[n] = Schema(rnd, components, depth + 1);
                        names.Add(n);
                    }
                }

                s["properties"] = props;
                if (names.Count > 0 && rnd.Next(2) == 0)
                {
                    s["required"] = new JsonArray(names.Take(rnd.Next(names.Count + 1)).Append(rnd.Next(4) == 0 ? "absent" : names[0]).Distinct().Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
                }

                if (rnd.Next(3) == 0)
                {
                    s["additionalProperties"] = rnd.Next(2) == 0 ? JsonValue.Create(rnd.Next(2) == 0) : Schema(rnd, components, depth + 1);
                }

                break;
            case 5:
                s = new JsonObject { ["type"] = "array", ["items"] = Schema(rnd, components, depth + 1) };
                break;
            case 6:
            case 7:
                var branches = new JsonArray(Enumerable.Range(0, rnd.Next(1, 4)).Select(_ => (JsonNode?)Schema(rnd, components, depth + 1)).ToArray());
                if (rnd.Next(3) == 0)
                {
                    branches.Add(new JsonObject { ["type"] = "null" });
                }

                s = new JsonObject { [rnd.Next(2) == 0 ? "oneOf" : "anyOf"] = branches };
                if (rnd.Next(3) == 0)
                {
                    s["discriminator"] = new JsonObject { ["propertyName"] = Name(rnd), ["mapping"] = new JsonObject { [Text(rnd)] = components[rnd.Next(components.Count)] } };
                }

                break;
            case 8:
                s = new JsonObject { ["allOf"] = new JsonArray(Ref(rnd, components), Schema(rnd, components, depth + 1)) };
                break;
            case 9:
                s = new JsonObject { ["type"] = new JsonArray(new[] { "string", "integer", "number", "boolean", "array", "object", "null" }.OrderBy(_ => rnd.Next()).Take(rnd.Next(1, 4)).Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()) };
                break;
            case 10:
                s = new JsonObject { ["additionalProperties"] = Schema(rnd, components, depth + 1) };
                break;
            default:
                s = new JsonObject();
                break;
        }

        if (rnd.Next(4) == 0)
        {
            s["nullable"] = true;
        }

        if (rnd.Next(3) == 0)
        {
            s["description"] = Text(rnd);
        }

        if (rnd.Next(5) == 0)
        {
            s["title"] = Text(rnd);
        }

        if (rnd.Next(5) == 0)
        {
            s["default"] = rnd.Next(4) switch { 0 => JsonValue.Create(Text(rnd)), 1 => JsonValue.Create(rnd.Next(-5, 5)), 2 => JsonValue.Create(true), _ => JsonValue.Create(1.5) };
        }

        if (rnd.Next(8) == 0)
        {
            s[new[] { "readOnly", "writeOnly", "deprecated" }[rnd.Next(3)]] = true;
        }

        if (rnd.Next(6) == 0)
        {
            s["example"] = Text(rnd);
        }

        return s;
    }

    private static JsonObject PathItem(Random rnd, List<string> components, string path)
    {
        var item = new JsonObject();
        foreach (var method in new[] { "get", "post", "put", "delete", "patch" }.Where(_ => rnd.Next(3) == 0).DefaultIfEmpty("get"))
        {
            var op = new JsonObject { ["summary"] = Text(rnd), ["description"] = Text(rnd) };
            if (rnd.Next(3) != 0)
            {
                op["operationId"] = Name(rnd);
            }

            var parameters = new JsonArray();
            var brace = path.IndexOf('{', StringComparison.Ordinal);
            if (brace >= 0 && rnd.Next(5) != 0)
            {
                parameters.Add(new JsonObject { ["name"] = path[(brace + 1)..^1], ["in"] = "path", ["required"] = true, ["schema"] = Schema(rnd, components, 3) });
            }

            for (var i = rnd.Next(0, 4); i > 0; i--)
            {
                var where = new[] { "query", "header", "cookie", "query" }[rnd.Next(4)];
                var prm = new JsonObject { ["name"] = Name(rnd) + i, ["in"] = where, ["description"] = Text(rnd), ["required"] = rnd.Next(2) == 0, ["schema"] = Schema(rnd, components, 2) };
                if (rnd.Next(4) == 0)
                {
                    prm["style"] = new[] { "form", "deepObject", "spaceDelimited", "simple", "matrix" }[rnd.Next(5)];
                    prm["explode"] = rnd.Next(2) == 0;
                }

                parameters.Add(prm);
            }

            op["parameters"] = parameters;
            if (method is "post" or "put" or "patch" && rnd.Next(3) != 0)
            {
                var media = new[] { "application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data", "application/octet-stream", "application/vnd.x+json" }[rnd.Next(6)];
                op["requestBody"] = new JsonObject { ["description"] = Text(rnd), ["required"] = rnd.Next(2) == 0, ["content"] = new JsonObject { [media] = new JsonObject { ["schema"] = Schema(rnd, components, 1) } } };
            }

            var responses = new JsonObject();
            foreach (var status in new[] { "200", "201", "204", "2XX", "404", "4XX", "default" }.Where(_ => rnd.Next(3) == 0).DefaultIfEmpty("200"))
            {
                var response = new JsonObject { ["description"] = Text(rnd) };
                if (status != "204" && rnd.Next(4) != 0)
                {
                    var media = new[] { "application/json", "text/plain", "application/octet-stream" }[rnd.Next(3)];
                    response["content"] = new JsonObject { [media] = new JsonObject { ["schema"] = Schema(rnd, components, 1) } };
                }

                if (rnd.Next(5) == 0)
                {
                    response[rnd.Next(2) == 0 ? "x-toolkit-none" : "x-toolkit-error"] = rnd.Next(2) == 0 ? JsonValue.Create(true) : JsonValue.Create(Name(rnd));
                }

                responses[status] = response;
            }

            op["responses"] = responses;
            item[method] = op;
        }

        return item;
    }
}
