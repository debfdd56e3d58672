using System;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Toolkit.Runtime.Binary;

namespace Toolkit.Runtime.Tests.Binary;

/// <summary>The bracket-aware search agrees with its definition (written independently here).</summary>
public sealed class TextScanTests
{
    private const string Alphabet = "ab[]:/@.x";

    /// <summary>The definition: first match of the literal at bracket depth 0, scanning byte by byte.</summary>
    private static int Reference(ReadOnlySpan<byte> text, ReadOnlySpan<byte> literal)
    {
        if (literal.IsEmpty)
        {
            return 0;
        }

        var depth = 0;
        for (var i = 0; i <= text.Length - literal.Length; i++)
        {
            var b = text[i];
            if (depth == 0 && text.Slice(i, literal.Length).SequenceEqual(literal))
            {
                return i;
            }

            if (b == (byte)'[')
            {
                depth++;
            }
            else if (b == (byte)']' && depth > 0)
            {
                depth--;
            }
        }

        return -1;
    }

    [Fact]
    public void IndexOfOutsideBracketsMatchesTheDefinition()
    {
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            // Short and long texts, brackets and literals from a small alphabet so matches and nesting are common.
            var text = Encoding.ASCII.GetBytes(new string(Enumerable.Range(0, random.Next(0, 120)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray()));
            var literal = Encoding.ASCII.GetBytes(new string(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray()));
            Assert.Equal(Reference(text, literal), TextScan.IndexOfOutsideBrackets(text, literal));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void IndexOfOutsideBracketsSkipsIpv6Addresses()
    {
        Assert.Equal(13, TextScan.IndexOfOutsideBrackets("[2001:db8::1]:1094:/path"u8, ":"u8));
        Assert.Equal(-1, TextScan.IndexOfOutsideBrackets("[a:b"u8, ":"u8));
        Assert.Equal(3, TextScan.IndexOfOutsideBrackets("a]b:c"u8, ":"u8));
    }
}
