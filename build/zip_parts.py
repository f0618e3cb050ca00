"""Deflated bytes of each part of the ONNX model inside an ML.NET model zip.

Usage: /usr/bin/python3 build/zip_parts.py model.zip [...]

Parses the ONNX entry's protobuf by hand (no onnx package needed) and deflates each part alone at level 6, the
level ML.NET's zip (ZipArchive, Optimal) uses; the parts add up to a little more than the whole entry, since deflate
shares its tables and matches across parts. Initializers are named by the last part of their name (W0, WScale0,
WGaps0, WEntries0, B0, ...), as OnnxModelWriter and Int8WeightStorage write them.
"""
import collections, os, sys, zipfile, zlib

ONNX_ENTRY = "TransformerChain/Transform_000/OnnxModel"


def deflate(data):
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return len(packer.compress(data) + packer.flush())


def varint(data, i):
    value = shift = 0
    while True:
        byte = data[i]; i += 1
        value |= (byte & 0x7F) << shift; shift += 7
        if byte < 0x80: return value, i


def fields(data):
    """Each protobuf field: (number, wire type, payload, the field's whole bytes)."""
    i = 0
    while i < len(data):
        start = i
        key, i = varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0: payload, i = varint(data, i)
        elif wire == 2:
            length, i = varint(data, i); payload = data[i:i + length]; i += length
        elif wire == 1: payload = data[i:i + 8]; i += 8
        elif wire == 5: payload = data[i:i + 4]; i += 4
        else: raise ValueError(f"wire type {wire}")
        yield number, wire, payload, data[start:i]


def initializers(model):
    """name (last dotted part) -> raw_data of every initializer of the model's graph (GraphProto field 5)."""
    found = {}
    for number, _, payload, _ in fields(model):
        if number != 7: continue
        for g_number, _, g_payload, _ in fields(payload):
            if g_number != 5: continue
            name = raw = b""
            for t_number, _, t_payload, _ in fields(g_payload):
                if t_number == 8: name = t_payload.decode()
                elif t_number == 9: raw = t_payload
            found[name.split(".")[-1]] = raw
    return found


def onnx_bytes(path):
    # ML.NET stores the model as a byte array: a 32-bit length, then the bytes.
    return zipfile.ZipFile(path).read(ONNX_ENTRY)[4:]


def main(paths):
    for path in paths:
        archive = zipfile.ZipFile(path)
        size, data = os.path.getsize(path), sum(i.compress_size for i in archive.infolist())
        print(f"== {path}: {size} bytes; entries' compressed data {data}; zip headers and directory {size - data}")
        for info in archive.infolist():
            if info.filename != ONNX_ENTRY:
                print(f"   {info.filename}: {info.compress_size}")
                continue
            model = onnx_bytes(path)
            print(f"   {info.filename}: {info.compress_size} (ONNX {len(model)} bytes, deflated whole {deflate(model)})")
            parts = collections.OrderedDict()
            for number, _, payload, whole in fields(model):
                if number == 7:
                    for g_number, _, g_payload, g_whole in fields(payload):
                        if g_number == 5:
                            name = next(p for n, _, p, _ in fields(g_payload) if n == 8).decode().split(".")[-1]
                            parts.setdefault("initializer " + name, []).append(g_whole)
                        elif g_number == 1: parts.setdefault("nodes", []).append(g_whole)
                        elif g_number in (11, 12): parts.setdefault("inputs and outputs", []).append(g_whole)
                        else: parts.setdefault("graph name", []).append(g_whole)
                elif number == 14: parts.setdefault("metadata (report, spec, task)", []).append(whole)
                else: parts.setdefault("model header fields", []).append(whole)
            for part, pieces in parts.items():
                joined = b"".join(pieces)
                print(f"      {part}: {len(pieces)} item(s), {len(joined)} bytes, deflated alone {deflate(joined)}")


if __name__ == "__main__":
    main(sys.argv[1:])
