using System.Text.Json;

namespace Toolkit.XrdMon;

/// <summary>
/// The f-stream close parts that <see cref="XrdMonJsonWriter"/> (<c>xrdmon decode</c>) and the collector's event
/// writer both write: the transfer totals and the <c>ops</c> and <c>ssq</c> objects. Static and allocation-free.
/// </summary>
internal static class FstatJson
{
    /// <summary>The pre-encoded <c>read_bytes</c>.</summary>
    public static readonly JsonEncodedText ReadBytesName = JsonEncodedText.Encode("read_bytes");

    /// <summary>The pre-encoded <c>readv_bytes</c>.</summary>
    public static readonly JsonEncodedText ReadvBytesName = JsonEncodedText.Encode("readv_bytes");

    /// <summary>The pre-encoded <c>write_bytes</c>.</summary>
    public static readonly JsonEncodedText WriteBytesName = JsonEncodedText.Encode("write_bytes");

    /// <summary>Writes <c>read_bytes</c>, <c>readv_bytes</c> and <c>write_bytes</c>.</summary>
    /// <param name="json">The writer, inside an object.</param>
    /// <param name="transfer">The totals.</param>
    public static void Transfer(Utf8JsonWriter json, FstatTransferReader transfer)
    {
        json.WriteNumber(ReadBytesName, transfer.ReadBytes);
        json.WriteNumber(ReadvBytesName, transfer.ReadvBytes);
        json.WriteNumber(WriteBytesName, transfer.WriteBytes);
    }

    /// <summary>Writes the <c>ops</c> object.</summary>
    /// <param name="json">The writer, inside an object.</param>
    /// <param name="ops">The operation counts.</param>
    /// <param name="readSizes">Whether to include <c>rs_min</c> and <c>rs_max</c> (the decode output has them; of the collector's events only summaries do).</param>
    public static void Ops(Utf8JsonWriter json, FstatOpsReader ops, bool readSizes)
    {
        json.WriteStartObject("ops");
        json.WriteNumber("read", ops.Reads);
        json.WriteNumber("readv", ops.Readvs);
        json.WriteNumber("write", ops.Writes);
        if (readSizes)
        {
            json.WriteNumber("rs_min", ops.RsMin);
            json.WriteNumber("rs_max", ops.RsMax);
        }

        json.WriteNumber("rsegs", ops.Rsegs);
        json.WriteNumber("rd_min", ops.RdMin);
        json.WriteNumber("rd_max", ops.RdMax);
        json.WriteNumber("rv_min", ops.RvMin);
        json.WriteNumber("rv_max", ops.RvMax);
        json.WriteNumber("wr_min", ops.WrMin);
        json.WriteNumber("wr_max", ops.WrMax);
        json.WriteEndObject();
    }

    /// <summary>Writes the <c>ssq</c> object; a sum of squares that is not finite is written as null.</summary>
    /// <param name="json">The writer, inside an object.</param>
    /// <param name="ssq">The sums of squares.</param>
    public static void Ssq(Utf8JsonWriter json, FstatSsqReader ssq)
    {
        json.WriteStartObject("ssq");
        Double(json, "read", ssq.ReadSquares);
        Double(json, "readv", ssq.ReadvSquares);
        Double(json, "rsegs", ssq.RsegsSquares);
        Double(json, "write", ssq.WriteSquares);
        json.WriteEndObject();
    }

    private static void Double(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
