"""Lower bounds on an int8 model zip's weights: the values' order-0 entropy and the positions' entropy, per layer.

Usage: /usr/bin/python3 build/zip_entropy.py model.zip 300x784,100x300,10x100

The shapes are each layer's [units]x[inputs]; a layer without WEntries/WGaps tensors (dense int8 or kept float) is
skipped. Positions' entropy is log2 C(N, k): the bits needed to name k kept positions of N, whatever the coding.
"""
import collections, math, sys
from zip_parts import deflate, initializers, onnx_bytes


def log2_choose(n, k):
    return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)) / math.log(2)


def entropy_bits(symbols):
    counts, n = collections.Counter(symbols), len(symbols)
    return -sum(c * math.log2(c / n) for c in counts.values())


def main(path, shapes):
    tensors = initializers(onnx_bytes(path))
    totals = collections.Counter()
    for layer, (units, inputs) in enumerate(shapes):
        entries, gaps = tensors.get(f"WEntries{layer}"), tensors.get(f"WGaps{layer}")
        if entries is None:
            print(f"layer {layer} {units}x{inputs}: not stored as sparse int8"); continue
        kept = [b for b in entries if b != 0]
        values, positions = entropy_bits(list(entries)) / 8, log2_choose(units * inputs, len(kept)) / 8
        print(f"layer {layer} {units}x{inputs}: {len(kept)} values ({len(entries) - len(kept)} fillers); values deflated "
              f"{deflate(entries)} B, order-0 entropy {values:.0f} B ({entropy_bits(kept) / len(kept):.2f} bits a value); "
              f"gaps deflated {deflate(gaps)} B, positions' entropy {positions:.0f} B")
        totals.update({"weights": len(kept), "values": values, "positions": positions,
                       "values deflated": deflate(entries), "gaps deflated": deflate(gaps)})
    print(f"total: {totals['weights']} weights; values {totals['values deflated']} B deflated, {totals['values']:.0f} B entropy; "
          f"positions {totals['gaps deflated']} B deflated, {totals['positions']:.0f} B entropy")


if __name__ == "__main__":
    main(sys.argv[1], [tuple(int(d) for d in s.split("x")) for s in sys.argv[2].split(",")])
