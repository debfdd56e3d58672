using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Toolkit.Runtime.Security;

/// <summary>One PEM block (<c>-----BEGIN LABEL-----</c> … <c>-----END LABEL-----</c>) with its RFC 1421 headers.</summary>
internal sealed class PemBlock
{
    private PemBlock(string label, IReadOnlyDictionary<string, string> headers, byte[] data, int line)
    {
        Label = label;
        Headers = headers;
        Data = data;
        Line = line;
    }

    public string Label { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public byte[] Data { get; }

    /// <summary>1-based line of the BEGIN marker.</summary>
    public int Line { get; }

    /// <summary>Parses every PEM block of a text; text outside blocks is ignored.</summary>
    public static List<PemBlock> ParseAll(string text, string source)
    {
        var blocks = new List<PemBlock>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (!line.StartsWith("-----BEGIN ", StringComparison.Ordinal) || !line.EndsWith("-----", StringComparison.Ordinal))
            {
                continue;
            }
            string label = line[11..^5];
            int begin = i + 1;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var body = new System.Text.StringBuilder();
            bool ended = false;
            bool inHeaders = true;
            for (i++; i < lines.Length; i++)
            {
                string l = lines[i].Trim();
                if (l == $"-----END {label}-----")
                {
                    ended = true;
                    break;
                }
                if (inHeaders && l.Contains(':', StringComparison.Ordinal))
                {
                    int colon = l.IndexOf(':', StringComparison.Ordinal);
                    headers[l[..colon].Trim()] = l[(colon + 1)..].Trim();
                    continue;
                }
                inHeaders = false;
                body.Append(l);
            }
            if (!ended)
            {
                throw new CredentialException($"PEM block '{label}' starting at line {begin} has no END marker", source);
            }
            byte[] data;
            try
            {
                data = Convert.FromBase64String(body.ToString());
            }
            catch (FormatException e)
            {
                throw new CredentialException($"PEM block '{label}' starting at line {begin} is not valid base64", source, e);
            }
            blocks.Add(new PemBlock(label, headers, data, begin));
        }
        return blocks;
    }
}
