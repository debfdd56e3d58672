using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Toolkit.Generators.Common.Json;
using Toolkit.Generators.Commands.Model;
using ValueType = Toolkit.Generators.Commands.Model.ValueType;

namespace Toolkit.Generators.Commands.Parsing;

/// <summary>
/// Pure command-schema parser: YAML or JSON text → <see cref="SchemaModel"/> plus positioned diagnostics. It never
/// throws for bad input; any error leaves the model null, so nothing is generated for that file.
/// </summary>
internal sealed partial class CommandSchemaParser
{
    /// <summary>The top-level key (and version) that marks a command schema.</summary>
    public const string MarkerKey = "commands-schema";

    private static readonly string[] TopKeys = { MarkerKey, "name", "summary", "commands" };
    private static readonly string[] CommandKeys = { "kind", "summary", "help", "api_flags", "requires", "args", "options", "result" };
    private static readonly string[] ArgKeys = { "name", "type", "values", "optional", "variadic", "default", "help" };
    private static readonly string[] OptionKeys = { "flag", "name", "kind", "type", "values", "separator", "default", "help" };
    private static readonly string[] ResultKeys = { "row", "summary", "fields" };
    private static readonly string[] FieldKeys = { "type", "name", "required", "separator", "when", "help" };

    private readonly string _path;
    private readonly string _text;
    private readonly SchemaOptions _options;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly List<EnumModel> _enums = new();
    private readonly List<RowModel> _rows = new();
    private readonly Dictionary<string, string> _typeNames = new(StringComparer.Ordinal);
    private LineIndex? _lines;
    private int _walked;

    private CommandSchemaParser(string path, string text, SchemaOptions options)
    {
        _path = path;
        _text = text;
        _options = options;
    }

    /// <summary>Whether a file is read as YAML (by its extension) rather than JSON.</summary>
    public static bool IsYaml(string path)
        => path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Cheap content check: a line <c>commands-schema:</c> (YAML) or a key <c>"commands-schema"</c> (JSON) in the first 4 KiB.</summary>
    public static bool LooksLikeCommandSchema(string text)
    {
        var head = text.Length > 4096 ? text.Substring(0, 4096) : text;
        return head.StartsWith(MarkerKey + ":", StringComparison.Ordinal)
            || head.IndexOf("\n" + MarkerKey + ":", StringComparison.Ordinal) >= 0
            || head.IndexOf("\"" + MarkerKey + "\"", StringComparison.Ordinal) >= 0;
    }

    /// <summary>Parses one schema file.</summary>
    public static ParseResult Parse(string path, string text, SchemaOptions options, string hintKey)
    {
        var p = new CommandSchemaParser(path, text, options);
        var model = p.Run(hintKey);
        var hasError = p._diagnostics.Exists(d => Diagnostics.Table.Get(d.Id).DefaultSeverity == DiagnosticSeverity.Error);
        return new ParseResult(hasError ? null : model, new EquatableArray<DiagnosticInfo>(p._diagnostics));
    }

    private SchemaModel? Run(string hintKey)
    {
        if (_text.Length > _options.MaxSchemaBytes)
        {
            _diagnostics.Add(DiagnosticInfo.AtFile(Diagnostics.OverBudget.Id, "the command schema '" + _path + "' has " + _text.Length.ToString(CultureInfo.InvariantCulture) + " characters, more than " + _options.MaxSchemaBytes.ToString(CultureInfo.InvariantCulture) + "; raise ToolkitCommandsMaxSchemaBytes if it is genuine", _path));
            return null;
        }

        JsonNode root;
        try
        {
            var bad = _text.IndexOf('\uFFFD');
            if (bad >= 0)
            {
                throw new JsonSyntaxException("the file is not valid UTF-8 (or holds U+FFFD, the replacement character) here", bad);
            }

            root = IsYaml(_path) ? YamlTextParser.Parse(_text) : JsonTextParser.Parse(_text);
        }
        catch (JsonSyntaxException ex)
        {
            var at = Math.Max(0, Math.Min(ex.Offset, _text.Length));
            Report(Diagnostics.InvalidText, at, at, "invalid " + (IsYaml(_path) ? "YAML" : "JSON") + ": " + ex.Message);
            return null;
        }

        try
        {
            return Schema(root, hintKey);
        }
        catch (BudgetExceededException)
        {
            return null;
        }
    }

