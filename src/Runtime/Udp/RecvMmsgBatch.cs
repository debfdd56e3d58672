using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Toolkit.Runtime.Udp;

/// <summary>
/// Linux batched receive: one <c>recvmmsg(2)</c> system call fills up to <see cref="Slots"/> datagrams, with the
/// sender's address. Each datagram has two I/O vectors: a <see cref="SlotBytes"/> slot of one packed buffer, and
/// behind it its own overflow area for the rest of a datagram up to 64 KiB. Monitoring datagrams are small, so the
/// kernel normally writes only to the packed slots, which lie close together: their stride is an odd number of cache
/// lines, so successive datagrams do not compete for the same cache sets, and the batch spans about 1 MiB rather than
/// 4 MiB of pages (64 KiB slots had each datagram in its own cache set and TLB page, which made the kernel's copy the
/// largest part of the receive). A larger datagram is joined from its slot and its overflow area into one scratch
/// buffer. The message headers, I/O vectors, addresses and data are pinned arrays reused for every call: nothing is
/// allocated per datagram. The struct layouts are the LP64 ones (x86-64, arm64), so <see cref="IsSupported"/> is
/// false elsewhere and the receiver uses one call per datagram.
/// </summary>
internal sealed partial class RecvMmsgBatch
{
    /// <summary>Datagrams per system call at most.</summary>
    public const int Slots = 64;

    /// <summary>Bytes per packed datagram slot (16 KiB and one cache line: an odd number of 64-byte lines).</summary>
    public const int SlotBytes = (16 << 10) + 64;

    /// <summary>Bytes a datagram may have in all (slot + overflow): the largest UDP payload fits.</summary>
    public const int DatagramBytes = 1 << 16;

    private const int OverflowBytes = DatagramBytes - SlotBytes;

    private const int AddressBytes = 128;
    private const int MsgDontWait = 0x40;
    private const int MsgWaitForOne = 0x10000;
    private const int EIntr = 4;
    private const int EAgain = 11;

    private readonly byte[] _data = GC.AllocateUninitializedArray<byte>(Slots * SlotBytes, pinned: true);

    // Touched by the kernel only for datagrams longer than a slot; its pages stay unmapped until then.
    private readonly byte[] _overflow = GC.AllocateUninitializedArray<byte>(Slots * OverflowBytes, pinned: true);
    private readonly byte[] _joined = GC.AllocateUninitializedArray<byte>(DatagramBytes);
    private readonly byte[] _addresses = GC.AllocateArray<byte>(Slots * AddressBytes, pinned: true);
    private readonly IoVec[] _iov = GC.AllocateArray<IoVec>(2 * Slots, pinned: true);
    private readonly MMsgHdr[] _headers = GC.AllocateArray<MMsgHdr>(Slots, pinned: true);
    private readonly nint _headersAddress;

