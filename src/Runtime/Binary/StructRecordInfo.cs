using System;

namespace Toolkit.Runtime.Binary;

/// <summary>Reads a record into its owned model; throws <see cref="BinaryFormatException"/> on bad data.</summary>
/// <param name="data">The encoded record (may be followed by other bytes).</param>
/// <returns>The model.</returns>
public delegate object StructRecordReader(ReadOnlySpan<byte> data);

/// <summary>Reads a record into its owned model without throwing.</summary>
/// <param name="data">The encoded record (may be followed by other bytes).</param>
/// <param name="model">The model, or null on failure.</param>
/// <param name="error">The error on failure.</param>
/// <returns>True on success.</returns>
public delegate bool StructRecordTryReader(ReadOnlySpan<byte> data, out object? model, out DecodeError error);

/// <summary>Describes one record type (struct or union) of a generated schema, for tools and property tests.</summary>
public sealed class StructRecordInfo
{
    /// <summary>Creates a description (called by generated registries).</summary>
    /// <param name="name">The schema name of the record.</param>
    /// <param name="modelType">The owned model type.</param>
    /// <param name="isUnion">True for a union.</param>
    /// <param name="read">Reads into a model, throwing on bad data.</param>
    /// <param name="tryRead">Reads into a model without throwing.</param>
    /// <param name="write">Encodes a model (of <paramref name="modelType"/>).</param>
    /// <param name="generate">Creates a random valid model.</param>
    public StructRecordInfo(
        string name,
        Type modelType,
        bool isUnion,
        StructRecordReader read,
        StructRecordTryReader tryRead,
        Func<object, byte[]> write,
        Func<Random, object> generate)
    {
        Name = name;
        ModelType = modelType;
        IsUnion = isUnion;
        Read = read;
        TryRead = tryRead;
        Write = write;
        Generate = generate;
    }

    /// <summary>The schema name of the record.</summary>
    public string Name { get; }

    /// <summary>The owned model type.</summary>
    public Type ModelType { get; }

    /// <summary>True for a union (its models are the variants' models).</summary>
    public bool IsUnion { get; }

    /// <summary>Reads into a model, throwing <see cref="BinaryFormatException"/> on bad data.</summary>
    public StructRecordReader Read { get; }

    /// <summary>Reads into a model without throwing.</summary>
    public StructRecordTryReader TryRead { get; }

    /// <summary>Encodes a model.</summary>
    public Func<object, byte[]> Write { get; }

    /// <summary>Creates a random valid model from a random source (deterministic for a seeded source).</summary>
    public Func<Random, object> Generate { get; }

    /// <summary>The encoded size of every record of this type, or null when it varies.</summary>
    public int? FixedSize { get; init; }

    /// <summary>
    /// The generated readers' fast check for a fixed-size record (what array validation runs per element), or null
    /// when the type has none; it agrees with <see cref="TryRead"/> on any data of at least <see cref="FixedSize"/> bytes.
    /// </summary>
    public StructRecordCheck? IsValidFixed { get; init; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
