using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Text;
using Toolkit.Generators.Common.Json;
using Toolkit.Generators.OpenApi.Model;

namespace Toolkit.Generators.OpenApi.Parsing;

/// <summary>
/// Pure OpenAPI 3.0/3.1 parser: document text (plus the texts of other AdditionalFiles for external
/// <c>$ref</c>s) → <see cref="DocumentModel"/> and positioned diagnostics. It never throws for bad input.
/// </summary>
internal sealed partial class OpenApiParser
{
    private static readonly string[] Methods = { "get", "put", "post", "delete", "options", "head", "patch", "trace" };

    private readonly string _path;
    private readonly DocumentOptions _options;
    private readonly IReadOnlyDictionary<string, string> _files;
    private readonly Dictionary<string, SourceDoc?> _docs = new(StringComparer.Ordinal);
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly List<DeclBuilder> _decls = new();
    private readonly HashSet<string> _typeNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exceptionNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TypeRef> _named = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeclBuilder> _declByName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);
    private readonly List<WrappedCase> _wrapped = new();
    private string _clientName = "ApiClient";
    private string _namespace = "Api";
    private int _quiet;
    private int _walked;
    private int _depth;
    private bool _brokenFiles;

    private OpenApiParser(string path, DocumentOptions options, IReadOnlyDictionary<string, string> files)
    {
        _path = NormalizePath(path);
        _options = options;
        _files = files;
    }

    /// <summary>Whether a file is read as YAML (by its extension) rather than JSON.</summary>
    public static bool IsYaml(string path)
        => path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a JSON or YAML file (by its extension) into a tree with source offsets.</summary>
    /// <remarks>The compiler decodes an AdditionalFile as UTF-8 and turns each invalid byte into U+FFFD, which would
    /// otherwise vanish from names silently (<c>R\xffoot</c> became <c>ROot</c>): U+FFFD is a syntax error at its position.</remarks>
    public static JsonNode ParseText(string path, string text)
    {
        var bad = text.IndexOf('\uFFFD');
        if (bad >= 0)
        {
            throw new JsonSyntaxException("the file is not valid UTF-8 (or holds U+FFFD, the replacement character) here", bad);
        }

        return IsYaml(path) ? YamlTextParser.Parse(text) : JsonTextParser.Parse(text);
    }

    /// <summary>
    /// Cheap content check: does this text declare <c>"openapi": "3.x"</c> near its start, or, in YAML, a line
    /// <c>openapi: 3.x</c> (the version plain or quoted)?
    /// </summary>
    public static bool LooksLikeOpenApi(string text)
    {
        var limit = Math.Min(text.Length, 4096);
        for (var line = 0; line < limit;)
        {
            if (string.CompareOrdinal(text, line, "openapi:", 0, 8) == 0)
            {
                var v = line + 8;
                while (v < text.Length && (text[v] == ' ' || text[v] == '\t'))
                {
                    v++;
                }

                if (v < text.Length && (text[v] == '"' || text[v] == '\''))
                {
                    v++;
                }

                if (v + 2 <= text.Length && string.CompareOrdinal(text, v, "3.", 0, 2) == 0)
                {
                    return true;
                }
            }

            var next = text.IndexOf('\n', line);
            if (next < 0)
            {
                break;
            }

            line = next + 1;
        }

        var i = text.IndexOf("\"openapi\"", 0, limit, StringComparison.Ordinal);
        if (i < 0)
        {
            return false;
        }

        i += 9;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (i >= text.Length || text[i] != ':')
        {
            return false;
        }

        i++;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i + 3 <= text.Length && string.CompareOrdinal(text, i, "\"3.", 0, 3) == 0;
    }

    /// <summary>Parses one document. <paramref name="files"/> maps normalized paths of other files to their text.</summary>
    public static DocumentModel Parse(string path, string text, DocumentOptions options, IReadOnlyDictionary<string, string>? files = null)
    {
        var parser = new OpenApiParser(path, options, files ?? new Dictionary<string, string>());
        return parser.Run(text);
    }

    /// <summary>
    /// The normalized paths of the other files this file's <c>$ref</c>s name (relative paths resolved against the
    /// file's folder, as <see cref="ResolveRef(SourceDoc, JsonNode, out SourceDoc, out string)"/> does). Empty when
    /// the text does not parse; the generator uses it to re-parse a document only when a file it depends on changes.
    /// </summary>
    public static EquatableArray<string> ExternalReferences(string path, string text)
    {
        JsonNode root;
        try
        {
            root = ParseText(path, text);
        }
        catch (JsonSyntaxException)
        {
            return EquatableArray<string>.Empty;
        }

        var found = new SortedSet<string>(StringComparer.Ordinal);
        var stack = new Stack<JsonNode>();
        var seen = new HashSet<JsonNode>(); // by reference: a YAML alias shares its node, so visit it once
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!seen.Add(node))
            {
                continue;
            }

            if (node.IsObject)
            {
                foreach (var m in node.Members)
                {
                    if (m.Name == "$ref" && m.Value.IsString && RefFile(path, m.Value.Text!) is { } file)
                    {
                        found.Add(file);
                    }

                    stack.Push(m.Value);
                }
            }
            else if (node.Kind == JsonKind.Array)
            {
                foreach (var item in node.Items)
                {
                    stack.Push(item);
                }
            }
        }

        found.Remove(NormalizePath(path));
        return new EquatableArray<string>(found);
    }

    /// <summary>The normalized path of the file a <c>$ref</c> names, or null for a local or remote reference.</summary>
    private static string? RefFile(string docPath, string reference)
    {
        var hash = reference.IndexOf('#');
        var filePart = hash >= 0 ? reference.Substring(0, hash) : reference;
        if (filePart.Length == 0 || filePart.Contains("://"))
        {
            return null;
        }

        var dir = docPath.LastIndexOf('/') >= 0 ? docPath.Substring(0, docPath.LastIndexOf('/') + 1) : string.Empty;
        return NormalizePath(filePart.StartsWith("/", StringComparison.Ordinal) ? filePart : dir + filePart);
    }

    public static string NormalizePath(string path)
    {
        var p = path.Replace('\\', '/');
        var rooted = p.StartsWith("/", StringComparison.Ordinal);
        var parts = new List<string>();
        foreach (var seg in p.Split('/'))
        {
            if (seg.Length == 0 || seg == ".")
            {
                continue;
            }

            if (seg == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(seg);
            }
        }

        return (rooted ? "/" : string.Empty) + string.Join("/", parts);
    }

    private DocumentModel Run(string text)
    {
        try
        {
            return RunCore(text);
        }
        catch (BudgetExceededException)
        {
            // Reported where the budget ran out; nothing is generated for a document over its budget.
            return Finish(null);
        }
    }

    private DocumentModel RunCore(string text)
    {
        JsonNode root;
        var mainDoc = new SourceDoc(_path, text);
        try
        {
            root = ParseText(_path, text);
        }
        catch (JsonSyntaxException ex)
        {
            Report(Diagnostics.InvalidJson, mainDoc, ex.Offset, 1, ex.Message);
            return new DocumentModel(_path, _options.HintKey ?? _path, null, EquatableArray<TypeUnit>.Empty, new EquatableArray<DiagnosticInfo>(_diagnostics));
        }

        mainDoc.Root = root;
        _docs[_path] = mainDoc;

        if (!root.IsObject)
        {
            Report(Diagnostics.InvalidDocument, mainDoc, root, "the document must be a JSON object");
            return Finish(null);
        }

        var version = root.GetString("openapi");
        if (version is null || !version.StartsWith("3.", StringComparison.Ordinal))
        {
            Report(Diagnostics.InvalidDocument, mainDoc, (JsonNode?)root["openapi"] ?? root, "'openapi' must be a 3.x version string");
            return Finish(null);
        }

        var info = root["info"];
        if (info is not { IsObject: true })
        {
            // Required by OpenAPI 3.0 and 3.1; the client is still generated (its title and version stay empty).
            Report(Diagnostics.InvalidDocument, mainDoc, info ?? root, "'info' (an object with 'title' and 'version') is required");
        }

        if (root["paths"] is null && (version.StartsWith("3.0", StringComparison.Ordinal) || (root["components"] is null && root["webhooks"] is null)))
        {
            Report(Diagnostics.InvalidDocument, mainDoc, root, version.StartsWith("3.0", StringComparison.Ordinal) ? "'paths' is required in OpenAPI 3.0" : "an OpenAPI 3.1 document needs 'paths', 'components' or 'webhooks'");
        }

        var title = info?.GetDoc("title");
        var fileStem = FileStem(_path);
        var baseName = _options.ClientName ?? info?.GetString("x-toolkit-name") ?? Naming.Pascal(fileStem);
        if (!Naming.IsIdentifier(baseName))
        {
            Report(Diagnostics.InvalidOption, mainDoc, root, "client name '" + baseName + "' is not a C# identifier; using '" + Naming.Pascal(baseName) + "'");
            baseName = Naming.Pascal(baseName);
        }

        _clientName = baseName.EndsWith("Client", StringComparison.Ordinal) ? baseName : baseName + "Client";
        var shortName = _clientName.Substring(0, _clientName.Length - "Client".Length);
        if (shortName.Length == 0)
        {
            shortName = "Api";
        }

        var ns = _options.Namespace;
        if (ns is null || !Naming.IsNamespace(ns))
        {
            if (ns is not null)
            {
                Report(Diagnostics.InvalidOption, mainDoc, root, "namespace '" + ns + "' is not a valid C# namespace; using the default");
            }

            ns = string.IsNullOrEmpty(_options.RootNamespace) || !Naming.IsNamespace(_options.RootNamespace!)
                ? shortName
                : _options.RootNamespace + "." + shortName;
        }

        _namespace = ns;
        _typeNames.Add(_clientName);
        _typeNames.Add(_clientName + "Options");

        // A type may not be named like a member it declares (CS0542): the members every generated type has.
        _typeNames.UnionWith(ReservedMembers);
        _typeNames.UnionWith(MemberNames);

        var errors = ParseErrors(mainDoc, root["x-toolkit-errors"]);
        var authHeaders = ParseSecurity(mainDoc, root);

        // Component schemas are generated even when no operation uses them.
        if (root["components"]?["schemas"] is { IsObject: true } schemas)
        {
            foreach (var m in schemas.Members)
            {
                ResolveNamed(mainDoc, "/components/schemas/" + EscapePointer(m.Name), m.Value, m.Name);
            }
        }

        var operations = new List<OperationModel>();
        var opNames = new HashSet<string>(StringComparer.Ordinal);
        var paths = root["paths"];
        if (paths is { IsObject: true })
        {
            foreach (var pathMember in paths.Members)
            {
                // A path item may live in another file (a whole-file $ref or a pointer into one); every $ref inside
                // it then resolves against that file, not against the root document.
                var item = Deref(mainDoc, pathMember.Value, out var itemDoc);
                if (item is null)
                {
                    continue;
                }

                if (!item.IsObject)
                {
                    Report(Diagnostics.InvalidDocument, itemDoc, item, "path item '" + pathMember.Name + "' must be an object");
                    continue;
                }

                foreach (var m in item.Members)
                {
                    var method = m.Name.ToLowerInvariant();
                    if (Array.IndexOf(Methods, method) < 0)
                    {
                        continue;
                    }

                    // An operation object may be a $ref too (not in the 3.0 text, but common in split documents).
                    var opNode = Deref(itemDoc, m.Value, out var opDoc);
                    if (opNode is null)
                    {
                        continue;
                    }

                    if (!opNode.IsObject)
                    {
                        Report(Diagnostics.InvalidDocument, opDoc, opNode, "operation '" + m.Name + " " + pathMember.Name + "' must be an object");
                        continue;
                    }

                    var op = ParseOperation(opDoc, pathMember.Name, method, item, opNode, opNames, itemDoc);
                    if (op is not null)
                    {
                        operations.Add(op);
                    }
                }
            }
        }
        else if (paths is not null)
        {
            Report(Diagnostics.InvalidDocument, mainDoc, paths, "'paths' must be an object");
        }

        if (_brokenFiles)
        {
            // A file the document needs is missing, unreadable or in a $ref cycle: part of the API is unknown, so
            // nothing is generated (the errors name the file and line) rather than a client with holes in it.
            return Finish(null);
        }

        var server = ParseServer(root);
        NameWrappers();
        var finalDecls = FinishDecls();
        var client = new ClientModel(
            ns,
            _clientName,
            title,
            info?.GetDoc("description"),
            info?.GetString("version"),
            server,
            new EquatableArray<OperationModel>(operations),
            errors,
            new EquatableArray<AuthHeader>(authHeaders));
        var units = finalDecls.Select(d => new TypeUnit(ns, _clientName, d, _options.HintKey ?? _path, _options.MaxSourceBytes)).ToList();
        return new DocumentModel(_path, _options.HintKey ?? _path, client, new EquatableArray<TypeUnit>(units), new EquatableArray<DiagnosticInfo>(_diagnostics), _options.MaxSourceBytes);
    }

    private DocumentModel Finish(ClientModel? client)
        => new(_path, _options.HintKey ?? _path, client, EquatableArray<TypeUnit>.Empty, new EquatableArray<DiagnosticInfo>(_diagnostics));

    private static string FileStem(string path)
    {
        var slash = path.LastIndexOf('/');
        var name = slash >= 0 ? path.Substring(slash + 1) : path;
        var dot = name.IndexOf('.');
        return dot > 0 ? name.Substring(0, dot) : name;
    }

    private static string? ParseServer(JsonNode root)
    {
        if (root["servers"] is not { Kind: JsonKind.Array } servers || servers.Items.Count == 0 || !servers.Items[0].IsObject)
        {
            return null;
        }

        var s = servers.Items[0];
        var url = s.GetString("url");
        if (url is null)
        {
            return null;
        }

        if (s["variables"] is { IsObject: true } vars)
        {
            foreach (var v in vars.Members)
            {
                if (v.Value.GetString("default") is { } def)
                {
                    url = url.Replace("{" + v.Name + "}", def);
                }
            }
        }

        return url;
    }

    private List<AuthHeader> ParseSecurity(SourceDoc doc, JsonNode root)
    {
        var list = new List<AuthHeader>();
        if (root["components"]?["securitySchemes"] is not { IsObject: true } schemes)
        {
            return list;
        }

        foreach (var m in schemes.Members)
        {
            var s = m.Value;
            if (s["$ref"] is not null)
            {
                s = Deref(doc, s, out _) ?? s;
            }

            var type = s.GetString("type");
            if (type == "apiKey" && s.GetString("in") == "header" && s.GetString("name") is { } header)
            {
                list.Add(new AuthHeader(Naming.Pascal(m.Name), header, s.GetDoc("description")));
            }
            else if (type == "http")
            {
                list.Add(new AuthHeader(Naming.Pascal(m.Name), "Authorization", s.GetDoc("description")));
            }
            else if (type == "apiKey")
            {
                Report(Diagnostics.Unsupported, doc, s, "security scheme '" + m.Name + "': only apiKey in header is described by the client (others are left to handlers)");
            }
        }

        return list;
    }

    private ErrorModel? ParseErrors(SourceDoc doc, JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (!node.IsObject)
        {
            Report(Diagnostics.InvalidExtension, doc, node, "x-toolkit-errors must be an object");
            return null;
        }

        var root = node.GetString("root") ?? _clientName.Substring(0, _clientName.Length - "Client".Length) + "Exception";
        if (!IsTypeName(root) || _typeNames.Contains(root))
        {
            Report(Diagnostics.InvalidExtension, doc, node["root"] ?? node, "x-toolkit-errors.root '" + root + "' is not a C# type name (an identifier, not all lower-case, not taken by the client)");
            root = Naming.Unique(Naming.Pascal(root), new HashSet<string>(_typeNames, StringComparer.Ordinal));
        }

        // rootBase: a type of the same namespace the root derives from (another document's root, or a hand-written
        // exception), so that the documents of one service share one exception root.
        var rootBase = node.GetString("rootBase");
        if (rootBase is not null && !Naming.IsNamespace(rootBase))
        {
            Report(Diagnostics.InvalidExtension, doc, node["rootBase"] ?? node, "x-toolkit-errors.rootBase '" + rootBase + "' is not a C# type name; the root derives from ApiException");
            rootBase = null;
        }

        _typeNames.Add(root);
        _exceptionNames.Add(root);
        var exceptions = new List<ExceptionDecl>();
        var names = new HashSet<string>(StringComparer.Ordinal) { root };
        if (node["types"] is { } types)
        {
            if (!types.IsObject)
            {
                Report(Diagnostics.InvalidExtension, doc, types, "x-toolkit-errors.types must be an object");
            }
            else
            {
                foreach (var m in types.Members)
                {
                    if (!IsTypeName(m.Name) || _typeNames.Contains(m.Name) || !names.Add(m.Name))
                    {
                        Report(Diagnostics.InvalidExtension, doc, m.Value, "exception type name '" + m.Name + "' is not a C# type name (an identifier, not all lower-case, not taken by the client) or is declared twice; ignored");
                        continue;
                    }

                    _typeNames.Add(m.Name);
                    _exceptionNames.Add(m.Name);
                    exceptions.Add(new ExceptionDecl(m.Name, m.Value.GetString("base"), m.Value.GetDoc("description")));
                }
            }
        }

        // The root cannot derive from itself or from one of the exceptions it is the root of (CS0146).
        if (rootBase is not null && names.Contains(rootBase))
        {
            Report(Diagnostics.InvalidExtension, doc, node["rootBase"] ?? node, "x-toolkit-errors.rootBase '" + rootBase + "' is an exception of this document; the root derives from ApiException");
            rootBase = null;
        }

        // Bases must be declared and acyclic; anything else falls back to the root.
        var fixedExceptions = new List<ExceptionDecl>();
        foreach (var e in exceptions)
        {
            var b = e.BaseName;
            if (b is not null && b != root && !exceptions.Any(x => x.Name == b))
            {
                Report(Diagnostics.InvalidExtension, doc, node, "exception '" + e.Name + "' has an undeclared base '" + b + "'; it derives from " + root);
                b = null;
            }

            var seen = new HashSet<string> { e.Name };
            var cur = b;
            while (cur is not null && cur != root)
            {
                if (!seen.Add(cur))
                {
                    Report(Diagnostics.InvalidExtension, doc, node, "exception '" + e.Name + "' has a cyclic base chain; it derives from " + root);
                    b = null;
                    break;
                }

                cur = exceptions.First(x => x.Name == cur).BaseName;
            }

            fixedExceptions.Add(e with { BaseName = b == root ? null : b });
        }

        var statuses = new List<StatusMapping>();
        if (node["statuses"] is { } st)
        {
            if (!st.IsObject)
            {
                Report(Diagnostics.InvalidExtension, doc, st, "x-toolkit-errors.statuses must be an object");
            }
            else
            {
                foreach (var m in st.Members)
                {
                    var target = m.Value.Kind == JsonKind.String ? m.Value.Text : null;
                    if (target is null || !names.Contains(target))
                    {
                        Report(Diagnostics.InvalidExtension, doc, m.Value, "status '" + m.Name + "' maps to an undeclared exception type; ignored");
                        continue;
                    }

                    if (!IsStatusKey(m.Name))
                    {
                        Report(Diagnostics.InvalidExtension, doc, m.Value, "'" + m.Name + "' is not a status code, a range like 4XX, or 'default'");
                        continue;
                    }

                    statuses.Add(new StatusMapping(m.Name.Equals("default", StringComparison.OrdinalIgnoreCase) ? "default" : m.Name.ToUpperInvariant(), target));
                }
            }
        }

        return new ErrorModel(root, new EquatableArray<ExceptionDecl>(fixedExceptions), new EquatableArray<StatusMapping>(statuses), node.GetString("messageProperty"), rootBase);
    }

    private static bool IsStatusKey(string s)
    {
        if (s.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (s.Length != 3 || s[0] < '1' || s[0] > '5')
        {
            return false;
        }

        var upper = s.ToUpperInvariant();
        return (char.IsDigit(upper[1]) && char.IsDigit(upper[2])) || (upper[1] == 'X' && upper[2] == 'X');
    }

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourceDoc doc, JsonNode node, string message)
        => Report(descriptor, doc, node.Start, Math.Max(1, Math.Min(node.End - node.Start, 200)), message);

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourceDoc doc, int start, int length, string message)
    {
        if (_quiet > 0)
        {
            return;
        }

        start = Math.Max(0, Math.Min(start, doc.Text.Length));
        length = Math.Max(0, Math.Min(length, doc.Text.Length - start));
        _diagnostics.Add(new DiagnosticInfo(descriptor.Id, message, doc.Path, new TextSpan(start, length), doc.Lines.Span(start, length)));
    }

    private static string EscapePointer(string s) => s.Replace("~", "~0").Replace("/", "~1");

    private static string UnescapePointer(string s) => Uri.UnescapeDataString(s.Replace("~1", "/").Replace("~0", "~"));

    /// <summary>Follows a <c>$ref</c> (local or to another AdditionalFile); reports and returns null when it dangles.</summary>
    private JsonNode? ResolveRef(SourceDoc doc, JsonNode refHolder, out SourceDoc targetDoc)
        => ResolveRef(doc, refHolder, out targetDoc, out _);

    private JsonNode? ResolveRef(SourceDoc doc, JsonNode refHolder, out SourceDoc targetDoc, out string key)
    {
        targetDoc = doc;
        key = string.Empty;
        var refNode = refHolder["$ref"]!;
        if (refNode.Kind != JsonKind.String)
        {
            Report(Diagnostics.DanglingRef, doc, refNode, "$ref must be a string");
            return null;
        }

        var reference = refNode.Text!;
        var hash = reference.IndexOf('#');
        var filePart = hash >= 0 ? reference.Substring(0, hash) : reference;
        var pointer = hash >= 0 ? reference.Substring(hash + 1) : string.Empty;
        if (filePart.Length > 0)
        {
            if (filePart.Contains("://"))
            {
                Report(Diagnostics.DanglingRef, doc, refNode, "remote $ref '" + reference + "' is not supported; add the file as an AdditionalFile and refer to it by relative path");
                return null;
            }

            var full = RefFile(doc.Path, filePart)!;
            var other = LoadDoc(full);
            if (other is null)
            {
                _brokenFiles |= _quiet == 0;
                Report(Diagnostics.DanglingRef, doc, refNode, "$ref '" + reference + "': file '" + filePart + "' (relative to '" + Folder(doc.Path) + "') "
                    + (_files.ContainsKey(full) ? "is not valid JSON or YAML (see the TKO001 error in it)" : "is not among the AdditionalFiles"));
                return null;
            }

            targetDoc = other;
        }

        var node = targetDoc.Root!;
        if (pointer.Length > 0)
        {
            if (!pointer.StartsWith("/", StringComparison.Ordinal))
            {
                Report(Diagnostics.DanglingRef, doc, refNode, "$ref '" + reference + "': only JSON pointers (#/...) are supported");
                return null;
            }

            foreach (var raw in pointer.Substring(1).Split('/'))
            {
                var seg = UnescapePointer(raw);
                JsonNode? next = null;
                if (node.IsObject)
                {
                    next = node[seg];
                }
                else if (node.Kind == JsonKind.Array && int.TryParse(seg, NumberStyles.None, CultureInfo.InvariantCulture, out var idx) && idx < node.Items.Count)
                {
                    next = node.Items[idx];
                }

                if (next is null)
                {
                    Report(Diagnostics.DanglingRef, doc, refNode, "$ref '" + reference + "' does not resolve: no '" + seg + "'");
                    return null;
                }

                node = next;
            }
        }

        key = targetDoc.Path + "#" + pointer;
        return node;
    }

    /// <summary>
    /// Follows the <c>$ref</c>s of an object that is not a schema (path item, operation, parameter, request body,
    /// response, security scheme), through whole-file references and pointers, to the object itself and the file
    /// that holds it (so the <c>$ref</c>s inside it resolve against that file). A node without <c>$ref</c> is
    /// returned as it is. A cycle is an error at the <c>$ref</c> that closes it; null when the chain breaks.
    /// </summary>
    private JsonNode? Deref(SourceDoc doc, JsonNode node, out SourceDoc targetDoc)
    {
        targetDoc = doc;
        var chain = new List<string>();
        while (node.IsObject && node["$ref"] is { } refNode)
        {
            var holderDoc = targetDoc;
            var next = ResolveRef(holderDoc, node, out var nextDoc, out var key);
            if (next is null)
            {
                return null;
            }

            if (chain.Contains(key))
            {
                chain.Add(key);
                _brokenFiles |= _quiet == 0;
                Report(Diagnostics.DanglingRef, holderDoc, refNode, "$ref cycle: " + string.Join(" -> ", chain.Select(k => k.EndsWith("#", StringComparison.Ordinal) ? k.Substring(0, k.Length - 1) : k)));
                return null;
            }

            chain.Add(key);
            node = next;
            targetDoc = nextDoc;
        }

        return node;
    }

    /// <summary>The folder of a document path, as written in diagnostics (a relative <c>$ref</c> is resolved against it).</summary>
    private static string Folder(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash > 0 ? path.Substring(0, slash) : slash == 0 ? "/" : ".";
    }

    private SourceDoc? LoadDoc(string path)
    {
        if (_docs.TryGetValue(path, out var existing))
        {
            return existing;
        }

        SourceDoc? doc = null;
        if (_files.TryGetValue(path, out var text))
        {
            doc = new SourceDoc(path, text);
            try
            {
                doc.Root = ParseText(path, text);
            }
            catch (JsonSyntaxException ex)
            {
                // Reported even when the first reader follows $refs quietly: the file is loaded only once.
                var quiet = _quiet;
                _quiet = 0;
                Report(Diagnostics.InvalidJson, doc, ex.Offset, 1, ex.Message);
                _quiet = quiet;
                doc = null;
            }
        }

        _docs[path] = doc;
        return doc;
    }

    /// <summary>One loaded JSON file.</summary>
    private sealed class SourceDoc
    {
        private LineIndex? _lines;

        public SourceDoc(string path, string text)
        {
            Path = path;
            Text = text;
        }

        public string Path { get; }

        public string Text { get; }

        public JsonNode? Root { get; set; }

        public LineIndex Lines => _lines ??= new LineIndex(Text);
    }

    /// <summary>Mutable form of a <see cref="TypeDecl"/> while the document is being read.</summary>
    private sealed class DeclBuilder
    {
        public DeclBuilder(DeclKind kind, string name)
        {
            Kind = kind;
            Name = name;
        }

        public DeclKind Kind { get; }

        public string Name { get; }

        public string? Description { get; set; }

        public List<PropertyDecl> Properties { get; } = new();

        public TypeRef? AdditionalProperties { get; set; }

        public bool EnumIsInteger { get; set; }

        public List<EnumMember> Members { get; } = new();

        public string? DiscriminatorProperty { get; set; }

        public List<UnionCase> Cases { get; } = new();

        public string? BaseType { get; set; }

        public string? DiscriminatorValue { get; set; }

        public bool Deprecated { get; set; }

        public List<ShapeBranch> Shapes { get; } = new();

        /// <summary>For the case record of a union that holds a record deriving from another union: that record.</summary>
        public DeclBuilder? Wrapped { get; set; }

        public TypeDecl Build()
        {
            if (Wrapped is not null)
            {
                return BuildWrapper(Wrapped);
            }

            var props = Properties;
            if (BaseType is not null && DiscriminatorProperty is not null)
            {
                props = props.Where(p => p.JsonName != DiscriminatorProperty).ToList();
            }

            return new TypeDecl(Kind, Name, Description, new EquatableArray<PropertyDecl>(props), AdditionalProperties, EnumIsInteger,
                new EquatableArray<EnumMember>(Members), Kind == DeclKind.Union ? DiscriminatorProperty : BaseType is null ? null : DiscriminatorProperty,
                new EquatableArray<UnionCase>(Cases), BaseType, DiscriminatorValue, Deprecated, new EquatableArray<ShapeBranch>(Shapes));
        }

        /// <summary>
        /// The case record that holds <paramref name="record"/> in this builder's union: the record's properties (its own
        /// union's discriminator left out, as the record has it), this union's discriminator and value. The record's
        /// discriminator, when it is another property, is skipped when read and, when the record's schema declares it,
        /// written after this union's one with the record's value.
        /// </summary>
        private TypeDecl BuildWrapper(DeclBuilder record)
        {
            var inner = record.Build();
            var innerProperty = inner.DiscriminatorProperty is { } p && p != DiscriminatorProperty ? p : null;
            var innerValue = innerProperty is not null && record.Properties.Any(x => x.JsonName == innerProperty) ? inner.DiscriminatorValue : null;
            return new TypeDecl(DeclKind.Record, Name, null, inner.Properties, inner.AdditionalProperties, false, EquatableArray<EnumMember>.Empty,
                DiscriminatorProperty, EquatableArray<UnionCase>.Empty, BaseType, DiscriminatorValue, record.Deprecated,
                Wraps: record.Name, WrappedProperty: innerProperty, WrappedValue: innerValue);
        }
    }

    /// <summary>A record met as a case of a union other than the one it derives from (<see cref="_wrapped"/>).</summary>
    private sealed record WrappedCase(DeclBuilder Union, DeclBuilder Record, string Value, int Index, SourceDoc Doc, JsonNode Position, bool Quiet);

    /// <summary>
    /// Declares the case records of records that belong to more than one discriminated union (one per union and record,
    /// <c>&lt;Union&gt;&lt;Record&gt;</c>, numbered when the name is taken) once every other type has its name, and
    /// points the union cases at them. A record mapped from two values of the same union gets one case record, which
    /// writes the first value (as a record deriving from its union does). A record that declares the union's
    /// discriminator as a property of another type than a string (the discriminator is read as a string) is skipped
    /// in that union (TKO003).
    /// </summary>
    private void NameWrappers()
    {
        var made = new Dictionary<(DeclBuilder, DeclBuilder), DeclBuilder>();
        var skipped = new HashSet<DeclBuilder>();
        foreach (var c in _wrapped)
        {
            var property = c.Union.DiscriminatorProperty;
            var declared = property == c.Record.DiscriminatorProperty ? null : c.Record.Properties.FirstOrDefault(p => p.JsonName == property);
            if (declared is not null && !IsStringType(declared.Type))
            {
                if (!c.Quiet)
                {
                    Report(Diagnostics.Unsupported, c.Doc, c.Position, "'" + c.Record.Name + "' declares '" + property + "', the discriminator of union '" + c.Union.Name + "', as a value that is not a string; it is skipped in that union");
                }

                c.Union.Cases[c.Index] = null!;
                skipped.Add(c.Union);
                continue;
            }

            if (!made.TryGetValue((c.Union, c.Record), out var wrapper))
            {
                var name = Naming.Unique(c.Union.Name + c.Record.Name, _typeNames);
                wrapper = new DeclBuilder(DeclKind.Record, name)
                {
                    BaseType = c.Union.Name,
                    DiscriminatorProperty = c.Union.DiscriminatorProperty,
                    DiscriminatorValue = c.Value,
                    Wrapped = c.Record,
                };
                _decls.Add(wrapper);
                _declByName[name] = wrapper;
                made[(c.Union, c.Record)] = wrapper;
            }

            c.Union.Cases[c.Index] = new UnionCase(c.Value, wrapper.Name);
        }

        foreach (var union in skipped)
        {
            union.Cases.RemoveAll(x => x is null);
        }
    }

    /// <summary>Whether a property of this type reads a JSON string discriminator: a string or an open enum of strings.</summary>
    private bool IsStringType(TypeRef type)
        => type.Kind == TypeKind.String
            || (type.Kind == TypeKind.Enum && _declByName.TryGetValue(type.Name!, out var e) && !e.EnumIsInteger);

    private List<TypeDecl> FinishDecls()
        => _decls.Select(d => d.Build()).OrderBy(d => d.Name, StringComparer.Ordinal).ToList();

    private static string Describe(JsonNode node)
    {
        var summary = node.GetDoc("title");
        var desc = node.GetDoc("description");
        if (summary is not null && desc is not null && summary != desc)
        {
            return summary + ". " + desc;
        }

        return desc ?? summary ?? string.Empty;
    }

    /// <summary>Members of generated types besides <see cref="ReservedMembers"/>, which no type may be named after.</summary>
    private static readonly string[] MemberNames =
    {
        "DiscriminatorPropertyName", "IsBoolean", "IsNumber", "IsString", "IsArray", "IsObject", "AsBoolean", "AsNumber", "AsString",
        "AsArray", "AsObject", "TryGetBoolean", "TryGetNumber", "TryGetString", "TryGetArray", "TryGetObject", "SameMap", "PropertyIndex",
    };

    /// <summary>An identifier that can name a type without a warning (CS8981: only lower-case ASCII letters).</summary>
    private static bool IsTypeName(string s) => Naming.IsIdentifier(s) && s.Any(c => c is < 'a' or > 'z');

    private static string? NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
