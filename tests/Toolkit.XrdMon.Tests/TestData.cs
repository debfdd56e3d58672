using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace Toolkit.XrdMon.Tests;

/// <summary>The real XRootD 5.5.3 captures (testdata/xrdmon), copied next to the test assembly.</summary>
internal static class TestData
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "testdata", "xrdmon", relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));

    /// <summary>The folder of run1 (the captures, their oracles and traffic.log).</summary>
    public static string Dir => Path("run1");

    public static readonly string[] Captures = { "origin", "proxy" };

    /// <summary>Splits a run1 capture container (repeated u32 big-endian length + datagram) into datagrams.</summary>
    public static List<byte[]> Datagrams(string name)
    {
        var bytes = File.ReadAllBytes(System.IO.Path.Combine(Dir, name + ".xrdmon"));
        var list = new List<byte[]>();
        var pos = 0;
        while (pos + 4 <= bytes.Length)
        {
            var len = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(pos));
            pos += 4;
            Assert.True(len <= bytes.Length - pos, "capture container truncated");
            list.Add(bytes.AsSpan(pos, len).ToArray());
            pos += len;
        }

        Assert.Equal(bytes.Length, pos);
        return list;
    }

    public static IEnumerable<byte[]> AllDatagrams()
    {
        foreach (var c in Captures)
        {
            foreach (var d in Datagrams(c))
            {
                yield return d;
            }
        }
    }
}
