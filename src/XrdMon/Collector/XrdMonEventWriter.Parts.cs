using System;
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Toolkit.Runtime.Binary;

namespace Toolkit.XrdMon.Collector;

// The parts every event shares: the event header with the server object, users, paths, accesses and close totals.
internal sealed partial class XrdMonEventWriter
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private void Begin(ReadOnlySpan<byte> kind, XrdMonServer server, int time)
    {
        _out.StartLine("{\"event\":"u8, kind);
        if (time != 0)
        {
            _out.Field(",\"time\":"u8, time);
        }

        // The server object is the same in every event of an instance: serialised once, copied as raw JSON.
        _out.Name("\"server\":"u8);
        _out.Raw(server.Json ??= ServerJson(server));
        _counters.Events++;
    }

    /// <summary>The kinds the collector passes as text (f-stream closes and FRM records).</summary>
    private void Begin(string kind, XrdMonServer server, int time)
    {
        switch (kind)
        {
            case "summary":
                Begin("summary"u8, server, time);
                return;
            case "file_close":
                Begin("file_close"u8, server, time);
                return;
            case "purge":
                Begin("purge"u8, server, time);
                return;
            case "frm_transfer":
                Begin("frm_transfer"u8, server, time);
                return;
        }

        _out.StartLine("{\"event\":"u8);
        _out.StringValue(kind);
        if (time != 0)
        {
            _out.Field(",\"time\":"u8, time);
        }

        _out.Name("\"server\":"u8);
        _out.Raw(server.Json ??= ServerJson(server));
        _counters.Events++;
    }

    private static byte[] ServerJson(XrdMonServer server) => Serialise(server, static (j, s) =>
    {
        j.WriteStartObject();
        j.WriteString("sender", s.Sender);
        j.WriteNumber("stod", s.Stod);
        j.WriteNumber("instance", s.Instance);
        if (s.Identified)
        {
            j.WriteString("host", s.Host);
            j.WriteNumber("port", s.Port);
            j.WriteString("inst", s.InstanceName);
            j.WriteString("pgm", s.Program);
            j.WriteString("ver", s.Version);
            j.WriteString("site", s.Site);
        }

        j.WriteEndObject();
    });

    /// <summary>The body of a close; a <paramref name="summary"/> also has the user's <c>appinfo</c> and the ops' <c>rs_min</c>/<c>rs_max</c> (what its WLCG record needs).</summary>
    private void CloseBody(XrdMonAccess? access, FstatCloseReader record, int fileTime, bool summary)
    {
        Access(access);
        if (summary && access?.User?.AppInfo is { Length: > 0 } appInfo)
        {
            _out.Name("\"appinfo\":"u8);
            _out.StringValue(appInfo);
        }

        if (access is not null)
        {
            _out.Field(",\"file_size\":"u8, access.FileSize);
            _out.Name("\"rw\":"u8);
            _out.Boolean(access.ReadWrite);
            if (access.OpenTime != 0)
            {
                _out.Field(",\"open_time\":"u8, access.OpenTime);
                _out.Field(",\"duration\":"u8, fileTime - access.OpenTime);
            }
        }

        _out.Field(",\"close_time\":"u8, fileTime);
        _out.Name("\"forced\":"u8);
        _out.Boolean(record.Forced);
        Transfer(record.Xfr);
        if (record.HasOps)
        {
            FstatOpsReader ops = record.Ops;
            _out.Name("\"ops\":"u8);
            _out.StartLine("{\"read\":"u8);
            _out.Number(ops.Reads);
            _out.Field(",\"readv\":"u8, ops.Readvs);
            _out.Field(",\"write\":"u8, ops.Writes);
            if (summary)
            {
                _out.Field(",\"rs_min\":"u8, ops.RsMin);
                _out.Field(",\"rs_max\":"u8, ops.RsMax);
            }

            _out.Field(",\"rsegs\":"u8, ops.Rsegs);
            _out.Field(",\"rd_min\":"u8, ops.RdMin);
            _out.Field(",\"rd_max\":"u8, ops.RdMax);
            _out.Field(",\"rv_min\":"u8, ops.RvMin);
            _out.Field(",\"rv_max\":"u8, ops.RvMax);
            _out.Field(",\"wr_min\":"u8, ops.WrMin);
            _out.Field(",\"wr_max\":"u8, ops.WrMax);
            _out.EndObject();
        }

        // Unlike the decode output, an event has no ssq object at all when any sum is not finite.
        if (record.HasSsq && record.Ssq is var ssq && double.IsFinite(ssq.ReadSquares) && double.IsFinite(ssq.ReadvSquares) && double.IsFinite(ssq.RsegsSquares) && double.IsFinite(ssq.WriteSquares))
        {
            _out.Name("\"ssq\":"u8);
            _out.StartLine("{\"read\":"u8);
            _out.FiniteOrNull(ssq.ReadSquares);
            _out.Name("\"readv\":"u8);
            _out.FiniteOrNull(ssq.ReadvSquares);
            _out.Name("\"rsegs\":"u8);
            _out.FiniteOrNull(ssq.RsegsSquares);
            _out.Name("\"write\":"u8);
            _out.FiniteOrNull(ssq.WriteSquares);
            _out.EndObject();
        }
    }

    private void Transfer(FstatTransferReader transfer)
    {
        _out.Field(",\"read_bytes\":"u8, transfer.ReadBytes);
        _out.Field(",\"readv_bytes\":"u8, transfer.ReadvBytes);
        _out.Field(",\"write_bytes\":"u8, transfer.WriteBytes);
    }

    /// <summary>Writes lfn and user of an access, marking what is unresolved.</summary>
    private void Access(XrdMonAccess? access)
    {
        if (access?.Lfn is { } lfn)
        {
            _out.Name("\"lfn\":"u8);
            _out.StringValue(lfn);
        }

        if (access?.User is { } user)
        {
            User(user);
            _out.Name("\"client_host\":"u8);
            _out.StringValue(user.Host);
        }
        else if (access?.Path is { } p)
        {
            _out.Name("\"user\":"u8);
            _out.StartLine("{\"name\":"u8);
            _out.StringValue(p.UserName);
            _out.Field(",\"pid\":"u8, p.UserPid);
            _out.Name("\"host\":"u8);
            _out.StringValue(p.UserHost);
            _out.EndObject();
            _out.Name("\"client_host\":"u8);
            _out.StringValue(p.UserHost);
        }

        if (access is null || access.Lfn is null || (access.User is null && access.Path is null))
        {
            Unresolved(access is null || access.Lfn is null ? "\"file\""u8 : "\"user\""u8);
        }
    }

    /// <summary>The file dictid and, when the path map knew it, its lfn and opener.</summary>
    private void ResolvedPath(uint dictid, XrdMonPath? p)
    {
        _out.Field(",\"dictid\":"u8, dictid);
        if (p is not null)
        {
            JsonEncodedText lfn = p.LfnJson ??= JsonEncodedText.Encode(p.Path, Encoder);
            _out.Name("\"lfn\":"u8);
            _out.PlainString(lfn.EncodedUtf8Bytes);
            _out.Name("\"user\":"u8);
            _out.Raw(p.UserJson ??= Serialise(p, static (j, p) =>
            {
                j.WriteStartObject();
                j.WriteString("name", p.UserName);
                j.WriteNumber("pid", p.UserPid);
                j.WriteString("host", p.UserHost);
                j.WriteEndObject();
            }));
        }
        else
        {
            Unresolved("\"file\""u8);
        }
    }

    /// <summary>The user dictid and, when the user map knew it, the user.</summary>
    private void ResolvedUser(uint dictid, XrdMonUser? u)
    {
        _out.Field(",\"user_dictid\":"u8, dictid);
        if (u is not null)
        {
            User(u);
        }
        else
        {
            Unresolved("\"user\""u8);
        }
    }

    /// <summary>Writes the number when there is one (<paramref name="commaName"/>: <c>,"name":</c>).</summary>
    private void Optional(ReadOnlySpan<byte> commaName, long? value)
    {
        if (value is long v)
        {
            _out.Field(commaName, v);
        }
    }

    /// <summary>Writes <c>"unresolved"</c> with the quoted <paramref name="what"/> and counts it.</summary>
    private void Unresolved(ReadOnlySpan<byte> what)
    {
        _out.Name("\"unresolved\":"u8);
        _out.Raw(what);
        _counters.Unresolved++;
    }

    private void User(XrdMonUser u)
    {
        // A user appears in many events: its object is serialised once and copied as raw JSON.
        _out.Name("\"user\":"u8);
        _out.Raw(u.Json ??= Serialise(u, static (j, u) =>
        {
            j.WriteStartObject();
            j.WriteString("prot", u.Prot);
            j.WriteString("name", u.Name);
            j.WriteNumber("pid", u.Pid);
            j.WriteString("host", u.Host);
            if (u.Auth.Length > 0)
            {
                j.WriteStartObject("auth");
                foreach (CgiPair cgi in new CgiEnumerator(System.Text.Encoding.UTF8.GetBytes(u.Auth)))
                {
                    if (System.Text.Unicode.Utf8.IsValid(cgi.Key))
                    {
                        j.WritePropertyName(cgi.Key);
                        if (System.Text.Unicode.Utf8.IsValid(cgi.Value))
                        {
                            j.WriteStringValue(cgi.Value);
                        }
                        else
                        {
                            j.WriteStringValue(System.Text.Encoding.Latin1.GetString(cgi.Value));
                        }
                    }
                }

                j.WriteEndObject();
            }

            if (u.Experiment is { } experiment)
            {
                j.WriteString("experiment", experiment);
            }

            if (u.Activity is { } activity)
            {
                j.WriteString("activity", activity);
            }

            j.WriteEndObject();
        }));
    }

    private void ClientFromId(UserIdText id)
    {
        _out.Name("\"user\":"u8);
        _out.StartLine("{\"prot\":"u8);
        _out.StringValue(id.Prot);
        _out.Name("\"name\":"u8);
        _out.StringValue(id.User);
        _out.Field(",\"pid\":"u8, id.TryGetPid(out long pid) ? pid : -1);
        _out.Name("\"host\":"u8);
        _out.StringValue(id.Host);
        _out.EndObject();
    }

    /// <summary>Runs <paramref name="write"/> on a fresh writer with the relaxed encoder and returns the JSON bytes (once per server, user or path).</summary>
    private static byte[] Serialise<T>(T state, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var j = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder, SkipValidation = true }))
        {
            write(j, state);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
