using System;
using System.Text;
using Toolkit.JAliEn;

namespace Toolkit.Commands.Tests;

/// <summary>
/// What the reader claims about memory: decoding allocates the rows and their values, not a document. Rows of numbers
/// only (<c>du</c>'s counters) cost the row object and its list slot: counted with GC.GetAllocatedBytesForCurrentThread.
/// </summary>
public sealed class AllocationTests
{
    [Fact]
    public void NumericRowsCostTheirObjectOnly()
    {
        const int Rows = 20_000;
        var sb = new StringBuilder("{\"metadata\":{\"exitcode\":\"0\",\"error\":\"\",\"user\":\"u\",\"currentdir\":\"/\"},\"results\":[");
        for (var i = 0; i < Rows; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append("{\"folders\":\"").Append(i).Append("\",\"logical_files_count\":\"12\",\"logical_files_size\":\"123456789\",\"physical_files_count\":\"24\",\"physical_files_size\":\"246913578\",\"unknown\":{\"skipped\":[1,2,3]}}");
        }

        ReadOnlyMemory<byte> reply = Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
        AlienReplyReader.Read<DuRow>(reply, "du"); // warm up (JIT, statics)
        var before = GC.GetAllocatedBytesForCurrentThread();
        var r = AlienReplyReader.Read<DuRow>(reply, "du");
        var perRow = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Rows;
        Assert.Equal(Rows, r.Rows.Count);
        Assert.Equal(246913578L, r.Rows[Rows - 1].PhysicalFilesSize);
        // DuRow: header and method table (16), one string reference (8) and five long? (16 each): 104 bytes; the list
        // holds a reference (8) and doubles as it grows (another 8 or so amortised). A JsonDocument would add its whole
        // metadata database (12 bytes per token, about 15 tokens a row) on top.
        Assert.InRange(perRow, 100, 150);
    }
}