    private SchemaModel? Schema(JsonNode root, string hintKey)
    {
        if (!Expect(root, JsonKind.Object, "the schema"))
        {
            return null;
        }

        CheckKeys(root, TopKeys, "the schema");
        var version = root.Get(MarkerKey);
        if (version is null)
        {
            Report(Diagnostics.InvalidSchema, root, "the schema has no '" + MarkerKey + ": 1' key");
        }
        else if (version.Kind != JsonKind.Number || version.Text != "1")
        {
            Report(Diagnostics.InvalidSchema, version, "'" + MarkerKey + "' must be 1 (the only version this generator reads)");
        }

        var prefix = "Alien";
        if (root.Get("name") is { } nameNode)
        {
            var n = Text(nameNode, "name");
            if (n is not null && !Naming.IsTypeName(n))
            {
                Report(Diagnostics.InvalidName, nameNode, "the schema name '" + n + "' is not a C# identifier (it prefixes the generated class names)");
            }
            else if (n is not null)
            {
                prefix = n;
            }
        }

        var ns = _options.Namespace ?? _options.RootNamespace ?? "Commands";
        if (!Naming.IsNamespace(ns))
        {
            _diagnostics.Add(DiagnosticInfo.AtFile(Diagnostics.InvalidOption.Id, "the namespace '" + ns + "' is not a C# namespace; 'Commands' is used", _path));
            ns = "Commands";
        }

        foreach (var fixedName in new[] { prefix + "Commands", prefix + "Argv", prefix + "Verbs", prefix + "Enums" })
        {
            _typeNames[fixedName] = "a generated class";
        }

        var commands = new List<CommandModel>();
        var commandsNode = root.Get("commands");
        if (commandsNode is null)
        {
            Report(Diagnostics.InvalidSchema, root, "the schema has no 'commands' mapping");
        }
        else if (Expect(commandsNode, JsonKind.Object, "'commands'"))
        {
            var pascals = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var member in commandsNode.Members)
            {
                Walk(member.Value);
                var c = Command(member);
                if (c is null)
                {
                    continue;
                }

                if (pascals.TryGetValue(c.Pascal, out var other))
                {
                    ReportName(Diagnostics.Duplicate, member, "the commands '" + other + "' and '" + member.Name + "' both make the C# name " + c.Pascal);
                    continue;
                }

                pascals[c.Pascal] = member.Name;
                commands.Add(c);
            }
        }

