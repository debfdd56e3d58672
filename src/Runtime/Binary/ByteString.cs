using System;
using System.Text;

namespace Toolkit.Runtime.Binary;

/// <summary>
/// An immutable, value-equal sequence of bytes, used by generated models for byte and text fields so that record
/// equality compares contents. <see cref="ToString"/> decodes UTF-8.
/// </summary>
public sealed class ByteString : IEquatable<ByteString>
{
    private readonly byte[] _bytes;

    private ByteString(byte[] bytes) => _bytes = bytes;

    /// <summary>The empty byte string.</summary>
    public static ByteString Empty { get; } = new(Array.Empty<byte>());

    /// <summary>Copies bytes into a new byte string.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The byte string.</returns>
    public static ByteString CopyFrom(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? Empty : new(bytes.ToArray());

    /// <summary>Encodes text as UTF-8.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The byte string.</returns>
    public static ByteString FromString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? Empty : new(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Number of bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>The bytes, read-only.</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>The bytes, read-only.</summary>
    public ReadOnlyMemory<byte> Memory => _bytes;

    /// <summary>A copy of the bytes.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>The bytes decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Encoding.UTF8.GetString(_bytes);

    /// <inheritdoc />
    public bool Equals(ByteString? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ByteString);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>Compares contents.</summary>
    /// <param name="left">First value.</param>
    /// <param name="right">Second value.</param>
    /// <returns>True when both are null or hold the same bytes.</returns>
    public static bool operator ==(ByteString? left, ByteString? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares contents.</summary>
    /// <param name="left">First value.</param>
    /// <param name="right">Second value.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(ByteString? left, ByteString? right) => !(left == right);
}
