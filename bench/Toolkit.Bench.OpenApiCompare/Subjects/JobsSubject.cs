using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Toolkit.Bench.OpenApiCompare.Corpora;
using Toolkit.Bench.OpenApiCompare.Stj;
using Toolkit.Runtime.Json;

namespace Toolkit.Bench.OpenApiCompare.Subjects;

/// <summary>The FTS3-like job listing (fts3-jobs.json): an array of jobs with their files.</summary>
public sealed class JobsSubject : Subject
{
    private IReadOnlyList<Cmp.Jobs.Ours.Job> _ours = [];
    private ICollection<Cmp.Jobs.NSwag.Job> _nswag = [];
    private ICollection<Cmp.Jobs.NSwag.Job> _stj = [];
    private List<Cmp.Jobs.Kiota.Models.Job> _kiota = [];

    public JobsSubject(int jobs, bool python) => Json = Corpus.Jobs(jobs, python);

    public override void DecodeAll()
    {
        _ours = (IReadOnlyList<Cmp.Jobs.Ours.Job>)DecodeOurs();
        _nswag = (ICollection<Cmp.Jobs.NSwag.Job>)DecodeNSwag();
        _stj = (ICollection<Cmp.Jobs.NSwag.Job>)DecodeStj();
        _kiota = (List<Cmp.Jobs.Kiota.Models.Job>)DecodeKiota();
    }

    private static IReadOnlyList<Cmp.Jobs.Ours.Job> ReadOurs(ref ApiJsonReader reader)
        => ApiJson.ReadList(ref reader, static (ref ApiJsonReader r) => Cmp.Jobs.Ours.Job.ReadJson(ref r));

    public override object DecodeOurs() => ApiJson.Parse(Json, ReadOurs);

    public override object DecodeNSwag() => JsonSerializer.Deserialize<ICollection<Cmp.Jobs.NSwag.Job>>(Json, Cmp.Jobs.NSwag.NSwagClient.SharedOptions)!;

    public override object DecodeStj() => JsonSerializer.Deserialize(Json, CompareJsonContext.Default.ICollectionJob)!;

    public override object DecodeKiota()
        => KiotaParse(static n => n.GetCollectionOfObjectValues(Cmp.Jobs.Kiota.Models.Job.CreateFromDiscriminatorValue).ToList());

    public override object RebuildOurs()
    {
        static string? Copy(string? s) => s is null ? null : new string(s.AsSpan());
        var jobs = new Cmp.Jobs.Ours.Job[_ours.Count];
        for (var i = 0; i < jobs.Length; i++)
        {
            var job = _ours[i];
            var files = new Cmp.Jobs.Ours.File[job.Files.Count];
            for (var f = 0; f < files.Length; f++)
            {
                var file = job.Files[f];
                files[f] = file with { SourceSurl = Copy(file.SourceSurl)!, DestSurl = Copy(file.DestSurl)!, Checksum = Copy(file.Checksum) };
            }

            // What the string table does not share (the values that occur once) is copied; the rest stays shared, as in a decode.
            jobs[i] = job with { CredId = Copy(job.CredId), Files = files, JobMetadata = job.JobMetadata is null ? null : new Dictionary<string, string>(job.JobMetadata) };
        }

        return jobs;
    }

    public override long EncodeOurs()
    {
        OursWriter.Reset();
        ApiJson.WriteList(OursWriter, _ours, static (w, job) => job.WriteJson(w));
        return OursWriter.BytesWritten;
    }

    public override long EncodeNSwag()
    {
        var writer = ResetWriter();
        JsonSerializer.Serialize(writer, _nswag, Cmp.Jobs.NSwag.NSwagClient.SharedOptions);
        return writer.BytesCommitted;
    }

    public override long EncodeStj()
    {
        var writer = ResetWriter();
        JsonSerializer.Serialize(writer, _stj, CompareJsonContext.Default.ICollectionJob);
        return writer.BytesCommitted;
    }

    public override long EncodeKiota() => KiotaWrite(w => w.WriteCollectionOfObjectValues(null, _kiota));

    protected override void KiotaEncodedForCheck(out byte[] bytes) => KiotaWrite(w => w.WriteCollectionOfObjectValues(null, _kiota), out bytes);

    public override (int Ours, int NSwag, int Stj, int Kiota) Counts()
        => (_ours.Sum(j => j.Files.Count), _nswag.Sum(j => j.Files.Count), _stj.Sum(j => j.Files.Count), _kiota.Sum(j => j.Files!.Count)) switch
        {
            var (o, n, s, k) when o == n && n == s && s == k => (_ours.Count, _nswag.Count, _stj.Count, _kiota.Count),
            var files => throw new InvalidOperationException("the decoders disagree on the file count: " + files),
        };

    protected override int CountIn(JsonElement root) => root.GetArrayLength();
}
