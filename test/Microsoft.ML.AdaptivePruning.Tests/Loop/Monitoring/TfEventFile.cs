using System;
using System.Collections.Generic;
using System.IO;
using Google.Protobuf;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop.Monitoring;

/// <summary>One scalar as TensorBoard would read it.</summary>
internal sealed record TfScalar(string Tag, long Step, float Value, double WallTime);

/// <summary>
/// Reads a TensorBoard event file independently of the writer: TFRecord framing
/// ([uint64 length][uint32 masked CRC-32C of the length][data][uint32 masked CRC-32C of the data], little-endian),
/// both checksums verified, then the Event protobuf (wall_time = 1, step = 2, file_version = 3, summary = 5;
/// Summary.value = 1; Value.tag = 1, simple_value = 2).
/// </summary>
internal static class TfEventFile
{
    public static (string? FileVersion, List<TfScalar> Scalars) Read(string path)
    {
        string? fileVersion = null;
        var scalars = new List<TfScalar>();
        byte[] bytes = File.ReadAllBytes(path);
        int position = 0;
        while (position < bytes.Length)
        {
            if (bytes.Length - position < 12) throw new InvalidDataException($"Truncated record header at byte {position}.");
            ulong length = BitConverter.ToUInt64(bytes, position);
            CheckCrc(bytes.AsSpan(position, 8), BitConverter.ToUInt32(bytes, position + 8), "length", position);
            position += 12;
            if ((ulong)(bytes.Length - position) < length + 4) throw new InvalidDataException($"Truncated record at byte {position}.");
            ReadOnlySpan<byte> data = bytes.AsSpan(position, (int)length);
            CheckCrc(data, BitConverter.ToUInt32(bytes, position + (int)length), "data", position);
            position += (int)length + 4;
            ReadEvent(data.ToArray(), ref fileVersion, scalars);
        }
        return (fileVersion, scalars);
    }

    private static void ReadEvent(byte[] data, ref string? fileVersion, List<TfScalar> scalars)
    {
        var input = new CodedInputStream(data);
        double wallTime = 0;
        long step = 0;
        var values = new List<(string Tag, float Value)>();
        for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: wallTime = input.ReadDouble(); break;
                case 2: step = input.ReadInt64(); break;
                case 3: fileVersion = input.ReadString(); break;
                case 5: ReadSummary(input.ReadBytes().ToByteArray(), values); break;
                default: input.SkipLastField(); break;
            }
        }
        foreach ((string name, float value) in values) scalars.Add(new TfScalar(name, step, value, wallTime));
    }

    private static void ReadSummary(byte[] data, List<(string, float)> values)
    {
        var input = new CodedInputStream(data);
        for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) != 1) { input.SkipLastField(); continue; }
            var value = new CodedInputStream(input.ReadBytes().ToByteArray());
            string name = "";
            float? simple = null;
            for (uint inner = value.ReadTag(); inner != 0; inner = value.ReadTag())
            {
                switch (WireFormat.GetTagFieldNumber(inner))
                {
                    case 1: name = value.ReadString(); break;
                    case 2: simple = value.ReadFloat(); break;
                    default: value.SkipLastField(); break;
                }
            }
            if (simple is float v) values.Add((name, v));
        }
    }

    private static void CheckCrc(ReadOnlySpan<byte> data, uint stored, string what, int position)
    {
        uint crc = Crc32C(data);
        uint masked = unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);
        if (masked != stored) throw new InvalidDataException($"Bad {what} checksum in the record at byte {position}.");
    }

    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit: slow, obviously right, enough for a test.</summary>
    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }
}
