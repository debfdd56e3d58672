using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.DataDispatcher;

namespace Toolkit.DataDispatcher.Tests;

public sealed class PropertyTests
{
    private static string NoSpace(string s) => new(s.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());

    [Fact]
    public void Token_library_round_trips_any_urls_and_tokens_without_white_space()
    {
        var dir = Directory.CreateTempSubdirectory("dd-prop-").FullName;
        try
        {
            var n = 0;
            Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyString[]>(), entries =>
            {
                var path = Path.Combine(dir, "lib" + n++);
                var lib = new TokenLibrary(path);
                var expected = new System.Collections.Generic.Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (e, i) in entries.Select((e, i) => (e, i)))
                {
                    var url = "https://h" + i + "/" + NoSpace(e.Get);
                    var token = "t" + NoSpace(e.Get) + i;
                    lib.Set(url, token);
                    expected[url] = token;
                }

                var loaded = new TokenLibrary(path).Load();
                return loaded.Count == expected.Count && expected.All(kv => loaded.TryGetValue(kv.Key, out var v) && v == kv.Value);
            }).QuickCheckThrowOnFailure();
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Timeout_notation_scales_by_its_unit()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NonNegativeInt>(), ArbMap.Default.ArbFor<bool>(), (n, upper) =>
        {
            var v = n.Get;
            string U(string u) => upper ? u.ToUpperInvariant() : u;
            return Timeouts.ParseSeconds(v.ToString(System.Globalization.CultureInfo.InvariantCulture)) == v
                && Timeouts.ParseSeconds(v + U("s")) == v
                && Timeouts.ParseSeconds(v + U("m")) == v * 60.0
                && Timeouts.ParseSeconds(v + U("h")) == v * 3600.0
                && Timeouts.ParseSeconds(v + U("d")) == v * 86400.0
                && CopyTimeout.Parse(v + "h").ToJson().GetDouble() == v * 3600.0;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Did_splits_at_the_first_colon_and_attribute_values_round_trip()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyString>(), ArbMap.Default.ArbFor<NonEmptyString>(), (ns, name) =>
        {
            var n = ns.Get.Replace(":", "", StringComparison.Ordinal);
            if (n.Length == 0)
            {
                return true;
            }

            var f = FileSpec.FromDid(n + ":" + name.Get);
            var didOk = f.Namespace == n && f.Name == name.Get && f.Did == n + ":" + name.Get;
            if (name.Get.Any(char.IsSurrogate))
            {
                return didOk;
            }

            // An attribute value is the JSON it parses as, else the text itself as a JSON string.
            var value = JsonAttributes.Parse(name.Get);
            string? json;
            try
            {
                using var doc = JsonDocument.Parse(name.Get);
                json = doc.RootElement.GetRawText();
            }
            catch (JsonException)
            {
                json = null;
            }

            var valueOk = json is not null ? value.GetRawText() == json : value.ValueKind == JsonValueKind.String && value.GetString() == name.Get;
            return didOk && valueOk;
        }).QuickCheckThrowOnFailure();
    }
}
