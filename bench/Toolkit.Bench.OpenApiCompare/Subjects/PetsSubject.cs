using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Toolkit.Bench.OpenApiCompare.Corpora;
using Toolkit.Bench.OpenApiCompare.Stj;
using Toolkit.Runtime.Json;

namespace Toolkit.Bench.OpenApiCompare.Subjects;

/// <summary>The Swagger petstore (tests' petstore.json): a listing of pets.</summary>
public sealed class PetsSubject : Subject
{
    private IReadOnlyList<Cmp.Pets.Ours.Pet> _ours = [];
    private Cmp.Pets.NSwag.Pets _nswag = [];
    private Cmp.Pets.NSwag.Pets _stj = [];
    private List<Cmp.Pets.Kiota.Models.Pet> _kiota = [];

    public PetsSubject(int pets) => Json = Corpus.Pets(pets);

    public override void DecodeAll()
    {
        _ours = (IReadOnlyList<Cmp.Pets.Ours.Pet>)DecodeOurs();
        _nswag = (Cmp.Pets.NSwag.Pets)DecodeNSwag();
        _stj = (Cmp.Pets.NSwag.Pets)DecodeStj();
        _kiota = (List<Cmp.Pets.Kiota.Models.Pet>)DecodeKiota();
    }

    private static IReadOnlyList<Cmp.Pets.Ours.Pet> ReadOurs(ref ApiJsonReader reader)
        => ApiJson.ReadList(ref reader, static (ref ApiJsonReader r) => Cmp.Pets.Ours.Pet.ReadJson(ref r));

    public override object DecodeOurs() => ApiJson.Parse(Json, ReadOurs);

    public override object DecodeNSwag() => JsonSerializer.Deserialize<Cmp.Pets.NSwag.Pets>(Json, Cmp.Pets.NSwag.NSwagClient.SharedOptions)!;

    public override object DecodeStj() => JsonSerializer.Deserialize(Json, CompareJsonContext.Default.Pets)!;

    public override object DecodeKiota()
        => KiotaParse(static n => n.GetCollectionOfObjectValues(Cmp.Pets.Kiota.Models.Pet.CreateFromDiscriminatorValue).ToList());

    public override long EncodeOurs()
    {
        OursWriter.Reset();
        ApiJson.WriteList(OursWriter, _ours, static (w, pet) => pet.WriteJson(w));
        return OursWriter.BytesWritten;
    }

    public override long EncodeNSwag()
    {
        var writer = ResetWriter();
        JsonSerializer.Serialize(writer, _nswag, Cmp.Pets.NSwag.NSwagClient.SharedOptions);
        return writer.BytesCommitted;
    }

    public override long EncodeStj()
    {
        var writer = ResetWriter();
        JsonSerializer.Serialize(writer, _stj, CompareJsonContext.Default.Pets);
        return writer.BytesCommitted;
    }

    public override long EncodeKiota() => KiotaWrite(w => w.WriteCollectionOfObjectValues(null, _kiota));

    protected override void KiotaEncodedForCheck(out byte[] bytes) => KiotaWrite(w => w.WriteCollectionOfObjectValues(null, _kiota), out bytes);

    public override (int Ours, int NSwag, int Stj, int Kiota) Counts() => (_ours.Count, _nswag.Count, _stj.Count, _kiota.Count);

    protected override int CountIn(JsonElement root) => root.GetArrayLength();
}
