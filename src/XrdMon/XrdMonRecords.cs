using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon;

/// <summary>
/// Hands every record of a datagram, as decoded by the generated <see cref="PacketReader"/>, to a visitor. The
/// generated reader validates the whole packet first, so a bad datagram yields no records and one
/// <see cref="DecodeError"/> with the byte offset; reading allocates nothing. <c>Dispatch</c> and
/// <see cref="IXrdMonVisitor"/> are generated from the <c>visitor</c> declaration of <c>schemas/structs/xrdmon/xrdmon.structs</c>.
/// </summary>
public static partial class XrdMonRecords
{
    /// <summary>Formats a decode error as one line: <c>Record.field: reason</c>.</summary>
    /// <param name="error">The error.</param>
    /// <returns>The text (allocates; error path only).</returns>
    public static string Describe(in DecodeError error) =>
        error.Record.Length == 0 ? error.Reason
        : error.Field.Length == 0 ? $"{error.Record}: {error.Reason}"
        : $"{error.Record}.{error.Field}: {error.Reason}";
}
