using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Toolkit.JAliEn.Transfer;

/// <summary>
/// alienpy's cp file selection for a directory source: <c>-select</c> and <c>-name</c> (exclusive with <c>-glob</c>),
/// the client-side filters over the <c>find</c> rows, and <c>-parent</c>/<c>-rmprefix</c> for the local paths.
/// Regular expressions run with <see cref="RegexTimeout"/>, so an untrusted pattern cannot hang the copy.
/// </summary>
public sealed class AlienCopyFilter
{
    /// <summary>The most time one regular-expression match may take.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A regex the full LFN must match (<c>-select</c>).</summary>
    public string? Select { get; init; }

    /// <summary>A regex on the file name, or <c>begin_X</c>, <c>contain_X</c>, <c>ends_X</c>, <c>ext_X</c> (<c>-name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Skip LFNs that contain this text (<c>-exclude</c>).</summary>
    public string? Exclude { get; init; }

    /// <summary>Skip LFNs that match this regex (<c>-exclude_re</c>).</summary>
    public string? ExcludeRegex { get; init; }

    /// <summary>Only files of this owner (<c>-user</c>).</summary>
    public string? User { get; init; }

    /// <summary>Only files of this group (<c>-group</c>).</summary>
    public string? Group { get; init; }

    /// <summary>Only files written by this job (<c>-jobid</c>).</summary>
    public long? JobId { get; init; }

    /// <summary>Only files of at least this many bytes (<c>-minsize</c>).</summary>
    public long? MinSize { get; init; }

    /// <summary>Only files of at most this many bytes (<c>-maxsize</c>).</summary>
    public long? MaxSize { get; init; }

    /// <summary>Only files at least this deep (<c>-mindepth</c>; a file directly in the source directory has depth 1).</summary>
    public int? MinDepth { get; init; }

    /// <summary>Only files at most this deep (<c>-maxdepth</c>).</summary>
    public int? MaxDepth { get; init; }

    /// <summary>Only files created at or after this time (<c>-min-ctime</c>).</summary>
    public DateTimeOffset? MinCtime { get; init; }

    /// <summary>Only files created at or before this time (<c>-max-ctime</c>).</summary>
    public DateTimeOffset? MaxCtime { get; init; }

    /// <summary>Keep this many parent directories of each file under the target (<c>-parent</c>).</summary>
    public int? Parent { get; init; }

    /// <summary>Drop this many leading components of each LFN under the target (<c>-rmprefix</c>).</summary>
    public int? RemovePrefix { get; init; }

    /// <summary>Whether no filter and no path rule is set.</summary>
    public bool IsEmpty =>
        Select is null && Name is null && Exclude is null && ExcludeRegex is null && User is null && Group is null && JobId is null
        && MinSize is null && MaxSize is null && MinDepth is null && MaxDepth is null && MinCtime is null && MaxCtime is null
        && Parent is null && RemovePrefix is null;

    /// <summary>The regex for a <c>-name</c> value: a verb (<c>begin_</c>, <c>contain_</c>, <c>ends_</c>, <c>ext_</c>) or a regex.</summary>
    /// <param name="name">The value.</param>
    /// <returns>The regex on the file name.</returns>
    /// <exception cref="ArgumentException">An unknown verb (<c>word_</c> prefix) or a bad regex.</exception>
    public static Regex NameRegex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int cut = name.IndexOf('_', StringComparison.Ordinal);
        if (cut > 0 && IsWord(name.AsSpan(0, cut)))
        {
            string verb = name[..cut], value = Regex.Escape(name[(cut + 1)..]);
            string pattern = verb switch
            {
                "begin" => "^" + value,
                "contain" => value,
                "ends" => value + "$",
                "ext" => @"\." + value + "$",
                _ => throw new ArgumentException("-name: unknown verb '" + verb + "_' (use begin_, contain_, ends_, ext_, or a regex such as ^" + name + ")", nameof(name)),
            };
            return new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        return Compile("-name", name);
    }

