using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using Toolkit.Runtime.Binary;

using Toolkit.XrdMon.Collector;
// Frozen copy of the Utf8JsonWriter-based collector event writer (src/XrdMon/Collector/XrdMonEventWriter*.cs at cb04a61):
// the byte-identity oracle of EventOutputIdentityTests and the "before" baseline of
// bench/Toolkit.Bench/XrdMon/XrdMonEventWriterBenchmarks.cs. Do not change.

namespace Toolkit.XrdMon.Tests.Legacy;

// The parts every event shares: the event header with the server object, users, paths, accesses and close totals.
internal sealed partial class LegacyXrdMonEventWriter
{
    private void Begin(string kind, XrdMonServer server, int time)
    {
        _out.Begin();
        _j.WriteString(Names.Event, Names.Kind(kind));
        if (time != 0)
        {
            _j.WriteNumber(Names.Time, time);
        }

        // The server object is the same in every event of an instance: serialised once, copied as raw JSON.
        _j.WritePropertyName(Names.Server);
        _j.WriteRawValue(server.Json ??= ServerJson(server), skipInputValidation: true);
        _counters.Events++;
    }

    private static byte[] ServerJson(XrdMonServer server) => Names.Serialise(server, static (j, s) =>
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

    private void CloseBody(XrdMonAccess? access, FstatCloseReader record, int fileTime)
    {
        Access(access);
        if (access is not null)
        {
            _j.WriteNumber("file_size", access.FileSize);
            _j.WriteBoolean("rw", access.ReadWrite);
            if (access.OpenTime != 0)
            {
                _j.WriteNumber("open_time", access.OpenTime);
                _j.WriteNumber("duration", fileTime - access.OpenTime);
            }
        }

        _j.WriteNumber("close_time", fileTime);
        _j.WriteBoolean("forced", record.Forced);
        LegacyFstatJson.Transfer(_j, record.Xfr);
        if (record.HasOps)
        {
            LegacyFstatJson.Ops(_j, record.Ops, readSizes: false);
        }

        // Unlike the decode output, an event has no ssq object at all when any sum is not finite.
        if (record.HasSsq && record.Ssq is var ssq && double.IsFinite(ssq.ReadSquares) && double.IsFinite(ssq.ReadvSquares) && double.IsFinite(ssq.RsegsSquares) && double.IsFinite(ssq.WriteSquares))
        {
            LegacyFstatJson.Ssq(_j, ssq);
        }
    }

    /// <summary>Writes lfn and user of an access, marking what is unresolved.</summary>
    private void Access(XrdMonAccess? access)
    {
        if (access?.Lfn is { } lfn)
        {
            _j.WriteString("lfn", lfn);
        }

        if (access?.User is { } user)
        {
            User(user);
            _j.WriteString("client_host", user.Host);
        }
        else if (access?.Path is { } p)
        {
            _j.WriteStartObject("user");
            _j.WriteString("name", p.UserName);
            _j.WriteNumber("pid", p.UserPid);
            _j.WriteString("host", p.UserHost);
            _j.WriteEndObject();
            _j.WriteString("client_host", p.UserHost);
        }

        if (access is null || access.Lfn is null || (access.User is null && access.Path is null))
        {
            Unresolved(access is null || access.Lfn is null ? "file" : "user");
        }
    }

    /// <summary>The file dictid and, when the path map knew it, its lfn and opener.</summary>
    private void ResolvedPath(uint dictid, XrdMonPath? p)
    {
        _j.WriteNumber(Names.Dictid, dictid);
        if (p is not null)
        {
            _j.WriteString(Names.Lfn, p.LfnJson ??= JsonEncodedText.Encode(p.Path, Names.Encoder));
            _j.WritePropertyName(Names.User);
            _j.WriteRawValue(p.UserJson ??= Names.Serialise(p, static (j, p) =>
            {
                j.WriteStartObject();
                j.WriteString("name", p.UserName);
                j.WriteNumber("pid", p.UserPid);
                j.WriteString("host", p.UserHost);
                j.WriteEndObject();
            }), skipInputValidation: true);
        }
        else
        {
            Unresolved("file");
        }
    }

    /// <summary>The user dictid and, when the user map knew it, the user.</summary>
    private void ResolvedUser(uint dictid, XrdMonUser? u)
    {
        _j.WriteNumber(Names.UserDictid, dictid);
        if (u is not null)
        {
            User(u);
        }
        else
        {
            Unresolved("user");
        }
    }

    /// <summary>Writes the number when there is one.</summary>
    private void Optional(string name, long? value)
    {
        if (value is long v)
        {
            _j.WriteNumber(name, v);
        }
    }

    /// <summary>Writes the boolean when there is one.</summary>
    private void Optional(string name, bool? value)
    {
        if (value is bool v)
        {
            _j.WriteBoolean(name, v);
        }
    }

    private void Unresolved(string what)
    {
        _j.WriteString(Names.Unresolved, what == "user" ? Names.UnresolvedUser : Names.UnresolvedFile);
        _counters.Unresolved++;
    }

    private void User(XrdMonUser u)
    {
        // A user appears in many events: its object is serialised once and copied as raw JSON.
        _j.WritePropertyName(Names.User);
        _j.WriteRawValue(u.Json ??= Names.Serialise(u, static (j, u) =>
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
        }), skipInputValidation: true);
    }

    private void ClientFromId(UserIdText id)
    {
        _j.WriteStartObject("user");
        _out.Text("prot", id.Prot);
        _out.Text("name", id.User);
        _j.WriteNumber("pid", id.TryGetPid(out long pid) ? pid : -1);
        _out.Text("host", id.Host);
        _j.WriteEndObject();
    }

    /// <summary>Pre-encoded property names and values of the event path (no UTF-16 → UTF-8 transcoding per event).</summary>
    private static class Names
    {
        public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        public static readonly JsonEncodedText Event = JsonEncodedText.Encode("event");
        public static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
        public static readonly JsonEncodedText Server = JsonEncodedText.Encode("server");
        public static readonly JsonEncodedText User = JsonEncodedText.Encode("user");
        public static readonly JsonEncodedText UserDictid = JsonEncodedText.Encode("user_dictid");
        public static readonly JsonEncodedText Dictid = JsonEncodedText.Encode("dictid");
        public static readonly JsonEncodedText Lfn = JsonEncodedText.Encode("lfn");
        public static readonly JsonEncodedText Offset = JsonEncodedText.Encode("offset");
        public static readonly JsonEncodedText Length = JsonEncodedText.Encode("length");
        public static readonly JsonEncodedText Unresolved = JsonEncodedText.Encode("unresolved");
        public static readonly JsonEncodedText UnresolvedUser = JsonEncodedText.Encode("user");
        public static readonly JsonEncodedText UnresolvedFile = JsonEncodedText.Encode("file");
        private static readonly ConcurrentDictionary<string, JsonEncodedText> Kinds = new(StringComparer.Ordinal);

        /// <summary>An event kind (a literal of the writer) as encoded text.</summary>
        public static JsonEncodedText Kind(string kind) => Kinds.GetOrAdd(kind, static k => JsonEncodedText.Encode(k, Encoder));

        /// <summary>Runs <paramref name="write"/> on a fresh writer with the line writer's options and returns the JSON bytes.</summary>
        public static byte[] Serialise<T>(T state, Action<Utf8JsonWriter, T> write)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var j = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder, SkipValidation = true }))
            {
                write(j, state);
            }

            return buffer.WrittenSpan.ToArray();
        }
    }
}
