using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace Toolkit.Generators.Common;

/// <summary>
/// Maps character offsets to zero-based line and column numbers, with the line terminators C# (and so Roslyn's
/// <see cref="LinePosition"/>) recognises: CR LF, CR, LF, U+0085, U+2028 and U+2029.
/// </summary>
internal sealed class LineIndex
{
    private readonly List<int> _starts = new() { 0 };

    public LineIndex(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                continue;
            }

            if (CSharp.IsLineTerminator(c))
            {
                _starts.Add(i + 1);
            }
        }
    }

    public (int Line, int Column) Locate(int offset)
    {
        int lo = 0, hi = _starts.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_starts[mid] <= offset)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return (lo, offset - _starts[lo]);
    }

    /// <summary>The line span of <c>[start, start + length)</c>.</summary>
    public LinePositionSpan Span(int start, int length)
    {
        var (l1, c1) = Locate(start);
        var (l2, c2) = Locate(start + length);
        return new LinePositionSpan(new LinePosition(l1, c1), new LinePosition(l2, c2));
    }
}
