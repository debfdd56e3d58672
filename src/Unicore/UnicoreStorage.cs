using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Http;
using Toolkit.Runtime.Json;

namespace Toolkit.Unicore;

/// <summary>One entry of a directory listing: its path (relative to the storage, without the leading '/') and properties.</summary>
/// <param name="Path">The path within the storage.</param>
/// <param name="Info">The entry's properties.</param>
public sealed record UnicoreFileEntry(string Path, FileInfo Info)
{
    /// <summary>Whether the entry is a directory.</summary>
    public bool IsDirectory => Info.IsDirectory == true;
}

/// <summary>
/// A storage (home, project space, a job's working directory; PyUNICORE's <c>Storage</c>): list, stat, mkdir,
/// streamed upload, ranged download, copy, rename, delete, and server-to-server transfers. Paths are relative to
/// the storage root; a leading '/' is optional.
/// </summary>
public partial class UnicoreStorage
{
    private const string Octets = "application/octet-stream";
    private readonly UnicoreHttp _http = null!;
    private Uri? _files;

    /// <summary>For test doubles.</summary>
    protected UnicoreStorage()
    {
        Url = null!;
    }

    internal UnicoreStorage(UnicoreHttp http, Uri url)
    {
        _http = http;
        Url = url;
    }

    /// <summary>The storage's URL.</summary>
    public virtual Uri Url { get; }

    /// <summary><c>GET</c> the storage's properties.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The properties.</returns>
    public virtual Task<StorageProperties> GetPropertiesAsync(CancellationToken cancellationToken = default) =>
        _http.GetJsonAsync<StorageProperties>(Url, cancellationToken);

