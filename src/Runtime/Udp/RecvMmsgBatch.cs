using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Toolkit.Runtime.Udp;

/// <summary>
/// Linux batched receive: one <c>recvmmsg(2)</c> system call fills up to <see cref="Slots"/> datagrams, each in its own
/// 64 KiB slot of one pinned buffer, with the sender's address. The message headers, I/O vectors, addresses and data
/// are pinned arrays reused for every call: nothing is allocated per datagram. The struct layouts are the LP64
/// ones (x86-64, arm64), so <see cref="IsSupported"/> is false elsewhere and the receiver uses one call per datagram.
/// </summary>
internal sealed partial class RecvMmsgBatch
{
    /// <summary>Datagrams per system call at most.</summary>
    public const int Slots = 64;

    /// <summary>Bytes per datagram slot: the largest UDP payload fits.</summary>
    public const int SlotBytes = 1 << 16;

    private const int AddressBytes = 128;
    private const int MsgDontWait = 0x40;
    private const int MsgWaitForOne = 0x10000;
    private const int EIntr = 4;
    private const int EAgain = 11;

    private readonly byte[] _data = GC.AllocateUninitializedArray<byte>(Slots * SlotBytes, pinned: true);
    private readonly byte[] _addresses = GC.AllocateArray<byte>(Slots * AddressBytes, pinned: true);
    private readonly IoVec[] _iov = GC.AllocateArray<IoVec>(Slots, pinned: true);
    private readonly MMsgHdr[] _headers = GC.AllocateArray<MMsgHdr>(Slots, pinned: true);
    private readonly nint _headersAddress;

    public RecvMmsgBatch()
    {
        nint data = Marshal.UnsafeAddrOfPinnedArrayElement(_data, 0);
        nint addresses = Marshal.UnsafeAddrOfPinnedArrayElement(_addresses, 0);
        nint iov = Marshal.UnsafeAddrOfPinnedArrayElement(_iov, 0);
        for (int i = 0; i < Slots; i++)
        {
            _iov[i] = new IoVec { Base = data + (i * SlotBytes), Length = SlotBytes };
            _headers[i] = new MMsgHdr { Name = addresses + (i * AddressBytes), NameLength = AddressBytes, Iov = iov + (i * Marshal.SizeOf<IoVec>()), IovLength = 1 };
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

    /// <summary>The bytes of received datagram <paramref name="index"/>.</summary>
    /// <param name="index">0 to the count returned by <see cref="Receive"/>.</param>
    /// <returns>The datagram.</returns>
    public ReadOnlySpan<byte> Datagram(int index) => _data.AsSpan(index * SlotBytes, (int)Math.Min(_headers[index].Length, SlotBytes));

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
