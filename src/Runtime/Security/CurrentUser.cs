using System;
using System.Collections.Generic;
using System.IO;
using System.Globalization;

namespace Toolkit.Runtime.Security;

/// <summary>The numeric user id of this process, read from <c>/proc/self/status</c> (no native calls).</summary>
internal static class CurrentUser
{
    private static readonly Lazy<long?> s_uid = new(Read);

    public static long? UserId => s_uid.Value;

    private static long? Read()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    var parts = line[4..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long uid))
                    {
                        return uid;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return null;
    }
}
