using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.CodeAnalysis;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// One API written in random file layouts: each path item, operation, parameter, response, request body and model
/// is either inline or split into its own file at a random folder depth, under a random stem (stems clash on
/// purpose), in JSON or YAML. Whatever the layout, the generator must produce a client that compiles with no
/// warning and has every operation; a broken layout (a file left out) must be an error with nothing emitted.
/// </summary>
public class MultiFileLayoutTests
{
    private static readonly int Runs = int.TryParse(Environment.GetEnvironmentVariable("TOOLKIT_FUZZ_SEEDS"), out var n) ? n : 40;

    private static readonly string[] Folders = { "a", "b", "shared", "models", "paths", "v1" };

    private static readonly string[] Stems = { "item", "error", "pet", "1st", "class", "new-pet", "v2.0", "root_client", "value", "Item", "_" };

    [Fact]
    public void Any_layout_of_one_api_generates_the_same_operations_and_compiles_clean()
        => Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var layout = new Layout(new Random(seed));
            var files = layout.Build();
            var r = GeneratorHarness.Run(files.Select(f => (f.Key, f.Value)).ToArray());
            var context = "seed " + seed + ":\n" + string.Join("\n", files.Select(f => "== " + f.Key + "\n" + f.Value));
            Assert.True(r.GeneratorDiagnostics.Length == 0, string.Join("; ", r.GeneratorDiagnostics.Take(5)) + "\n" + context);
            Assert.True(r.CompileDiagnostics.Length == 0, string.Join("; ", r.CompileDiagnostics.Take(5)) + "\n" + context);
            var client = r.Output.GetTypeByMetadataName("Consumer.Root.RootClient");
            Assert.True(client is not null, context);
            var methods = client!.GetMembers().OfType<IMethodSymbol>().Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < layout.Paths; i++)
            {
                Assert.Contains("Get" + i.ToString(CultureInfo.InvariantCulture) + "Async", methods);
                Assert.Contains("Post" + i.ToString(CultureInfo.InvariantCulture) + "Async", methods);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Runs));

    [Fact]
    public void Any_layout_with_a_file_left_out_is_an_error_with_nothing_emitted()
        => Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var rnd = new Random(seed);
            var layout = new Layout(rnd, splitChance: 0.7);
            var files = layout.Build();
            var others = layout.SplitFiles.Order(StringComparer.Ordinal).ToList();
            if (others.Count == 0)
            {
                return;
            }

            var dropped = others[rnd.Next(others.Count)];
            files.Remove(dropped);
            var r = GeneratorHarness.Run(files.Select(f => (f.Key, f.Value)).ToArray());
            var errors = r.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count > 0, "seed " + seed + ": no error for the missing " + dropped);
            Assert.Contains(errors, d => d.Id == "TKO002" && d.GetMessage().Contains("is not among the AdditionalFiles", StringComparison.Ordinal));
            Assert.Empty(r.Run.GeneratedTrees);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Math.Max(5, Runs / 2)));

    /// <summary>One API (a few paths, each with a GET and a POST, over a few models) laid out at random.</summary>
    private sealed class Layout(Random rnd, double splitChance = 0.5)
    {
        public const string RootPath = "/p/root.yaml";

        private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
        private readonly Dictionary<int, string> _modelFiles = new();

        /// <summary>The files a $ref certainly names (a model's own file may be named by none).</summary>
        public List<string> SplitFiles { get; } = new();

        public int Paths { get; } = 1 + rnd.Next(3);

        private int Models { get; } = 1 + rnd.Next(4);

        public Dictionary<string, string> Build()
        {
            for (var j = 0; j < Models; j++)
            {
                if (rnd.NextDouble() < splitChance)
                {
                    _modelFiles[j] = NewPath();
                }
            }

            foreach (var (j, path) in _modelFiles)
            {
                _files[path] = Write(path, Model(path, j));
            }

            var paths = new List<(string, object)>();
            for (var i = 0; i < Paths; i++)
            {
                var index = i;
                paths.Add(("/r" + i.ToString(CultureInfo.InvariantCulture) + "/{id}", Split(RootPath, f => PathItem(f, index))));
            }

            var schemas = Enumerable.Range(0, Models).Where(j => !_modelFiles.ContainsKey(j)).Select(j => ("M" + j.ToString(CultureInfo.InvariantCulture), Model(RootPath, j))).ToList();
            var root = Obj(
                ("openapi", "3.0.3"),
                ("info", Obj(("title", "Root"), ("version", "1"))),
                ("paths", Obj(paths.ToArray())),
                ("components", Obj(("schemas", Obj(schemas.ToArray())))));
            _files[RootPath] = Write(RootPath, root);
            return _files;
        }

        private object PathItem(string file, int i)
            => Obj(
                ("parameters", new List<object> { Split(file, _ => Obj(("name", "id"), ("in", "path"), ("required", true), ("schema", Obj(("type", "integer"))))) }),
                ("get", Split(file, f => Obj(
                    ("operationId", "get" + i.ToString(CultureInfo.InvariantCulture)),
                    ("parameters", new List<object> { Split(f, _ => Obj(("name", "limit"), ("in", "query"), ("schema", Obj(("type", "integer"), ("default", 10))))) }),
                    ("responses", Obj(("200", Split(f, g => Response(g))), ("default", Split(f, g => Response(g)))))))),
                ("post", Split(file, f => Obj(
                    ("operationId", "post" + i.ToString(CultureInfo.InvariantCulture)),
                    ("requestBody", Split(f, g => Obj(("required", true), ("content", Obj(("application/json", Obj(("schema", ModelRef(g, rnd.Next(Models)))))))))),
                    ("responses", Obj(("201", Split(f, g => Response(g)))))))));

        private object Response(string file)
            => Obj(("description", "ok"), ("content", Obj(("application/json", Obj(("schema", ModelRef(file, rnd.Next(Models))))))));

        private object Model(string file, int j)
        {
            var props = new List<(string, object)> { ("id", Obj(("type", "integer"))), ("name", Obj(("type", "string"))) };
            if (j > 0)
            {
                props.Add(("child", ModelRef(file, rnd.Next(j))));
            }

            props.Add(("items", Obj(("type", "array"), ("items", ModelRef(file, rnd.Next(Models))))));
            return Obj(("type", "object"), ("required", new List<object> { "id" }), ("properties", Obj(props.ToArray())));
        }

        /// <summary>A $ref from <paramref name="file"/> to model <paramref name="j"/>, wherever it lives.</summary>
        private Dictionary<string, object> ModelRef(string file, int j)
        {
            var pointer = "#/components/schemas/M" + j.ToString(CultureInfo.InvariantCulture);
            return Obj(("$ref", _modelFiles.TryGetValue(j, out var path) ? Relative(file, path) : file == RootPath ? pointer : Relative(file, RootPath) + pointer));
        }

        /// <summary>The object built for <paramref name="file"/>, or (by chance) a whole-file $ref to a new file holding it.</summary>
        private object Split(string file, Func<string, object> build)
        {
            if (rnd.NextDouble() >= splitChance)
            {
                return build(file);
            }

            var path = NewPath();
            _files[path] = string.Empty; // reserved before building: nested splits pick other names
            _files[path] = Write(path, build(path));
            SplitFiles.Add(path);
            return Obj(("$ref", Relative(file, path)));
        }

        private string NewPath()
        {
            var sb = new StringBuilder("/p");
            for (var d = rnd.Next(4); d > 0; d--)
            {
                sb.Append('/').Append(Folders[rnd.Next(Folders.Length)]);
            }

            var stem = Stems[rnd.Next(Stems.Length)];
            var ext = rnd.Next(3) switch { 0 => ".json", 1 => ".yml", _ => ".yaml" };
            var path = sb + "/" + stem + ext;
            for (var k = 2; _files.ContainsKey(path) || path == RootPath; k++)
            {
                path = sb + "/" + stem + "-" + k.ToString(CultureInfo.InvariantCulture) + ext;
            }

            return path;
        }

        private static string Relative(string from, string to)
        {
            var a = from.Split('/')[..^1];
            var b = to.Split('/');
            var common = 0;
            while (common < a.Length && common < b.Length - 1 && a[common] == b[common])
            {
                common++;
            }

            return string.Concat(Enumerable.Repeat("../", a.Length - common)) + string.Join("/", b[common..]);
        }

        private static Dictionary<string, object> Obj(params (string Key, object Value)[] members)
        {
            var d = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var (k, v) in members)
            {
                d[k] = v;
            }

            return d;
        }

        private static string Write(string path, object value)
        {
            var sb = new StringBuilder();
            if (path.EndsWith(".json", StringComparison.Ordinal))
            {
                Json(sb, value);
            }
            else
            {
                Yaml(sb, value, 0);
            }

            return sb.ToString();
        }

        private static void Json(StringBuilder sb, object value)
        {
            switch (value)
            {
                case Dictionary<string, object> d:
                    sb.Append('{');
                    sb.AppendJoin(',', d.Select(m => Quote(m.Key) + ":" + Inner(m.Value)));
                    sb.Append('}');
                    break;
                case List<object> l:
                    sb.Append('[').AppendJoin(',', l.Select(Inner)).Append(']');
                    break;
                default:
                    sb.Append(Scalar(value));
                    break;
            }

            static string Inner(object v)
            {
                var inner = new StringBuilder();
                Json(inner, v);
                return inner.ToString();
            }
        }

        private static void Yaml(StringBuilder sb, object value, int indent, bool inline = false)
        {
            var pad = new string(' ', indent);
            var first = true;
            if (value is Dictionary<string, object> d)
            {
                foreach (var (k, v) in d)
                {
                    sb.Append(first && inline ? string.Empty : pad).Append(Quote(k)).Append(':');
                    first = false;
                    YamlValue(sb, v, indent);
                }
            }
            else if (value is List<object> l)
            {
                foreach (var v in l)
                {
                    sb.Append(first && inline ? string.Empty : pad).Append("- ");
                    first = false;
                    if (v is Dictionary<string, object> { Count: > 0 } or List<object> { Count: > 0 })
                    {
                        Yaml(sb, v, indent + 2, inline: true);
                    }
                    else
                    {
                        sb.Append(Scalar(v)).Append('\n');
                    }
                }
            }
        }

        private static void YamlValue(StringBuilder sb, object v, int indent)
        {
            if (v is Dictionary<string, object> { Count: > 0 } or List<object> { Count: > 0 })
            {
                sb.Append('\n');
                Yaml(sb, v, indent + 2);
            }
            else
            {
                sb.Append(' ').Append(Scalar(v)).Append('\n');
            }
        }

        private static string Scalar(object v) => v switch
        {
            Dictionary<string, object> => "{}",
            List<object> => "[]",
            bool b => b ? "true" : "false",
            int i => i.ToString(CultureInfo.InvariantCulture),
            string s => Quote(s),
            _ => throw new ArgumentException("unexpected " + v.GetType()),
        };

        private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
