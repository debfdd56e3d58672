using System;

namespace Toolkit.Generators.OpenApi.Emit;

/// <summary>Small helpers shared by the emitters (literals and doc text go through <see cref="CSharp"/>).</summary>
internal static class Cs
{
    public static int Fnv(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s)
            {
                h = (h ^ c) * 16777619;
            }

            return h;
        }
    }

    public static string Hash(string s) => ((uint)Fnv(s)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.Ordinal);
}
