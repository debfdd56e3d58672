using System;
using System.IO;
using System.Linq;
using System.Text;
using Toolkit.Unicore.Uftp;

namespace Toolkit.Unicore.Tests.Uftp;

/// <summary>
/// Inputs that crashed the control-reply parsers in fuzz target <c>uftp-control</c> (fuzz/README.md: what uftpd sends
/// on the control connection; each line also goes through the STAT, MLST and HASH parsers), replayed: every line
/// parses or is a <see cref="UftpReplyException"/>. A STAT time past year 9999 threw
/// <see cref="ArgumentOutOfRangeException"/>; a <c>UNIX.mode</c> fact with 8 or 9 in it threw
/// <see cref="FormatException"/>, an overlong one <see cref="OverflowException"/>.
/// </summary>
public sealed class UftpFuzzRegressionTests
{
    private static string Dir => RepoPaths.Combine("tests", "Toolkit.Unicore.Tests", "FuzzRegressions", "uftp-control");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Dir).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_line_of_a_crashing_dialogue_parses_or_is_a_reply_exception(string name)
    {
        var lines = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(Dir, name))).Split('\n');
        foreach (var line in lines.Select(l => l.TrimEnd('\r')))
        {
            Typed(() => UftpFileInfo.ParseStatLine(line));
            Typed(() => UftpFileInfo.ParseFacts(line));
            Typed(() => UftpHash.Parse(line.Length > 4 ? line[4..] : line));
        }
    }

    [Fact]
    public void A_stat_time_past_year_9999_is_a_reply_exception_naming_it()
    {
        var e = Assert.Throws<UftpReplyException>(() => UftpFileInfo.ParseStatLine("-rw 1 99999999999999999 n"));
        Assert.Contains("modification time out of range", e.Message, StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.MaxValue.ToUnixTimeMilliseconds(), UftpFileInfo.ParseStatLine("-rw 1 253402300799999 n").LastModified.ToUnixTimeMilliseconds());
    }

    [Theory]
    [InlineData("999", null)]
    [InlineData("77777777777", null)]
    [InlineData("0644", 420)]
    [InlineData("755", 493)]
    public void A_unix_mode_fact_is_octal_or_ignored(string mode, int? expected)
        => Assert.Equal(expected, UftpFileInfo.ParseFacts("size=1;UNIX.mode=" + mode + "; n").UnixMode);

    private static void Typed(Action parse)
    {
        try
        {
            parse();
        }
        catch (UftpReplyException)
        {
        }
    }
}
