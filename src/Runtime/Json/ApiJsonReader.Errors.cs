using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Toolkit.Runtime.Json;

// Errors: every failure is a JsonException naming the byte offset.
public ref partial struct ApiJsonReader
{
    /// <summary>A failed <c>TryGet</c>: the value is the default, as <see cref="Utf8JsonReader"/> leaves it.</summary>
    private static bool Failed<T>(out T value)
    {
        value = default!;
        return false;
    }

    /// <summary>An exception naming <paramref name="message"/> and the current token's byte offset.</summary>
    /// <param name="message">What went wrong.</param>
    /// <returns>The exception to throw.</returns>
    public readonly JsonException Error(string message)
        => new(message + " (at byte " + _tokenStart.ToString(CultureInfo.InvariantCulture) + ")");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void RequireText(string what)
    {
        if (_tokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            ThrowNotA(what, "a string");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void RequireNumber(string what)
    {
        if (_tokenType != JsonTokenType.Number)
        {
            ThrowNotA(what, "a number");
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowNotA(string what, string kind)
        => throw Error(what + ": the current token is " + _tokenType + ", not " + kind);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static JsonException Fail(int offset, string message)
        => new("invalid JSON: " + message + " (at byte " + offset.ToString(CultureInfo.InvariantCulture) + ")");

    private static string Printable(byte b)
        => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : "0x" + b.ToString("x2", CultureInfo.InvariantCulture);
}
