using System;
using System.Collections.Generic;
using Toolkit.XrdMon.Streams;

namespace Toolkit.XrdMon.Collector;

public sealed partial class XrdMonCollector
{
    /// <summary>Per server-instance state: identity and one reorder buffer per sequence counter.</summary>
    private sealed class Instance : IDisposable
    {
        /// <summary>Most g-stream providers per server (5.5 knows four: C, M, T, P); more are rejected, which bounds memory.</summary>
        private const int MaxProviders = 8;
        private readonly int _window;
        private readonly byte[] _providers = new byte[MaxProviders];
        private readonly PseqReorderBuffer[] _gstreams = new PseqReorderBuffer[MaxProviders];
        private int _providerCount;

        public Instance(int id, int sender, XrdMonServer server, int window)
        {
            Id = id;
            Sender = sender;
            Server = server;
            _window = window;
            Main = new(window);
            File = new(window);
            Node = new(this);
        }

        public int Id { get; }

        public int Sender { get; }

        public XrdMonServer Server { get; }

        /// <summary>This instance's place in the collector's least-recently-used list.</summary>
        public LinkedListNode<Instance> Node { get; }

        /// <summary>Map, t and r packets share the per-destination counter.</summary>
        public PseqReorderBuffer Main { get; }

        /// <summary>The f-stream has its own counter.</summary>
        public PseqReorderBuffer File { get; }

        private ReadOnlySpan<PseqReorderBuffer> GStreams => _gstreams.AsSpan(0, _providerCount);

        public long PendingBytes
        {
            get
            {
                long n = Main.PendingBytes + File.PendingBytes;
                foreach (PseqReorderBuffer g in GStreams)
                {
                    n += g.PendingBytes;
                }

                return n;
            }
        }

        /// <summary>The reorder buffer of one g-stream provider (each has its own counter), or null when there are too many providers.</summary>
        public PseqReorderBuffer? GStreamBuffer(byte provider)
        {
            for (int i = 0; i < _providerCount; i++)
            {
                if (_providers[i] == provider)
                {
                    return _gstreams[i];
                }
            }

            if (_providerCount == MaxProviders)
            {
                return null;
            }

            _providers[_providerCount] = provider;
            return _gstreams[_providerCount++] = new PseqReorderBuffer(_window);
        }

        /// <summary>Time of the current f-stream packet (its TOD end).</summary>
        public int FileTime { get; set; }

        /// <summary>Start of the current t-stream window.</summary>
        public int TraceTime { get; set; }

        public bool SawFileStream { get; set; }

        /// <summary>The user id and payload of the last <c>=</c> record (it is re-parsed only when it changes).</summary>
        public byte[]? IdentText { get; set; }

        public int Pending
        {
            get
            {
                int n = Main.Pending + File.Pending;
                foreach (PseqReorderBuffer g in GStreams)
                {
                    n += g.Pending;
                }

                return n;
            }
        }

        public void FlushAll<TSink>(ref TSink sink)
            where TSink : IDatagramSink
        {
            Main.Flush(ref sink);
            File.Flush(ref sink);
            foreach (PseqReorderBuffer g in GStreams)
            {
                g.Flush(ref sink);
            }
        }

        public void AddCounters(SequenceCounters total)
        {
            total.Add(Main.Counters);
            total.Add(File.Counters);
            foreach (PseqReorderBuffer g in GStreams)
            {
                total.Add(g.Counters);
            }
        }

        public void Dispose()
        {
            Main.Dispose();
            File.Dispose();
            foreach (PseqReorderBuffer g in GStreams)
            {
                g.Dispose();
            }
        }
    }
}
