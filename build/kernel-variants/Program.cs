// Throwaway measurement harness of session 8 (s8-kernel): variants of the single-row slice kernel
// (src/Microsoft.ML.AdaptivePruning/Execution/Kernels/SparseSlices.cs) on a 784x300 layer with a random mask, one row
// of uniform inputs, each variant checked bit for bit against the masked-gather kernel (A) and timed by Stopwatch,
// the minimum over 40 rounds of 500 calls (the minimum, because the machine is shared). Kept so the README's variant
// figures can be re-run: dotnet run -c Release --project build/kernel-variants -- 0.95 0.98 0.99
// Not part of the solution. A = the AVX2 masked gather the library used before; B = unmasked gather over a padded
// copy of x; D = eight scalar loads put together, 16-bit indices; E = D with the indices read as two 64-bit words;
// TE = E with a slice's partial last steps run per lane (no padded copy of x; the library masks them instead);
// "floor loads" = only the indexed loads, summed.
using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

unsafe class P
{
    const int In = 784, Units = 300;
    static float[] vals, x, xpad, sums;
    static int[] idx, idxPad, laneUnits, counts, sliceStart;
    static ushort[] idx16, idx16Pad;

    static void Build(double sparsity, int seed)
    {
        var r = new Random(seed);
        var w = new float[Units * In];
        for (int k = 0; k < w.Length; k++) if (r.NextDouble() >= sparsity) w[k] = r.NextSingle() - 0.5f;
        var uc = new int[Units];
        for (int u = 0; u < Units; u++) for (int i = 0; i < In; i++) if (w[u * In + i] != 0) uc[u]++;
        var order = Enumerable.Range(0, Units).OrderByDescending(u => uc[u]).ThenBy(u => u).ToArray();
        int slices = (Units + 7) / 8;
        laneUnits = new int[slices * 8]; counts = new int[slices * 8]; sliceStart = new int[slices + 1];
        for (int l = 0; l < laneUnits.Length; l++) { laneUnits[l] = l < Units ? order[l] : -1; counts[l] = l < Units ? uc[order[l]] : 0; }
        for (int s = 0; s < slices; s++) sliceStart[s + 1] = sliceStart[s] + Enumerable.Range(0, 8).Max(j => counts[s * 8 + j]);
        vals = new float[sliceStart[slices] * 8]; idx = new int[vals.Length]; idxPad = Enumerable.Repeat(In, vals.Length).ToArray();
        for (int l = 0; l < Units; l++)
        {
            int slot = sliceStart[l / 8] * 8 + l % 8;
            for (int i = 0; i < In; i++) { float v = w[laneUnits[l] * In + i]; if (v == 0) continue; vals[slot] = v; idx[slot] = i; idxPad[slot] = i; slot += 8; }
        }
        idx16 = idx.Select(v => (ushort)v).ToArray();
        idx16Pad = idxPad.Select(v => (ushort)v).ToArray();
        x = new float[In]; for (int i = 0; i < In; i++) x[i] = r.NextSingle();
        xpad = new float[In + 8]; Array.Copy(x, xpad, In);   // input In is +0: where B, D and E send padding
        sums = new float[Units];
    }

    static Vector256<float> LoadSums(float* y, int s, float* lanes)
    {
        for (int j = 0; j < 8; j++) { int u = laneUnits[s * 8 + j]; lanes[j] = u >= 0 ? y[u] : 0; }
        return Avx.LoadVector256(lanes);
    }

