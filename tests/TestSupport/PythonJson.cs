using System;
using System.Collections.Generic;

namespace Toolkit.TestSupport;

/// <summary>
/// JSON as Python's <c>json.dumps</c> writes it by default (", " and ": " between tokens), which is what Python REST
/// services such as FTS3 and the Data Dispatcher send. Used by the OpenAPI tests and the benchmarks.
/// </summary>
public static class PythonJson
{
    /// <summary>Adds a space after every comma and colon outside strings of a compact document.</summary>
    /// <param name="compact">Compact JSON (no white space outside strings).</param>
    /// <returns>The spaced JSON.</returns>
    public static byte[] Spaced(ReadOnlySpan<byte> compact)
    {
        var output = new List<byte>(compact.Length + (compact.Length / 8));
        var inString = false;
        var escaped = false;
        foreach (var b in compact)
        {
            output.Add(b);
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    escaped = true;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b == (byte)'"')
            {
                inString = true;
            }
            else if (b is (byte)',' or (byte)':')
            {
                output.Add((byte)' ');
            }
        }

        return output.ToArray();
    }
}
