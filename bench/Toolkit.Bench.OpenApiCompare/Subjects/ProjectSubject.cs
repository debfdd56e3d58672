using System;
using System.Text.Json;
using Toolkit.Bench.OpenApiCompare.Corpora;
using Toolkit.Bench.OpenApiCompare.Stj;
using Toolkit.Runtime.Json;

namespace Toolkit.Bench.OpenApiCompare.Subjects;

/// <summary>A Data Dispatcher project with its file handles (datadispatcher.json, getProject with_files).</summary>
public sealed class ProjectSubject : Subject
{
    private Cmp.Dd.Ours.Project _ours = null!;
    private Cmp.Dd.NSwag.Project _nswag = null!;
    private Cmp.Dd.NSwag.Project _stj = null!;
    private Cmp.Dd.Kiota.Models.Project _kiota = null!;

    public ProjectSubject(int handles) => Json = Corpus.Project(handles);

    public override void DecodeAll()
    {
        _ours = (Cmp.Dd.Ours.Project)DecodeOurs();
        _nswag = (Cmp.Dd.NSwag.Project)DecodeNSwag();
        _stj = (Cmp.Dd.NSwag.Project)DecodeStj();
        _kiota = (Cmp.Dd.Kiota.Models.Project)DecodeKiota();
    }

    public override object DecodeOurs() => ApiJson.Parse(Json, Cmp.Dd.Ours.Project.ReadJson);

    public override object DecodeNSwag() => JsonSerializer.Deserialize<Cmp.Dd.NSwag.Project>(Json, Cmp.Dd.NSwag.NSwagClient.SharedOptions)!;

    public override object DecodeStj() => JsonSerializer.Deserialize(Json, CompareJsonContext.Default.Project)!;

    public override object DecodeKiota() => KiotaParse(static n => n.GetObjectValue(Cmp.Dd.Kiota.Models.Project.CreateFromDiscriminatorValue))!;

    public override long EncodeOurs()
    {
        OursWriter.Reset();
        _ours.WriteJson(OursWriter);
        return OursWriter.BytesWritten;
    }

    public override long EncodeNSwag()
    {
        var writer = ResetWriter();
        JsonSerializer.Serialize(writer, _nswag, Cmp.Dd.NSwag.NSwagClient.SharedOptions);
        return writer.BytesCommitted;
    }

    public override long EncodeStj()
    {
        var writer = ResetWriter();
        JsonSerializer.Serialize(writer, _stj, CompareJsonContext.Default.Project);
        return writer.BytesCommitted;
    }

    public override long EncodeKiota() => KiotaWrite(w => w.WriteObjectValue(null, _kiota));

    protected override void KiotaEncodedForCheck(out byte[] bytes) => KiotaWrite(w => w.WriteObjectValue(null, _kiota), out bytes);

    public override (int Ours, int NSwag, int Stj, int Kiota) Counts()
        => (_ours.FileHandles!.Count, _nswag.File_handles.Count, _stj.File_handles.Count, _kiota.FileHandles!.Count);

    protected override int CountIn(JsonElement root) => root.GetProperty("file_handles").GetArrayLength();
}