    static void StoreSums(float* y, int s, float* lanes, Vector256<float> sum)
    {
        Avx.Store(lanes, sum);
        for (int j = 0; j < 8; j++) { int u = laneUnits[s * 8 + j]; if (u < 0) break; y[u] = lanes[j]; }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Scalars(float* x, ushort* a) => Vector256.Create(x[a[0]], x[a[1]], x[a[2]], x[a[3]], x[a[4]], x[a[5]], x[a[6]], x[a[7]]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Words(float* x, ushort* a)
    {
        ulong lo = *(ulong*)a, hi = *(ulong*)(a + 4);
        return Vector256.Create(x[(ushort)lo], x[(ushort)(lo >> 16)], x[(ushort)(lo >> 32)], x[lo >> 48],
                                x[(ushort)hi], x[(ushort)(hi >> 16)], x[(ushort)(hi >> 32)], x[hi >> 48]);
    }

    // A: the masked gather (the library's kernel before session 8).
    static void A(float[] input, float[] output)
    {
        float* lanes = stackalloc float[8];
        fixed (float* x = input) fixed (float* y = output) fixed (float* v = vals) fixed (int* ix = idx) fixed (int* cn = counts)
            for (int s = 0; s < sliceStart.Length - 1; s++)
            {
                var sum = LoadSums(y, s, lanes);
                var c = Avx.LoadVector256(cn + s * 8);
                var step = Vector256<int>.Zero;
                for (int k = sliceStart[s]; k < sliceStart[s + 1]; k++, step += Vector256<int>.One)
                {
                    var live = Avx2.CompareGreaterThan(c, step).AsSingle();
                    var xs = Avx2.GatherMaskVector256(Vector256<float>.Zero, x, Avx.LoadVector256(ix + k * 8), live, 4);
                    sum = Avx.Add(sum, Avx.Multiply(Avx.LoadVector256(v + k * 8), xs));
                }
                StoreSums(y, s, lanes, sum);
            }
    }

    // B, D, E: every step the same way, padding reading input In (+0) of the padded copy.
    static void B(float[] padded, float[] output) => Padded(padded, output, 0);
    static void D(float[] padded, float[] output) => Padded(padded, output, 1);
    static void E(float[] padded, float[] output) => Padded(padded, output, 2);

    static void Padded(float[] padded, float[] output, int how)
    {
        float* lanes = stackalloc float[8];
        fixed (float* x = padded) fixed (float* y = output) fixed (float* v = vals) fixed (int* ix = idxPad) fixed (ushort* ix16 = idx16Pad)
            for (int s = 0; s < sliceStart.Length - 1; s++)
            {
                var sum = LoadSums(y, s, lanes);
                for (int k = sliceStart[s]; k < sliceStart[s + 1]; k++)
                {
                    var xs = how == 0 ? Avx2.GatherVector256(x, Avx.LoadVector256(ix + k * 8), 4)
                        : how == 1 ? Scalars(x, ix16 + k * 8) : Words(x, ix16 + k * 8);
                    sum = Avx.Add(sum, Avx.Multiply(Avx.LoadVector256(v + k * 8), xs));
                }
                StoreSums(y, s, lanes, sum);
            }
    }

    // TE: E over the steps every lane fills, then each lane's remaining weights one by one; no padded copy.
    static void TE(float[] input, float[] output)
    {
        float* lanes = stackalloc float[8];
        fixed (float* x = input) fixed (float* y = output) fixed (float* v = vals) fixed (ushort* ix = idx16) fixed (int* cn = counts)
            for (int s = 0; s < sliceStart.Length - 1; s++)
            {
                int start = sliceStart[s], full = cn[s * 8 + 7];   // sorted: the last lane has the fewest
                var sum = LoadSums(y, s, lanes);
                for (int k = start; k < start + full; k++) sum = Avx.Add(sum, Avx.Multiply(Avx.LoadVector256(v + k * 8), Words(x, ix + k * 8)));
                Avx.Store(lanes, sum);
                for (int j = 0; j < 8; j++)
                {
                    int u = laneUnits[s * 8 + j];
                    if (u < 0) break;
                    float acc = lanes[j];
                    for (int slot = (start + full) * 8 + j, e = (start + cn[s * 8 + j]) * 8 + j; slot < e; slot += 8) acc += v[slot] * x[ix[slot]];
                    y[u] = acc;
                }
            }
    }

    // The floor: only the indexed loads, four running sums.
    static float Floor(float[] input)
    {
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        fixed (float* x = input) fixed (ushort* ix = idx16Pad)
            for (int k = 0; k < idx16Pad.Length; k += 4) { a0 += x[ix[k]]; a1 += x[ix[k + 1]]; a2 += x[ix[k + 2]]; a3 += x[ix[k + 3]]; }
        return a0 + a1 + a2 + a3;
    }

    static void Main(string[] args)
    {
        foreach (double sp in args.Length > 0 ? args.Select(double.Parse).ToArray() : new[] { 0.9, 0.95, 0.98, 0.99 })
        {
            Build(sp, 1);
            int nnz = vals.Count(w => w != 0), steps = sliceStart[^1];
            float[] Run(Action<float[], float[]> f, float[] row) { var y = Enumerable.Range(0, Units).Select(u => 0.1f * u).ToArray(); f(row, y); return y; }
            float[] reference = Run(A, x);
            foreach (var (name, f, row) in new (string, Action<float[], float[]>, float[])[] { ("B", B, xpad), ("D", D, xpad), ("E", E, xpad), ("TE", TE, x) })
                if (!Run(f, row).Select(BitConverter.SingleToInt32Bits).SequenceEqual(reference.Select(BitConverter.SingleToInt32Bits))) Console.WriteLine($"{name} MISMATCH");
            Console.WriteLine($"sparsity {sp}: nnz {nnz}, steps {steps}");
            var list = new (string, Action)[] { ("A masked gather", () => A(x, sums)), ("B plain gather", () => B(xpad, sums)),
                ("D scalar ushort", () => D(xpad, sums)), ("E scalar ushort 2x64", () => E(xpad, sums)),
                ("TE tail 2x64", () => TE(x, sums)), ("floor loads", () => Floor(xpad)) };
            var best = new double[list.Length]; Array.Fill(best, double.MaxValue);
            foreach (var (_, f) in list) for (int i = 0; i < 3000; i++) f();
            for (int round = 0; round < 40; round++)
                for (int v = 0; v < list.Length; v++)
                {
                    var f = list[v].Item2; var sw = Stopwatch.StartNew();
                    for (int i = 0; i < 500; i++) f();
                    best[v] = Math.Min(best[v], sw.Elapsed.TotalMilliseconds * 1e6 / 500);
                }
            for (int v = 0; v < list.Length; v++)
                Console.WriteLine($"  {list[v].Item1,-26} {best[v],9:F0} ns  {best[v] / steps,6:F2} ns/step  {best[v] / nnz,6:F3} ns/nnz");
        }
    }
}
