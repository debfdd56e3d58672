using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Xml;

namespace Toolkit.JAliEn.Transfer;

/// <summary>Writes the metalink (<c>.meta4</c>, RFC 5854) that xrdcp reads: one file, its size and MD5, one URL per replica with its envelope.</summary>
public static class Metalink
{
    /// <summary>Writes the metalink.</summary>
    /// <param name="path">Where to write it.</param>
    /// <param name="name">The target file name.</param>
    /// <param name="lfn">The LFN (recorded as alienpy does).</param>
    /// <param name="size">The size.</param>
    /// <param name="md5">The catalogue MD5, or null.</param>
    /// <param name="replicas">The <c>access read</c> rows.</param>
    /// <returns>The zip member to extract (from a <c>#member</c> anchor), or null.</returns>
    public static string? Write(string path, string name, string lfn, long size, string? md5, IReadOnlyList<AccessEnvelope> replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        string? member = null;
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using var writer = XmlWriter.Create(path, settings);
        writer.WriteStartDocument();
        writer.WriteStartElement("metalink", "urn:ietf:params:xml:ns:metalink");
        writer.WriteStartElement("file");
        writer.WriteAttributeString("name", name);
        writer.WriteElementString("lfn", lfn);
        writer.WriteElementString("size", size.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(md5))
        {
            writer.WriteStartElement("hash");
            writer.WriteAttributeString("type", "md5");
            writer.WriteString(md5);
            writer.WriteEndElement();
        }
        int priority = 1;
        foreach (var r in replicas)
        {
            string url = r.Url;
            int anchor = url.IndexOf('#', StringComparison.Ordinal);
            if (anchor >= 0)
            {
                member = url[(anchor + 1)..];
                url = url[..anchor];
            }
            writer.WriteStartElement("url");
            if (r.Se is { } se)
            {
                writer.WriteAttributeString("location", se);
            }
            writer.WriteAttributeString("priority", (priority++).ToString(CultureInfo.InvariantCulture));
            writer.WriteString(WithEnvelope(url, r.Envelope));
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndDocument();
        return member;
    }

    /// <summary>The URL xrdcp gets: <c>url?xrd.wantprot=unix&amp;authz=&lt;envelope&gt;</c> (the envelope URL-escaped).</summary>
    /// <param name="url">The replica URL.</param>
    /// <param name="envelope">The envelope, or null.</param>
    /// <returns>The URL.</returns>
    public static string WithEnvelope(string url, string? envelope)
    {
        ArgumentNullException.ThrowIfNull(url);
        string sep = url.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return url + sep + "xrd.wantprot=unix" + (string.IsNullOrEmpty(envelope) ? string.Empty : "&authz=" + Uri.EscapeDataString(envelope));
    }
}
