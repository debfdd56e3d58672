namespace Toolkit.XrdMon;

/// <summary>Names used in the JSON contract and events for codes that appear on the wire.</summary>
public static class XrdMonNames
{
    /// <summary>The r-stream operation name of a redirect's low nibble.</summary>
    /// <param name="operation">The operation code 0..15.</param>
    /// <returns>A lower-case name (<c>openr</c>, <c>stat</c>, ...) or <c>op</c>+number for unassigned codes.</returns>
    public static string RedirectOperation(byte operation) => operation switch
    {
        1 => "chmod",
        2 => "locate",
        3 => "opendir",
        4 => "openc",
        5 => "openr",
        6 => "openw",
        7 => "mkdir",
        8 => "mv",
        9 => "prepare",
        10 => "query",
        11 => "rm",
        12 => "rmdir",
        13 => "stat",
        14 => "trunc",
        0 => "op0",
        _ => "op15",
    };

    /// <summary>The JSON <c>kind</c> of a map record by packet code.</summary>
    /// <param name="code">The packet code.</param>
    /// <returns>The kind name.</returns>
    public static string MapKind(byte code) => code switch
    {
        (byte)'=' => "ident",
        (byte)'d' => "path",
        (byte)'i' => "info",
        (byte)'u' => "user",
        (byte)'U' => "user_activity",
        (byte)'p' => "purge",
        _ => "transfer",
    };
}
