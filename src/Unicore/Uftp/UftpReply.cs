using System.Collections.Generic;

namespace Toolkit.Unicore.Uftp;

/// <summary>A control-connection reply: the code, the last line's text, and every line of a multi-line reply.</summary>
/// <param name="Code">The three-digit code.</param>
/// <param name="Text">The text after the code on the last line.</param>
/// <param name="Lines">All lines as sent (the first and last included).</param>
public sealed record UftpReply(int Code, string Text, IReadOnlyList<string> Lines)
{
    /// <summary>True for 1xx, 2xx and 3xx codes.</summary>
    public bool IsSuccess => Code is >= 100 and < 400;
}