    public RecvMmsgBatch()
    {
        nint data = Marshal.UnsafeAddrOfPinnedArrayElement(_data, 0);
        nint overflow = Marshal.UnsafeAddrOfPinnedArrayElement(_overflow, 0);
        nint addresses = Marshal.UnsafeAddrOfPinnedArrayElement(_addresses, 0);
        nint iov = Marshal.UnsafeAddrOfPinnedArrayElement(_iov, 0);
        for (int i = 0; i < Slots; i++)
        {
            _iov[2 * i] = new IoVec { Base = data + (i * SlotBytes), Length = SlotBytes };
            _iov[(2 * i) + 1] = new IoVec { Base = overflow + (i * OverflowBytes), Length = OverflowBytes };
            _headers[i] = new MMsgHdr { Name = addresses + (i * AddressBytes), NameLength = AddressBytes, Iov = iov + (2 * i * Marshal.SizeOf<IoVec>()), IovLength = 2 };
        }

        _headersAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_headers, 0);
    }

    /// <summary>True on 64-bit Linux, where the native layouts below hold.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>
    /// Receives what is queued, up to <see cref="Slots"/> datagrams: when <paramref name="wait"/>, blocks until one
    /// arrives (or the socket's receive timeout passes), then takes the rest without waiting.
    /// </summary>
    /// <param name="socket">The bound socket.</param>
    /// <param name="wait">Whether to wait for the first datagram.</param>
    /// <param name="error">The socket error when the call failed (<see cref="SocketError.WouldBlock"/>: nothing queued).</param>
    /// <returns>The number of datagrams received, 0 on an error.</returns>
    public int Receive(Socket socket, bool wait, out SocketError error)
    {
        while (true)
        {
            int n = RecvMmsg(socket.SafeHandle, _headersAddress, Slots, wait ? MsgWaitForOne : MsgDontWait, 0);

            // The kernel wrote through raw addresses into this object's pinned arrays: keep them alive past the call.
            GC.KeepAlive(this);
            if (n >= 0)
            {
                error = SocketError.Success;
                return n;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == EIntr)
            {
                continue;
            }

            error = errno == EAgain ? SocketError.WouldBlock : SocketError.SocketError;
            return 0;
        }
    }

    /// <summary>
    /// The bytes of received datagram <paramref name="index"/>: in its slot, or, when longer than a slot, joined with its
    /// overflow in a scratch buffer that the next call reuses.
    /// </summary>
    /// <param name="index">0 to the count returned by <see cref="Receive"/>.</param>
    /// <returns>The datagram.</returns>
    public ReadOnlySpan<byte> Datagram(int index)
    {
        int length = (int)Math.Min(_headers[index].Length, DatagramBytes);
        if (length <= SlotBytes)
        {
            return _data.AsSpan(index * SlotBytes, length);
        }

        _data.AsSpan(index * SlotBytes, SlotBytes).CopyTo(_joined);
        _overflow.AsSpan(index * OverflowBytes, length - SlotBytes).CopyTo(_joined.AsSpan(SlotBytes));
        return _joined.AsSpan(0, length);
    }

    /// <summary>Copies the sender of datagram <paramref name="index"/> into <paramref name="sender"/> and readies the slot for the next call.</summary>
    /// <param name="index">0 to the count returned by <see cref="Receive"/>.</param>
    /// <param name="sender">Receives the native socket address.</param>
    public void CopySender(int index, SocketAddress sender)
    {
        int length = (int)Math.Min(_headers[index].NameLength, (uint)Math.Min(AddressBytes, sender.Buffer.Length));
        _addresses.AsSpan(index * AddressBytes, length).CopyTo(sender.Buffer.Span);
        sender.Size = length;
        _headers[index].NameLength = AddressBytes;
    }

    /// <summary>
    /// Sleeps for <paramref name="microseconds"/> (<c>nanosleep(2)</c>; the kernel may add its timer slack, 50 µs by
    /// default). A signal ends the sleep early, which only shortens the wait.
    /// </summary>
    /// <param name="microseconds">How long, 1 to 999,999.</param>
    public static void Sleep(int microseconds)
    {
        var request = new TimeSpec { Seconds = 0, Nanoseconds = microseconds * 1000L };
        _ = NanoSleep(in request, 0);
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in TimeSpec request, nint remaining);

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static partial int RecvMmsg(SafeHandle socket, nint headers, uint count, int flags, nint timeout);

    /// <summary>struct timespec (LP64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public nint Base;
        public nuint Length;
    }

    /// <summary>struct mmsghdr (a struct msghdr, 56 bytes on LP64, then msg_len).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct MMsgHdr
    {
        [FieldOffset(0)]
        public nint Name;
        [FieldOffset(8)]
        public uint NameLength;
        [FieldOffset(16)]
        public nint Iov;
        [FieldOffset(24)]
        public nuint IovLength;
        [FieldOffset(32)]
        public nint Control;
        [FieldOffset(40)]
        public nuint ControlLength;
        [FieldOffset(48)]
        public int Flags;
        [FieldOffset(56)]
        public uint Length;
    }
}