        return new SchemaModel(_path, hintKey, ns, prefix, new EquatableArray<CommandModel>(commands), new EquatableArray<RowModel>(_rows), new EquatableArray<EnumModel>(_enums), _options.MaxSourceBytes);
    }

    private CommandModel? Command(JsonMember member)
    {
        var name = member.Name;
        var pascal = Naming.Pascal(name);
        if (name.Length == 0 || name.Trim() != name || name.IndexOf(' ') >= 0 || HasControl(name))
        {
            ReportName(Diagnostics.InvalidName, member, "the command name '" + name + "' is empty or holds spaces or control characters");
            return null;
        }

        if (pascal.Length == 0 || Naming.ObjectMembers.Contains(pascal))
        {
            ReportName(Diagnostics.InvalidName, member, "the command name '" + name + "' does not make a usable C# name");
            return null;
        }

        var node = member.Value;
        if (!Expect(node, JsonKind.Object, "command '" + name + "'"))
        {
            return null;
        }

        CheckKeys(node, CommandKeys, "command '" + name + "'");
        var isClient = false;
        if (node.Get("kind") is { } kind)
        {
            switch (Text(kind, "kind"))
            {
                case "server": break;
                case "client": isClient = true; break;
                case null: break;
                case var k: Report(Diagnostics.UnknownType, kind, "the command kind '" + k + "' is neither 'server' nor 'client'"); break;
            }
        }

        var summary = OptionalText(node, "summary") ?? string.Empty;
        var help = OptionalText(node, "help") ?? string.Empty;
        var apiFlags = FlagList(node.Get("api_flags"), "api_flags");
        var requires = NameList(node.Get("requires"), "requires");
        var used = new Dictionary<string, string>(StringComparer.Ordinal) { ["cancellationToken"] = "the cancellation token", ["context"] = "the path context", ["api"] = "the api switch" };
        var args = Args(node.Get("args"), name, pascal, used);
        var options = Options(node.Get("options"), name, pascal, used, args);
        string? rowType = null;
        if (node.Get("result") is { } result && !isClient)
        {
            rowType = Result(result, name, pascal, options);
        }

        return new CommandModel(name, pascal, isClient, summary, help, apiFlags, requires, args, options, rowType);
    }

    private static bool HasControl(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c < ' ' || c == '\u007F' || CSharp.IsLineTerminator(c) || c is '\uFFFE' or '\uFFFF')
            {
                return true;
            }

            // A lone surrogate has no UTF-8 form, so it cannot be a u8 literal (a field name) or go on the wire.
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    private void Walk(JsonNode node)
    {
        if (++_walked > _options.MaxNodes)
        {
            Report(Diagnostics.OverBudget, node, "the schema walks more than " + _options.MaxNodes.ToString(CultureInfo.InvariantCulture) + " nodes (aliases count once per use); raise ToolkitCommandsMaxNodes if it is genuine");
            throw new BudgetExceededException();
        }
    }

    private bool Expect(JsonNode node, JsonKind kind, string what)
    {
        Walk(node);
        if (node.Kind == kind)
        {
            return true;
        }

        Report(Diagnostics.InvalidSchema, node, what + " must be " + (kind == JsonKind.Object ? "a mapping" : kind == JsonKind.Array ? "a sequence" : "a " + kind.ToString().ToLowerInvariant()) + ", not " + KindName(node.Kind));
        return false;
    }

    private static string KindName(JsonKind kind) => kind switch
    {
        JsonKind.Object => "a mapping",
        JsonKind.Array => "a sequence",
        JsonKind.String => "a string",
        JsonKind.Number => "a number",
        JsonKind.Null => "null",
        _ => "a boolean",
    };

    private void CheckKeys(JsonNode node, string[] allowed, string what)
    {
        foreach (var m in node.Members)
        {
            if (Array.IndexOf(allowed, m.Name) < 0)
            {
                ReportName(Diagnostics.InvalidSchema, m, "unknown key '" + m.Name + "' in " + what + " (allowed: " + string.Join(", ", allowed) + ")");
            }
        }
    }

    /// <summary>A scalar as text: a string, or a number's text; anything else is reported.</summary>
    private string? Text(JsonNode node, string what)
    {
        Walk(node);
        if (node.Kind is JsonKind.String or JsonKind.Number)
        {
            return node.Text ?? string.Empty;
        }

        Report(Diagnostics.InvalidSchema, node, "'" + what + "' must be a string, not " + KindName(node.Kind));
        return null;
    }

    private string? OptionalText(JsonNode obj, string key) => obj.Get(key) is { } n ? Text(n, key) : null;

    private bool Bool(JsonNode obj, string key)
    {
        var n = obj.Get(key);
        if (n is null)
        {
            return false;
        }

        Walk(n);
        if (n.Kind is JsonKind.True or JsonKind.False)
        {
            return n.Kind == JsonKind.True;
        }

        Report(Diagnostics.InvalidSchema, n, "'" + key + "' must be true or false, not " + KindName(n.Kind));
        return false;
    }

    private EquatableArray<string> FlagList(JsonNode? node, string what)
    {
        var list = new List<string>();
        if (node is null || !Expect(node, JsonKind.Array, "'" + what + "'"))
        {
            return new EquatableArray<string>(list);
        }

        foreach (var item in node.Items)
        {
            var f = Text(item, what);
            if (f is null)
            {
                continue;
            }

            if (!Naming.IsFlag(f))
            {
                Report(Diagnostics.InvalidName, item, "'" + f + "' in '" + what + "' is not a flag ('-' then printable ASCII without spaces)");
            }
            else if (list.Contains(f))
            {
                Report(Diagnostics.Duplicate, item, "the flag '" + f + "' appears twice in '" + what + "'");
            }
            else
            {
                list.Add(f);
            }
        }

        return new EquatableArray<string>(list);
    }

    private EquatableArray<string> NameList(JsonNode? node, string what)
    {
        var list = new List<string>();
        if (node is null || !Expect(node, JsonKind.Array, "'" + what + "'"))
        {
            return new EquatableArray<string>(list);
        }

        foreach (var item in node.Items)
        {
            var s = Text(item, what);
            if (s is null)
            {
                continue;
            }

            if (s.Length == 0 || HasControl(s) || s.IndexOf(' ') >= 0)
            {
                Report(Diagnostics.InvalidName, item, "'" + s + "' in '" + what + "' is not a command name");
            }
            else
            {
                list.Add(s);
            }
        }

        return new EquatableArray<string>(list);
    }

    private void Report(DiagnosticDescriptor d, JsonNode node, string message) => Report(d, node.Start, node.End, message);

    private void ReportName(DiagnosticDescriptor d, JsonMember m, string message) => Report(d, m.NameStart, m.NameEnd, message);

    private void Report(DiagnosticDescriptor d, int start, int end, string message)
    {
        _lines ??= new LineIndex(_text);
        start = Math.Max(0, Math.Min(start, _text.Length));
        end = Math.Max(start, Math.Min(end, _text.Length));
        _diagnostics.Add(new DiagnosticInfo(d.Id, message, _path, new TextSpan(start, end - start), _lines.Span(start, end - start)));
    }

    private bool ClaimType(string name, string what, JsonNode at)
    {
        if (_typeNames.TryGetValue(name, out var other))
        {
            Report(Diagnostics.Duplicate, at, "the type name " + name + " of " + what + " is already used by " + other);
            return false;
        }

        _typeNames[name] = what;
        return true;
    }
}

/// <summary>Thrown (after the diagnostic) when a schema goes over a budget; ends the parse.</summary>
internal sealed class BudgetExceededException : Exception
{
}
