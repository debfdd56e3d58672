using System;

namespace Toolkit.Runtime.Binary;

/// <summary>
/// The fast validity check of a fixed-size record: true exactly when the full validator would accept the record at
/// the start of <paramref name="data"/>; builds no error.
/// </summary>
/// <param name="data">The data; at least <see cref="StructRecordInfo.FixedSize"/> bytes.</param>
/// <returns>True when the record is valid.</returns>
public delegate bool StructRecordCheck(ReadOnlySpan<byte> data);
