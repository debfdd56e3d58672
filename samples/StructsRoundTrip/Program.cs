// Round-trips one record of a made-up binary format through the code the Toolkit.Runtime package generated from
// sensor.structs: model -> bytes -> validating reader -> model. Exits 1 when anything differs.
using Samples.Sensor;
using Toolkit.Runtime.Binary;

var frame = new Frame
{
    Version = 1,
    Time = 1_767_225_600,
    Calibrated = true,
    Battery = 6,
    Name = ByteString.FromString("Jungfraujoch"),
    Readings = ValueArray.Create(
        new Reading { Sensor = 1, Quantity = Quantity.Temperature, Value = -1234 },
        new Reading { Sensor = 2, Quantity = Quantity.Pressure, Value = 65_300 },
        new Reading { Sensor = 3, Quantity = Quantity.Humidity, Value = 8_150 }),
};

var bytes = new byte[frame.GetSize()];
int written = frame.Write(bytes);
Console.WriteLine($"wrote {written} bytes: {Convert.ToHexString(bytes)}");

if (!FrameReader.TryRead(bytes, out var reader, out var error))
{
    Console.Error.WriteLine($"the reader refused the frame: {error}");
    return 1;
}

Console.WriteLine($"read: station {reader.GetNameString()}, length {reader.Length}, battery {reader.Battery}, {reader.Readings.Count()} readings");
foreach (var r in reader.Readings)
{
    Console.WriteLine($"  sensor {r.Sensor}: {r.Quantity} = {r.Value}");
}

var back = reader.ToModel();
if (back != frame || reader.Length != written)
{
    Console.Error.WriteLine($"round trip differs:\n  wrote {frame}\n  read  {back}");
    return 1;
}

// A corrupted frame is refused with the field and offset, never misread.
bytes[0] = (byte)'X';
if (FrameReader.TryRead(bytes, out _, out var refused))
{
    Console.Error.WriteLine("a frame with a wrong magic was accepted");
    return 1;
}

Console.WriteLine($"a wrong magic is refused: {refused}");
Console.WriteLine("round trip OK");
return 0;
