using System;
using System.IO;

namespace Toolkit.XrdMon.Tests;

internal static class TestData
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "testdata", "xrdmon", relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));
}