    /// <summary>A file's or directory's properties.</summary>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The properties.</returns>
    /// <exception cref="UnicoreNotFoundException">No such file.</exception>
    public virtual async Task<FileInfo> StatAsync(string path, CancellationToken cancellationToken = default) =>
        await _http.GetJsonAsync<FileInfo>(await FileUrlAsync(path, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Whether a path exists.</summary>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it exists.</returns>
    public virtual async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            await StatAsync(path, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (UnicoreNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The entries of a directory (the <c>content</c> of its properties), sorted by path.</summary>
    /// <param name="path">The directory; "/" for the root.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="UnicoreProtocolException">The path is a file, or the reply has no content.</exception>
    public virtual async Task<IReadOnlyList<UnicoreFileEntry>> ListAsync(string path = "/", CancellationToken cancellationToken = default)
    {
        var url = await FileUrlAsync(path, cancellationToken).ConfigureAwait(false);
        var info = await _http.GetJsonAsync<FileInfo>(url, cancellationToken).ConfigureAwait(false);
        if (info.IsDirectory == false)
        {
            throw new UnicoreProtocolException(url + " is a file, not a directory");
        }

        return (info.Content ?? throw new UnicoreProtocolException("the listing of " + url + " has no 'content'"))
            .Select(kv => new UnicoreFileEntry(kv.Key.TrimStart('/'), kv.Value))
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Creates a directory (and its parents): <c>POST {}</c> to its URL.</summary>
    /// <param name="path">The directory.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual async Task MkdirAsync(string path, CancellationToken cancellationToken = default) =>
        await _http.PostJsonAsync(await FileUrlAsync(path, cancellationToken).ConfigureAwait(false), UnicoreHttp.EmptyObject(), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Uploads <paramref name="content"/> to <paramref name="path"/> (<c>PUT</c> application/octet-stream, streamed;
    /// the server creates parent directories). The stream is not disposed. A stream that cannot seek cannot be sent
    /// again after a 432, so then the session error surfaces.
    /// </summary>
    /// <param name="path">The remote path.</param>
    /// <param name="content">The data.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The task.</returns>
    public virtual async Task UploadAsync(string path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var url = await FileUrlAsync(path, cancellationToken).ConfigureAwait(false);
        long start = content.CanSeek ? content.Position : 0;
        using var response = await _http.SendAsync(HttpMethod.Put, url, () =>
        {
            if (content.CanSeek)
            {
                content.Position = start;
            }

            return ApiTransport.StreamContent(content, Octets);
        }, "application/json", cancellationToken, canResend: content.CanSeek).ConfigureAwait(false);
    }

    /// <summary>Uploads a local file.</summary>
    /// <param name="localPath">The local file.</param>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The task.</returns>
    public virtual async Task UploadFileAsync(string localPath, string path, CancellationToken cancellationToken = default)
    {
        var file = File.OpenRead(localPath);
        await using (file.ConfigureAwait(false))
        {
            await UploadAsync(path, file, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens a file for reading (<c>GET</c> application/octet-stream), the whole file or <paramref name="length"/>
    /// bytes from <paramref name="offset"/> (<c>Range: bytes=a-b</c>). Dispose the stream to release the connection.
    /// </summary>
    /// <param name="path">The remote path.</param>
    /// <param name="offset">First byte.</param>
    /// <param name="length">Byte count; null up to the end.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The data stream.</returns>
    public virtual async Task<Stream> OpenReadAsync(string path, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is { } l)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(l, nameof(length));
        }

        var url = await FileUrlAsync(path, cancellationToken).ConfigureAwait(false);
        string? range = offset == 0 && length is null ? null
            : "bytes=" + offset.ToString(CultureInfo.InvariantCulture) + "-" + (length is { } n ? (offset + n - 1).ToString(CultureInfo.InvariantCulture) : string.Empty);
        var response = await _http.SendAsync(HttpMethod.Get, url, null, Octets, cancellationToken, range: range).ConfigureAwait(false);
        try
        {
            if (range is not null && (int)response.StatusCode != 206)
            {
                throw new UnicoreProtocolException("GET " + url + " with Range " + range + " answered " + (int)response.StatusCode + " instead of 206 Partial Content");
            }

            return new ResponseStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Copies a remote file (or a range of it) into <paramref name="destination"/>.</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="destination">Where the bytes go (not disposed).</param>
    /// <param name="offset">First byte.</param>
    /// <param name="length">Byte count; null up to the end.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The bytes copied.</returns>
    public virtual async Task<long> DownloadAsync(string path, Stream destination, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var source = await OpenReadAsync(path, offset, length, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            long before = destination.CanSeek ? destination.Position : 0;
            await source.CopyToAsync(destination, 81920, cancellationToken).ConfigureAwait(false);
            return destination.CanSeek ? destination.Position - before : -1;
        }
    }

    /// <summary>
    /// Downloads to a local file through a temporary file in the same directory, renamed at the end, so that a
    /// failed download leaves no file that looks complete.
    /// </summary>
    /// <param name="path">The remote path.</param>
    /// <param name="localPath">The local file.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The bytes written.</returns>
    public virtual async Task<long> DownloadFileAsync(string path, string localPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        var full = System.IO.Path.GetFullPath(localPath);
        var temp = full + ".part-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            long n;
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write);
            await using (file.ConfigureAwait(false))
            {
                n = await DownloadAsync(path, file, 0, null, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, full, overwrite: true);
            return n;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>A whole file's bytes.</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The bytes.</returns>
    public virtual async Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await DownloadAsync(path, buffer, 0, null, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>A whole file as UTF-8 text.</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The text.</returns>
    public virtual async Task<string> ReadAllTextAsync(string path, CancellationToken cancellationToken = default) =>
        Encoding.UTF8.GetString(await ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));

    /// <summary>Deletes a file or a directory with its content.</summary>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual async Task DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        await _http.DeleteAsync(await FileUrlAsync(path, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Copies a file within the storage (link <c>action:copy</c>).</summary>
    /// <param name="source">Source path.</param>
    /// <param name="target">Target path.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual Task CopyAsync(string source, string target, CancellationToken cancellationToken = default) => MoveOrCopyAsync("copy", source, target, cancellationToken);

    /// <summary>Renames a file within the storage (link <c>action:rename</c>).</summary>
    /// <param name="source">Source path.</param>
    /// <param name="target">Target path.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    public virtual Task RenameAsync(string source, string target, CancellationToken cancellationToken = default) => MoveOrCopyAsync("rename", source, target, cancellationToken);

    /// <summary>
    /// Pushes a file of this storage to another storage (server-to-server; <c>POST</c> to the <c>transfers</c>
    /// link with <c>file</c> and <c>target</c>, e.g. <c>https://site/rest/core/storages/X/files/a</c>, optionally prefixed with
    /// the protocol <c>UFTP:</c>).
    /// </summary>
    /// <param name="file">The file in this storage.</param>
    /// <param name="target">The target URL.</param>
    /// <param name="extraParameters">Protocol parameters (e.g. <c>scheduledStartTime</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transfer.</returns>
    public virtual Task<UnicoreTransfer> SendFileAsync(string file, string target, IReadOnlyDictionary<string, string>? extraParameters = null, CancellationToken cancellationToken = default) =>
        TransferAsync(new TransferRequest { File = file, Target = target, ExtraParameters = extraParameters }, cancellationToken);

    /// <summary>Pulls a file from another storage into this one (server-to-server, <c>source</c>).</summary>
    /// <param name="source">The source URL.</param>
    /// <param name="file">The file in this storage.</param>
    /// <param name="extraParameters">Protocol parameters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transfer.</returns>
    public virtual Task<UnicoreTransfer> ReceiveFileAsync(string source, string file, IReadOnlyDictionary<string, string>? extraParameters = null, CancellationToken cancellationToken = default) =>
        TransferAsync(new TransferRequest { File = file, Source = source, ExtraParameters = extraParameters }, cancellationToken);

    /// <summary>The URL of a path in this storage (the <c>files</c> link + the path, each segment escaped).</summary>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The URL.</returns>
    public virtual async Task<Uri> FileUrlAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Split('/').Any(s => s == ".."))
        {
            throw new ArgumentException("a storage path may not contain '..': " + path, nameof(path));
        }

        if (_files is null)
        {
            var props = await GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            _files = UnicoreHttp.TryLink(props.Links, "files", Url) ?? new Uri(Url.AbsoluteUri.TrimEnd('/') + "/files");
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString);
        return new Uri(_files.AbsoluteUri.TrimEnd('/') + "/" + string.Join("/", segments));
    }

    /// <inheritdoc />
    public override string ToString() => Url.ToString();

    private async Task MoveOrCopyAsync(string action, string from, string to, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentException.ThrowIfNullOrEmpty(to);
        var props = await GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        var body = ApiJson.Serialize(new CopyRequest { From = from, To = to });
        await _http.PostJsonAsync(UnicoreHttp.Link(props.Links, "action:" + action, Url), body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<UnicoreTransfer> TransferAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        var props = await GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        var transfers = UnicoreHttp.TryLink(props.Links, "transfers", Url) ?? new Uri(Url.AbsoluteUri.TrimEnd('/') + "/transfers");
        var url = await _http.CreateAsync(transfers, ApiJson.Serialize(request), cancellationToken).ConfigureAwait(false);
        return new UnicoreTransfer(_http, url);
    }

    private sealed class ResponseStream(Stream inner, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
