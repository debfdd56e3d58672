using System;

namespace Toolkit.Runtime.Binary;

/// <summary>The data is not a valid encoding of the record being read.</summary>
public sealed class BinaryFormatException : FormatException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public BinaryFormatException()
        : base("invalid binary record")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public BinaryFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public BinaryFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception from a decode error.</summary>
    /// <param name="error">What went wrong and where.</param>
    public BinaryFormatException(DecodeError error)
        : base(error.ToString())
    {
        Error = error;
    }

    /// <summary>The decode error (offset, record, field, reason).</summary>
    public DecodeError Error { get; }

    /// <summary>Byte offset from the start of the decoded data.</summary>
    public int Offset => Error.Offset;

    /// <summary>Name of the record being decoded.</summary>
    public string Record => Error.Record;

    /// <summary>Name of the field being decoded.</summary>
    public string Field => Error.Field;

    /// <summary>What is wrong.</summary>
    public string Reason => Error.Reason;
}
