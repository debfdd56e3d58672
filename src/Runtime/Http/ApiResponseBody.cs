using System;
using System.Buffers;
using System.Threading;

namespace Toolkit.Runtime.Http;

/// <summary>
/// A response body read into a buffer rented from <see cref="ArrayPool{T}.Shared"/>: what a generated client decodes
/// a success body from, so the body's bytes are not allocated per call. <see cref="Dispose"/> returns the buffer;
/// the bytes must not be used afterwards (an <see cref="ApiException"/> keeps its own bounded copy).
/// </summary>
public sealed class ApiResponseBody : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;
    private readonly bool _pooled;

    internal ApiResponseBody(byte[] buffer, int length, bool pooled)
    {
        _buffer = buffer;
        _length = length;
        _pooled = pooled;
    }

    /// <summary>An empty body (nothing rented).</summary>
    internal static ApiResponseBody Empty() => new(Array.Empty<byte>(), 0, pooled: false);

    /// <summary>How many bytes the body holds.</summary>
    public int Length => _length;

    /// <summary>The body's bytes.</summary>
    /// <exception cref="ObjectDisposedException">The body was disposed (its buffer is back in the pool).</exception>
    public ReadOnlySpan<byte> Span
    {
        get
        {
            var buffer = _buffer;
            ObjectDisposedException.ThrowIf(buffer is null, this);
            return buffer.AsSpan(0, _length);
        }
    }

    /// <summary>A copy of at most <paramref name="maxBytes"/> bytes from the start of the body.</summary>
    /// <param name="maxBytes">The most bytes to copy.</param>
    /// <returns>The copy.</returns>
    public byte[] ToArray(int maxBytes = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var span = Span;
        return span.Slice(0, Math.Min(span.Length, maxBytes)).ToArray();
    }

    /// <summary>Returns the buffer to the pool (once; later calls do nothing).</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null && _pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
