using System;
using Toolkit.Runtime.Http;

namespace Toolkit.Cli.Tests;

/// <summary>The one sanitiser for text from outside on its way to a terminal (issue 17, defect 7).</summary>
public class TerminalTextTests
{
    [Theory]
    [InlineData("plain /CN=alice", "plain /CN=alice")]
    [InlineData("tab\tkept", "tab\tkept")]
    [InlineData("esc\u001b[2Jclear", @"esc\u001b[2Jclear")]
    [InlineData("bell\u0007 cr\r lf\n nul\0", @"bell\u0007 cr\u000d lf\u000a nul\u0000")]
    [InlineData("del\u007f c1\u009b[31m", @"del\u007f c1\u009b[31m")]
    [InlineData("ls\u2028ps\u2029rlo\u202egnp.exe", @"ls\u2028ps\u2029rlo\u202egnp.exe")]
    [InlineData("é ü 日本 😀", "é ü 日本 😀")]
    [InlineData(null, "")]
    public void Control_codes_become_visible_escapes_and_the_rest_is_kept(string? text, string expected)
        => Assert.Equal(expected, TerminalText.Clean(text));

    [Fact]
    public void Long_text_is_cut_with_a_note_and_never_splits_a_surrogate_pair()
    {
        var text = new string('x', 5) + "😀" + new string('y', 100);
        var cut = TerminalText.Clean(text, 6);
        Assert.Equal("xxxxx… (102 more characters not shown; --json prints all)", cut);
        Assert.Equal(new string('a', TerminalText.DefaultMaxLength) + "… (49000 more characters not shown; --json prints all)", TerminalText.Clean(new string('a', 50_000)));
    }

    [Fact]
    public void The_error_line_escapes_a_servers_control_codes()
    {
        var mapped = CliErrors.Map(new ApiException("denied\u001b]0;owned\u0007\nsecond line"));
        Assert.Equal(@"error: denied\u001b]0;owned\u0007 second line", mapped!.Value.Message);
    }
}