    /// <summary>Compiles a user regex with <see cref="RegexTimeout"/>.</summary>
    /// <param name="option">The option, for the error.</param>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The regex.</returns>
    /// <exception cref="ArgumentException">The pattern is not a valid regex.</exception>
    public static Regex Compile(string option, string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(option + ": not a valid regular expression: " + e.Message, nameof(pattern), e);
        }
    }

    /// <summary>Checks the options that exclude one another.</summary>
    /// <param name="glob">The <c>-glob</c> pattern (<c>*</c> when not given).</param>
    /// <exception cref="ArgumentException">Two of <c>-glob</c>/<c>-select</c>/<c>-name</c>, or <c>-parent</c> with <c>-rmprefix</c>, or a negative number.</exception>
    public void Validate(string glob)
    {
        int selectors = (glob != "*" ? 1 : 0) + (Select is null ? 0 : 1) + (Name is null ? 0 : 1);
        if (selectors > 1)
        {
            throw new ArgumentException("-glob, -select and -name are mutually exclusive: give only one");
        }
        if (Parent is not null && RemovePrefix is not null)
        {
            throw new ArgumentException("-parent and -rmprefix are mutually exclusive: give only one");
        }
        if (Parent < 0 || RemovePrefix < 0 || MinDepth < 0 || MaxDepth < 0 || MinSize < 0 || MaxSize < 0)
        {
            throw new ArgumentException("-parent, -rmprefix, -mindepth, -maxdepth, -minsize and -maxsize take a number of at least 0");
        }
    }

    /// <summary>A matcher for the rows of <c>find</c> under <paramref name="directory"/>.</summary>
    /// <param name="directory">The searched directory, ending in <c>/</c>.</param>
    /// <returns>The predicate.</returns>
    public Func<FindEntry, bool> Matcher(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var select = Select is null ? null : Compile("-select", Select);
        var name = Name is null ? null : NameRegex(Name);
        var excludeRe = ExcludeRegex is null ? null : Compile("-exclude_re", ExcludeRegex);
        return e =>
        {
            string lfn = e.Lfn;
            int depth = lfn.StartsWith(directory, StringComparison.Ordinal) ? lfn.AsSpan(directory.Length).Count('/') + 1 : 1;
            string fileName = lfn[(lfn.LastIndexOf('/') + 1)..];
            return (select is null || Match(select, "-select", lfn))
                && (name is null || Match(name, "-name", fileName))
                && (Exclude is null || !lfn.Contains(Exclude, StringComparison.Ordinal))
                && (excludeRe is null || !Match(excludeRe, "-exclude_re", lfn))
                && (User is null || string.Equals(e.Owner, User, StringComparison.Ordinal))
                && (Group is null || string.Equals(e.Gowner, Group, StringComparison.Ordinal))
                && (JobId is null || e.JobId == JobId)
                && (MinSize is null || (e.Size ?? 0) >= MinSize) && (MaxSize is null || (e.Size ?? 0) <= MaxSize)
                && (MinDepth is null || depth >= MinDepth) && (MaxDepth is null || depth <= MaxDepth)
                && (MinCtime is null || (e.Ctime is { } c1 && c1 >= MinCtime)) && (MaxCtime is null || (e.Ctime is { } c2 && c2 <= MaxCtime));
        };
    }

    /// <summary>The path of a file under the target with <c>-parent</c> or <c>-rmprefix</c>; null when neither is set.</summary>
    /// <param name="lfn">The file's LFN.</param>
    /// <returns>The relative path (with <c>/</c>), or null.</returns>
    public string? RelativeTarget(string lfn)
    {
        ArgumentNullException.ThrowIfNull(lfn);
        if (Parent is null && RemovePrefix is null)
        {
            return null;
        }
        string[] parts = lfn.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int skip = RemovePrefix is { } r ? Math.Min(r, parts.Length - 1) : Math.Max(0, parts.Length - 1 - Parent!.Value);
        return string.Join('/', parts[skip..]);
    }

    /// <summary>Parses a time for <c>-min-ctime</c>/<c>-max-ctime</c>: Unix seconds or an ISO 8601 date.</summary>
    /// <param name="option">The option, for the error.</param>
    /// <param name="text">The value.</param>
    /// <returns>The time.</returns>
    /// <exception cref="ArgumentException">Neither form.</exception>
    public static DateTimeOffset ParseTime(string option, string text)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds <= 253_402_300_799)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }
        throw new ArgumentException(option + ": '" + text + "' is neither Unix seconds nor an ISO 8601 date", nameof(text));
    }

    private static bool Match(Regex regex, string option, string input)
    {
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException e)
        {
            throw new ArgumentException(option + ": the regular expression took longer than " + RegexTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s on '" + input + "'", nameof(input), e);
        }
    }

    private static bool IsWord(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (c is < 'a' or > 'z')
            {
                return false;
            }
        }
        return true;
    }
}
