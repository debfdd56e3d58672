namespace Toolkit.Runtime.Json;

/// <summary>Reads one JSON value of type <typeparamref name="T"/> from the reader's current token.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="reader">The reader, positioned on the value's first token.</param>
/// <returns>The decoded value.</returns>
public delegate T JsonReadFunc<T>(ref ApiJsonReader reader);
