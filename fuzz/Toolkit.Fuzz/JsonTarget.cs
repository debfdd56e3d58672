using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Toolkit.Runtime.Json;

namespace Toolkit.Fuzz;

/// <summary>
/// <see cref="ApiJsonReader"/> against <see cref="Utf8JsonReader"/> (the property test's differential, driven by
/// coverage): the same verdict, the same tokens, values and numbers; errors are <see cref="JsonException"/> with a
/// byte offset. A difference is a crash.
/// </summary>
internal static class JsonTarget
{
    private static readonly JsonReaderOptions StjOptions = new() { MaxDepth = ApiJsonReader.DefaultMaxDepth };

    public static void Run(byte[] doc)
    {
        var ours = new List<string>();
        var theirs = new List<string>();
        JsonException? ourError = null;
        JsonException? theirError = null;
        try
        {
            var r = new ApiJsonReader(doc);
            while (r.Read())
            {
                ours.Add(Describe(r.TokenType, r.CurrentDepth, r.TokenStartIndex, r.ValueSpan, r.ValueIsEscaped));
                if (r.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    ours.Add(OurText(ref r));
                }
                else if (r.TokenType == JsonTokenType.Number)
                {
                    ours.Add(r.TryGetInt64(out var l) + ":" + l + "|" + r.TryGetInt32(out var i) + ":" + i + "|" + r.TryGetDouble(out var d) + ":" + d.ToString("R", CultureInfo.InvariantCulture));
                }
            }
        }
        catch (JsonException e)
        {
            ourError = e;
        }

        try
        {
            var r = new Utf8JsonReader(doc, StjOptions);
            while (r.Read())
            {
                theirs.Add(Describe(r.TokenType, r.CurrentDepth, r.TokenStartIndex, r.ValueSpan, r.ValueIsEscaped));
                if (r.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    string text;
                    try
                    {
                        text = "text:" + r.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        text = "undecodable";
                    }

                    theirs.Add(text);
                }
                else if (r.TokenType == JsonTokenType.Number)
                {
                    var okD = r.TryGetDouble(out var d) && double.IsFinite(d);
                    theirs.Add(r.TryGetInt64(out var l) + ":" + l + "|" + r.TryGetInt32(out var i) + ":" + i + "|" + okD + ":" + (okD ? d : 0).ToString("R", CultureInfo.InvariantCulture));
                }
            }
        }
        catch (JsonException e)
        {
            theirError = e;
        }

        if ((ourError is null) != (theirError is null))
        {
            throw new InvalidOperationException("verdicts differ: ApiJsonReader " + (ourError?.Message ?? "accepted") + "; Utf8JsonReader " + (theirError?.Message ?? "accepted"));
        }

        if (ourError is null)
        {
            if (ours.Count != theirs.Count)
            {
                throw new InvalidOperationException("token counts differ: " + ours.Count + " and " + theirs.Count);
            }

            for (var k = 0; k < ours.Count; k++)
            {
                if (ours[k] != theirs[k])
                {
                    throw new InvalidOperationException("token " + k + " differs: ours " + ours[k] + "; Utf8JsonReader " + theirs[k]);
                }
            }

            return;
        }

        if (!ourError.Message.Contains("at byte ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("an ApiJsonReader error without a byte offset: " + ourError.Message);
        }

        // Up to the error, both saw the same tokens (one may stop a token earlier than the other).
        for (var k = 0; k < Math.Min(ours.Count, theirs.Count) - 2; k++)
        {
            if (ours[k] != theirs[k])
            {
                throw new InvalidOperationException("token " + k + " before the error differs: ours " + ours[k] + "; Utf8JsonReader " + theirs[k]);
            }
        }
    }

    private static string OurText(ref ApiJsonReader r)
    {
        try
        {
            return "text:" + r.GetString();
        }
        catch (JsonException e) when (e.Message.Contains("at byte ", StringComparison.Ordinal))
        {
            return "undecodable";
        }
    }

    private static string Describe(JsonTokenType type, int depth, long start, ReadOnlySpan<byte> value, bool escaped)
        => type + "@" + depth.ToString(CultureInfo.InvariantCulture) + "/" + start.ToString(CultureInfo.InvariantCulture) + "=" + Convert.ToHexString(value) + (escaped ? "+esc" : string.Empty);
}
