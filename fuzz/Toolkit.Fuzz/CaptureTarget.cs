using System;
using System.IO;
using Toolkit.Runtime.Capture;
using Toolkit.XrdMon;

namespace Toolkit.Fuzz;

/// <summary>
/// The capture container (<c>CaptureReader</c> over a stream and <c>CaptureSpanReader</c> over memory): both must read
/// the same datagrams and report the same damage, if any (a thrown <see cref="CaptureFormatException"/>, and the span
/// reader's <c>Error</c> with the exception it describes, with the same message); every datagram read is decoded too.
/// </summary>
internal static class CaptureTarget
{
    public static void Run(byte[] data)
    {
        int streamCount = 0;
        int spanCount = 0;
        CaptureFormatException? streamError = null;
        CaptureFormatException? spanError = null;
        using var writer = new XrdMonJsonWriter(Stream.Null);
        try
        {
            using var reader = new CaptureReader(new MemoryStream(data), leaveOpen: false);
            while (reader.TryRead(out ReadOnlyMemory<byte> datagram))
            {
                writer.WriteDatagram(streamCount++, datagram.Span);
            }
        }
        catch (CaptureFormatException e)
        {
            streamError = e;
        }

        var span = new CaptureSpanReader(data);
        while (span.TryRead(out ReadOnlySpan<byte> _))
        {
            spanCount++;
        }

        // The span reader reports damage through Error (it cannot throw from a ref struct loop by design).
        if (span.Error != CaptureErrorKind.None)
        {
            spanError = span.CreateException();
        }

        if (streamCount != spanCount || (streamError is null) != (spanError is null) || streamError?.Message != spanError?.Message)
        {
            throw new InvalidOperationException("CaptureReader read " + streamCount + " datagrams (" + (streamError?.Message ?? "no error")
                + "), CaptureSpanReader " + spanCount + " (" + (spanError?.Message ?? "no error") + ")");
        }
    }
}
