using System;
using System.Globalization;

namespace Toolkit.Runtime.Capture;

/// <summary>
/// Thrown when a capture container (repeated <c>u32 big-endian length</c> + datagram) is malformed.
/// Carries the byte offset of the frame that failed and the datagram index it would have had.
/// </summary>
public sealed class CaptureFormatException : Exception
{
    /// <summary>Creates the exception for a malformed frame.</summary>
    /// <param name="kind">What is wrong.</param>
    /// <param name="offset">Byte offset of the frame's length prefix in the container.</param>
    /// <param name="index">0-based index the datagram would have had.</param>
    /// <param name="declaredLength">The length the prefix announced, or -1 when the prefix itself is cut.</param>
    /// <param name="available">How many bytes were left after <paramref name="offset"/>.</param>
    public CaptureFormatException(CaptureErrorKind kind, long offset, long index, long declaredLength, long available)
        : base(Describe(kind, offset, index, declaredLength, available))
    {
        Kind = kind;
        Offset = offset;
        Index = index;
        DeclaredLength = declaredLength;
        Available = available;
    }

    /// <summary>Creates the exception with a message only (for serializers and tooling).</summary>
    public CaptureFormatException()
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public CaptureFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public CaptureFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What is wrong.</summary>
    public CaptureErrorKind Kind { get; }

    /// <summary>Byte offset of the bad frame's length prefix.</summary>
    public long Offset { get; }

    /// <summary>0-based index the datagram would have had.</summary>
    public long Index { get; }

    /// <summary>The length the prefix announced, or -1 when the prefix itself is cut.</summary>
    public long DeclaredLength { get; }

    /// <summary>Bytes left in the container after <see cref="Offset"/>.</summary>
    public long Available { get; }

    /// <summary>Builds the human-readable reason for a capture error.</summary>
    /// <param name="kind">What is wrong.</param>
    /// <param name="offset">Byte offset of the frame.</param>
    /// <param name="index">Datagram index.</param>
    /// <param name="declaredLength">Announced length or -1.</param>
    /// <param name="available">Bytes left after the offset.</param>
    /// <returns>A one-line message.</returns>
    public static string Describe(CaptureErrorKind kind, long offset, long index, long declaredLength, long available) => kind switch
    {
        CaptureErrorKind.TruncatedLength => string.Create(CultureInfo.InvariantCulture,
            $"capture truncated at byte {offset} (datagram {index}): length prefix needs 4 bytes, {available} left"),
        CaptureErrorKind.TruncatedDatagram => string.Create(CultureInfo.InvariantCulture,
            $"capture truncated at byte {offset} (datagram {index}): length prefix says {declaredLength} bytes, {Math.Max(0, available - 4)} left"),
        CaptureErrorKind.LengthTooLarge => string.Create(CultureInfo.InvariantCulture,
            $"capture corrupt at byte {offset} (datagram {index}): length prefix {declaredLength} exceeds {CaptureFormat.MaxDatagramLength}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"capture error at byte {offset} (datagram {index})"),
    };
}
