using System;

namespace Toolkit.Runtime.Binary;

/// <summary>
/// Why a binary record could not be decoded: where (byte offset from the start of the data given to the reader),
/// which record and field, and the reason. Allocation-free: the strings are constants of the generated code.
/// </summary>
public readonly struct DecodeError : IEquatable<DecodeError>
{
    /// <summary>Creates an error.</summary>
    /// <param name="offset">Byte offset, from the start of the decoded data, where the problem was found.</param>
    /// <param name="record">Name of the record (struct or union) being decoded.</param>
    /// <param name="field">Name of the field being decoded, or an empty string for the record as a whole.</param>
    /// <param name="reason">What is wrong, as a constant sentence.</param>
    public DecodeError(int offset, string record, string field, string reason)
    {
        Offset = offset;
        _record = record;
        _field = field;
        _reason = reason;
    }

    /// <summary>Byte offset from the start of the decoded data.</summary>
    public int Offset { get; }

    /// <summary>Name of the record being decoded (empty for <c>default</c>).</summary>
    public string Record => _record ?? string.Empty;

    /// <summary>Name of the field being decoded (empty for the record as a whole).</summary>
    public string Field => _field ?? string.Empty;

    /// <summary>What is wrong.</summary>
    public string Reason => _reason ?? string.Empty;

    /// <summary>True when this value describes an error (false for <c>default</c>).</summary>
    public bool IsError => _reason is not null;

    private readonly string? _record;
    private readonly string? _field;
    private readonly string? _reason;

    /// <summary>The same error with its offset moved by <paramref name="delta"/> (for nested records).</summary>
    /// <param name="delta">Offset of the nested data within the outer data.</param>
    /// <returns>The shifted error.</returns>
    public DecodeError Shift(int delta) => new(Offset + delta, Record, Field, Reason);

    /// <summary>Throws a <see cref="BinaryFormatException"/> describing this error.</summary>
    /// <exception cref="BinaryFormatException">Always.</exception>
    public void Throw() => throw new BinaryFormatException(this);

    /// <inheritdoc />
    public bool Equals(DecodeError other) =>
        Offset == other.Offset && string.Equals(_record, other._record, StringComparison.Ordinal)
        && string.Equals(_field, other._field, StringComparison.Ordinal)
        && string.Equals(_reason, other._reason, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DecodeError other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Offset, _record, _field, _reason);

    /// <summary>Compares two errors.</summary>
    /// <param name="left">First error.</param>
    /// <param name="right">Second error.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(DecodeError left, DecodeError right) => left.Equals(right);

    /// <summary>Compares two errors.</summary>
    /// <param name="left">First error.</param>
    /// <param name="right">Second error.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(DecodeError left, DecodeError right) => !left.Equals(right);

    /// <summary>A one-line description, e.g. <c>offset 12: TracePacket.entries: truncated</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        if (!IsError)
        {
            return "no error";
        }

        var where = Field.Length == 0 ? Record : Record + "." + Field;
        return "offset " + Offset.ToString(System.Globalization.CultureInfo.InvariantCulture) + ": " + where + ": " + Reason;
    }
}
