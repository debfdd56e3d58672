using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Toolkit.Generators.Common;

/// <summary>
/// An equatable diagnostic (so pipeline steps that carry it cache), with a real location: the file path, the
/// character span and the line span. <see cref="Id"/> names a descriptor of the generator's table.
/// </summary>
internal sealed record DiagnosticInfo(string Id, string Message, string Path, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>A diagnostic at the start of a file (for errors about a whole file).</summary>
    public static DiagnosticInfo AtFile(string id, string message, string path) => new(id, message, path, default, default);

    public Location Location => Location.Create(Path, Span, LineSpan);
}
