using System;
using System.IO;

namespace Toolkit.Runtime.Http;

/// <summary>
/// The value of a file part of a <c>multipart/form-data</c> body (a <c>format: binary</c> property): bytes in memory
/// or a stream (read once while the request is sent; the caller keeps ownership), a file name and a content type.
/// </summary>
public sealed class ApiFilePart
{
    /// <summary>A file part over bytes in memory.</summary>
    /// <param name="content">The bytes.</param>
    /// <param name="fileName">The file name sent in <c>Content-Disposition</c> (UTF-8, as RFC 7578 §4.2 allows), or null.</param>
    /// <param name="contentType">The part's media type, or null for the document's (else <c>application/octet-stream</c>).</param>
    public ApiFilePart(ReadOnlyMemory<byte> content, string? fileName = null, string? contentType = null)
    {
        Memory = content;
        FileName = fileName;
        ContentType = contentType;
    }

    /// <summary>A file part over a stream, read from its current position to its end.</summary>
    /// <param name="content">The stream (not disposed).</param>
    /// <param name="fileName">The file name sent in <c>Content-Disposition</c>, or null.</param>
    /// <param name="contentType">The part's media type, or null for the document's (else <c>application/octet-stream</c>).</param>
    public ApiFilePart(Stream content, string? fileName = null, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        Stream = content;
        FileName = fileName;
        ContentType = contentType;
    }

    /// <summary>The bytes, when the part was made from memory.</summary>
    public ReadOnlyMemory<byte> Memory { get; }

    /// <summary>The stream, when the part was made from one.</summary>
    public Stream? Stream { get; }

    /// <summary>The file name, or null.</summary>
    public string? FileName { get; }

    /// <summary>The media type, or null.</summary>
    public string? ContentType { get; }
}
