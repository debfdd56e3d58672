using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Runtime.Http;

/// <summary>
/// A <c>multipart/form-data</c> body (RFC 7578) written by hand rather than through <see cref="MultipartFormDataContent"/>:
/// the boundary is a token sent unquoted, names and file names go out as UTF-8 with only <c>"</c>, CR and LF
/// percent-encoded (as RFC 7578 §2 and §4.2 and the HTML form encoding do, never RFC 2047 encoded words), a part's
/// Content-Type is sent only when it is not the text default, and extra part headers are checked for CR and LF.
/// The length is known (no chunking) when every stream part can seek.
/// </summary>
public sealed class ApiMultipartContent : HttpContent
{
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();
    private static readonly byte[] CloseTail = "--\r\n"u8.ToArray();
    private readonly List<(byte[] Head, ReadOnlyMemory<byte> Memory, Stream? Stream)> _parts = new();
    private readonly byte[] _delimiter;

    /// <summary>Creates an empty body with a random boundary.</summary>
    /// <param name="mediaType">The media type (<c>multipart/form-data</c>); the boundary parameter is added.</param>
    public ApiMultipartContent(string mediaType = "multipart/form-data")
        : this(mediaType, "toolkit-" + RandomBoundary())
    {
    }

    /// <summary>Creates an empty body with the given boundary.</summary>
    /// <param name="mediaType">The media type.</param>
    /// <param name="boundary">1 to 70 characters from RFC 2046's <c>bchars</c>, not ending in a space; sent quoted if it is not a token.</param>
    /// <exception cref="ArgumentException">The boundary is not valid.</exception>
    public ApiMultipartContent(string mediaType, string boundary)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        ArgumentNullException.ThrowIfNull(boundary);
        if (boundary.Length is 0 or > 70 || boundary[^1] == ' ' || !boundary.All(IsBChar))
        {
            throw new ArgumentException("a multipart boundary is 1 to 70 of RFC 2046's characters and does not end in a space", nameof(boundary));
        }

        Boundary = boundary;
        _delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var quoted = boundary.All(IsTokenChar) ? boundary : "\"" + boundary + "\"";
        Headers.TryAddWithoutValidation("Content-Type", mediaType + "; boundary=" + quoted);
    }

    /// <summary>The boundary.</summary>
    public string Boundary { get; }

    /// <summary>How many parts have been added.</summary>
    public int Count => _parts.Count;

    /// <summary>Adds a text part (UTF-8).</summary>
    /// <param name="name">The part (form field) name.</param>
    /// <param name="value">The text.</param>
    /// <param name="contentType">The media type, or null for the default <c>text/plain</c> (not sent).</param>
    /// <param name="headers">Extra part headers, or null.</param>
    public void AddText(string name, string value, string? contentType = null, IEnumerable<KeyValuePair<string, string?>>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        AddBytes(name, Encoding.UTF8.GetBytes(value), contentType, headers);
    }

    /// <summary>Adds a part holding bytes (a JSON value, a base64 text).</summary>
    /// <param name="name">The part name.</param>
    /// <param name="value">The bytes.</param>
    /// <param name="contentType">The media type, or null for none.</param>
    /// <param name="headers">Extra part headers, or null.</param>
    public void AddBytes(string name, ReadOnlyMemory<byte> value, string? contentType, IEnumerable<KeyValuePair<string, string?>>? headers = null)
        => _parts.Add((Head(name, null, contentType, headers), value, null));

    /// <summary>Adds a file part.</summary>
    /// <param name="name">The part name.</param>
    /// <param name="file">The file.</param>
    /// <param name="defaultContentType">The media type when the file names none (the document's, else <c>application/octet-stream</c>).</param>
    /// <param name="headers">Extra part headers, or null.</param>
    public void AddFile(string name, ApiFilePart file, string? defaultContentType = null, IEnumerable<KeyValuePair<string, string?>>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var head = Head(name, file.FileName ?? name, file.ContentType ?? defaultContentType ?? "application/octet-stream", headers);
        _parts.Add((head, file.Memory, file.Stream));
    }

    /// <inheritdoc/>
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    /// <inheritdoc/>
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        foreach (var (head, memory, source) in _parts)
        {
            await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
            if (source is not null)
            {
                await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await stream.WriteAsync(memory, cancellationToken).ConfigureAwait(false);
            }

            await stream.WriteAsync(CrLf, cancellationToken).ConfigureAwait(false);
        }

        await stream.WriteAsync(_delimiter, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(CloseTail, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override bool TryComputeLength(out long length)
    {
        length = _delimiter.Length + 4;
        foreach (var (head, memory, source) in _parts)
        {
            length += head.Length + CrLf.Length;
            if (source is null)
            {
                length += memory.Length;
            }
            else if (source.CanSeek)
            {
                length += Math.Max(0, source.Length - source.Position);
            }
            else
            {
                length = 0;
                return false;
            }
        }

        return true;
    }

    private byte[] Head(string name, string? fileName, string? contentType, IEnumerable<KeyValuePair<string, string?>>? headers)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder();
        sb.Append("--").Append(Boundary).Append("\r\nContent-Disposition: form-data; name=\"").Append(Escape(name)).Append('"');
        if (fileName is not null)
        {
            sb.Append("; filename=\"").Append(Escape(fileName)).Append('"');
        }

        sb.Append("\r\n");
        if (contentType is not null)
        {
            sb.Append("Content-Type: ").Append(HeaderValue("Content-Type", contentType)).Append("\r\n");
        }

        if (headers is not null)
        {
            foreach (var (key, value) in headers)
            {
                if (value is null)
                {
                    continue;
                }

                if (key.Length == 0 || !key.All(IsTokenChar))
                {
                    throw new ArgumentException("'" + key + "' is not a valid header name for the part '" + name + "'", nameof(headers));
                }

                sb.Append(key).Append(": ").Append(HeaderValue(key, value)).Append("\r\n");
            }
        }

        sb.Append("\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string HeaderValue(string header, string value)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0 || value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("the value of the part header '" + header + "' contains a line break or NUL");
        }

        return value;
    }

    /// <summary>A name or file name inside quotes: <c>"</c>, CR and LF percent-encoded, everything else as UTF-8.</summary>
    private static string Escape(string s)
    {
        if (s.AsSpan().IndexOfAny('"', '\r', '\n') < 0)
        {
            return s;
        }

        return s.Replace("\"", "%22", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
    }

    private static string RandomBoundary()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private static bool IsBChar(char c)
        => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '\'' or '(' or ')' or '+' or '_' or ',' or '-' or '.' or '/' or ':' or '=' or '?' or ' ';

    private static bool IsTokenChar(char c)
        => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    /// <summary>The part count, for debugging.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => "multipart body, " + _parts.Count.ToString(CultureInfo.InvariantCulture) + " parts";
}
