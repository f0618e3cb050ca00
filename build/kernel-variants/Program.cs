// Throwaway measurement harness of session 8 (s8-kernel): variants of the single-row slice kernel
// (src/Microsoft.ML.AdaptivePruning/Execution/Kernels/SparseSlices.cs) on a 784x300 layer with a random mask, one row
// of uniform inputs, each variant checked bit for bit against the masked-gather kernel (A) and timed by Stopwatch,
// the minimum over 40 rounds of 500 calls (the minimum, because the machine is shared). Kept so the README's variant
// figures can be re-run: dotnet run -c Release --project build/kernel-variants -- 0.95 0.98 0.99
// Not part of the solution. A = the AVX2 masked gather the library used before; B = unmasked gather over a padded
// copy of x; D = eight scalar loads put together, 16-bit indices; E = D with the indices read as two 64-bit words;
// TE = E with a slice's partial last steps run per lane (no padded copy of x; the library masks them instead);
// "floor loads" = only the indexed loads, summed (four running sums; "8 sums" with eight).
// Session 13 added the blocked layouts the issue suggested: K4 = blocks of 8 consecutive units x 1 input (a kept
// block holds 8 weights, zeros included, and its input is broadcast), four slices' blocks interleaved while all four
// have blocks, then each slice's rest; Q4 = the same with blocks of 4 units. Both add each unit's products in input
// order with a separate multiply and add, so they are checked bit for bit as the others are.
// Session 14 added: E with its values placed at 0, 8, 16, 24, 32 and 48 bytes past a cache line (the same values
// copied into one pinned array at each offset), and S16 = two steps of E's layout as one 16-lane AVX-512 step (timing
// only: it sums the two steps' lanes together, so it is not checked bit for bit).
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
    // K: blocks of 8 consecutive units x 1 input, groups of 4 slices interleaved while all four have blocks, then tails.
    static float[] bw; static ushort[] bi; static int[] gStart, gCommon, tStart, tEnd; static int nBlocks;
    static float[] ypad;
    static float[] b8w, b4w, b8y, b4y; static ushort[] b8i, b4i; static int[] b8g, b8c, b8t, b8e, b4g, b4c, b4t, b4e; static int b8n, b4n;
    static void Use8() { bw = b8w; bi = b8i; gStart = b8g; gCommon = b8c; tStart = b8t; tEnd = b8e; nBlocks = b8n; ypad = b8y; }
    static void Use4() { bw = b4w; bi = b4i; gStart = b4g; gCommon = b4c; tStart = b4t; tEnd = b4e; nBlocks = b4n; ypad = b4y; }

    static int L = 8;
    static void BuildBlocks(float[] w, int groupSlices, int lanes)
    {
        L = lanes;
        int slices = (Units + L - 1) / L, groups = (slices + groupSlices - 1) / groupSlices;
        var lists = new System.Collections.Generic.List<int>[groups * groupSlices];
        for (int s = 0; s < lists.Length; s++)
        {
            lists[s] = new();
            if (s >= slices) continue;
            for (int i = 0; i < In; i++)
                for (int j = 0; j < L; j++) { int u = s * L + j; if (u < Units && w[u * In + i] != 0) { lists[s].Add(i); break; } }
        }
        var wl = new System.Collections.Generic.List<float>(); var il = new System.Collections.Generic.List<ushort>();
        gStart = new int[groups]; gCommon = new int[groups]; tStart = new int[groups * groupSlices + 1]; tEnd = new int[groups * groupSlices];
        void Add(int s, int i) { il.Add((ushort)i); for (int j = 0; j < L; j++) { int u = s * L + j; wl.Add(u < Units ? w[u * In + i] : 0); } }
        for (int g = 0; g < groups; g++)
        {
            gStart[g] = il.Count;
            int common = int.MaxValue; for (int q = 0; q < groupSlices; q++) common = Math.Min(common, lists[g * groupSlices + q].Count);
            gCommon[g] = common;
            for (int k = 0; k < common; k++) for (int q = 0; q < groupSlices; q++) Add(g * groupSlices + q, lists[g * groupSlices + q][k]);
            for (int q = 0; q < groupSlices; q++)
            {
                int s = g * groupSlices + q; tStart[s] = il.Count;
                for (int k = common; k < lists[s].Count; k++) Add(s, lists[s][k]);
                tEnd[s] = il.Count;
            }
        }
        tStart[^1] = il.Count;
        for (int k = 0; k < 4; k++) il.Add(0);
        bw = wl.ToArray(); bi = il.ToArray(); nBlocks = il.Count - 4;
        ypad = new float[groups * groupSlices * L];
    }

    // K4 (8 lanes) and Q4 (4 lanes): four slices interleaved, separate multiply and add (bit-identical to the forward
    // pass's order). One generic body over the two widths; the JIT specialises it per struct, as if written twice.
    static void K4(float[] input, float[] output) { Use8(); Blocks<Wide, Vector256<float>>(input, output); }
    static void Q4(float[] input, float[] output) { Use4(); Blocks<Narrow, Vector128<float>>(input, output); }

    interface ILanes<TV>
    {
        static abstract int Count { get; }
        static abstract TV Load(float* p);
        static abstract TV Broadcast(float x);
        static abstract TV AddProduct(TV sum, TV w, TV x);
        static abstract void Store(TV v, float* p);
    }
    struct Wide : ILanes<Vector256<float>>
    {
        public static int Count => 8;
        public static Vector256<float> Load(float* p) => Avx.LoadVector256(p);
        public static Vector256<float> Broadcast(float x) => Vector256.Create(x);
        public static Vector256<float> AddProduct(Vector256<float> sum, Vector256<float> w, Vector256<float> x) => Avx.Add(sum, Avx.Multiply(w, x));
        public static void Store(Vector256<float> v, float* p) => Avx.Store(p, v);
    }
    struct Narrow : ILanes<Vector128<float>>
    {
        public static int Count => 4;
        public static Vector128<float> Load(float* p) => Sse.LoadVector128(p);
        public static Vector128<float> Broadcast(float x) => Vector128.Create(x);
        public static Vector128<float> AddProduct(Vector128<float> sum, Vector128<float> w, Vector128<float> x) => Sse.Add(sum, Sse.Multiply(w, x));
        public static void Store(Vector128<float> v, float* p) => Sse.Store(p, v);
    }

    static void Blocks<TL, TV>(float[] input, float[] output) where TL : struct, ILanes<TV>
    {
        int n = TL.Count;
        fixed (float* x = input) fixed (float* y0 = output) fixed (float* yp = ypad) fixed (float* v = bw) fixed (ushort* ix = bi)
        {
            Buffer.MemoryCopy(y0, yp, Units * 4, Units * 4);
            for (int g = 0; g < gStart.Length; g++)
            {
                float* y = yp + g * 4 * n;
                TV a0 = TL.Load(y), a1 = TL.Load(y + n), a2 = TL.Load(y + 2 * n), a3 = TL.Load(y + 3 * n);
                float* wv = v + gStart[g] * n; ushort* ip = ix + gStart[g];
                for (int k = 0, c = gCommon[g]; k < c; k++, wv += 4 * n, ip += 4)
                {
                    ulong q = *(ulong*)ip;
                    a0 = TL.AddProduct(a0, TL.Load(wv), TL.Broadcast(x[(ushort)q]));
                    a1 = TL.AddProduct(a1, TL.Load(wv + n), TL.Broadcast(x[(ushort)(q >> 16)]));
                    a2 = TL.AddProduct(a2, TL.Load(wv + 2 * n), TL.Broadcast(x[(ushort)(q >> 32)]));
                    a3 = TL.AddProduct(a3, TL.Load(wv + 3 * n), TL.Broadcast(x[(ushort)(q >> 48)]));
                }
                a0 = Tail<TL, TV>(a0, x, v, ix, g * 4 + 0); a1 = Tail<TL, TV>(a1, x, v, ix, g * 4 + 1);
                a2 = Tail<TL, TV>(a2, x, v, ix, g * 4 + 2); a3 = Tail<TL, TV>(a3, x, v, ix, g * 4 + 3);
                TL.Store(a0, y); TL.Store(a1, y + n); TL.Store(a2, y + 2 * n); TL.Store(a3, y + 3 * n);
            }
            Buffer.MemoryCopy(yp, y0, Units * 4, Units * 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TV Tail<TL, TV>(TV a, float* x, float* v, ushort* ix, int s) where TL : struct, ILanes<TV>
    {
        for (int k = tStart[s], e = tEnd[s]; k < e; k++) a = TL.AddProduct(a, TL.Load(v + k * TL.Count), TL.Broadcast(x[ix[k]]));
        return a;
    }

    // E's values, copied into a pinned array so that they start `valsOff` floats past a chosen offset from a cache line.
    static float[] valsA; static int valsOff;
    static void Place(int mod)
    {
        valsA = GC.AllocateArray<float>(vals.Length + 32, pinned: true);
        fixed (float* p = valsA) { long a = (long)p; valsOff = 0; while ((a + valsOff * 4) % 64 != mod) valsOff++; }
        Array.Copy(vals, 0, valsA, valsOff, vals.Length);
    }

    static void S16(float[] padded, float[] output)
    {
        fixed (float* x = padded) fixed (float* v0 = valsA) fixed (ushort* ix16 = idx16Pad)
        {
            float* v = v0 + valsOff;
            Vector512<float> acc = default;
            for (int s = 0; s < sliceStart.Length - 1; s++)
                for (int k = sliceStart[s]; k + 2 <= sliceStart[s + 1]; k += 2)
                    acc += Vector512.Load(v + k * 8) * Vector512.Create(Words(x, ix16 + k * 8), Words(x, ix16 + k * 8 + 8));
            output[0] += Vector512.Sum(acc);
        }
    }

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
        BuildBlocks(w, 4, 8); b8w = bw; b8i = bi; b8g = gStart; b8c = gCommon; b8t = tStart; b8e = tEnd; b8n = nBlocks; b8y = ypad;
        BuildBlocks(w, 4, 4); b4w = bw; b4i = bi; b4g = gStart; b4c = gCommon; b4t = tStart; b4e = tEnd; b4n = nBlocks; b4y = ypad;
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
        fixed (float* x = padded) fixed (float* y = output) fixed (float* v0 = valsA) fixed (int* ix = idxPad) fixed (ushort* ix16 = idx16Pad)
            for (int s = 0; s < sliceStart.Length - 1; s++)
            {
                var sum = LoadSums(y, s, lanes);
                float* v = v0 + valsOff;
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

    // The floor with eight running sums, so the sums' add latency (3 cycles on four sums) is not what it measures.
    static float Floor8(float[] input)
    {
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        fixed (float* x = input) fixed (ushort* ix = idx16Pad)
            for (int k = 0; k < idx16Pad.Length; k += 8)
            {
                a0 += x[ix[k]]; a1 += x[ix[k + 1]]; a2 += x[ix[k + 2]]; a3 += x[ix[k + 3]];
                a4 += x[ix[k + 4]]; a5 += x[ix[k + 5]]; a6 += x[ix[k + 6]]; a7 += x[ix[k + 7]];
            }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
    }

    static void Main(string[] args)
    {
        foreach (double sp in args.Length > 0 ? args.Select(double.Parse).ToArray() : new[] { 0.9, 0.95, 0.98, 0.99 })
        {
            Build(sp, 1); Place(0);
            int nnz = vals.Count(w => w != 0), steps = sliceStart[^1];
            float[] Run(Action<float[], float[]> f, float[] row) { var y = Enumerable.Range(0, Units).Select(u => 0.1f * u).ToArray(); f(row, y); return y; }
            float[] reference = Run(A, x);
            foreach (var (name, f, row) in new (string, Action<float[], float[]>, float[])[] { ("B", B, xpad), ("D", D, xpad), ("E", E, xpad), ("TE", TE, x), ("K4", K4, x), ("Q4", Q4, x) })
                { var got = Run(f, row); int bad = Enumerable.Range(0, Units).Count(u => BitConverter.SingleToInt32Bits(got[u]) != BitConverter.SingleToInt32Bits(reference[u]));
                  if (bad > 0) { int u0 = Enumerable.Range(0, Units).First(u => got[u] != reference[u]); Console.WriteLine($"{name} MISMATCH {bad} units, first {u0}: {got[u0]} vs {reference[u0]}"); } }
            Console.WriteLine($"sparsity {sp}: nnz {nnz}, steps {steps}, blocks8 {b8n} ({b8w.Length * 4 / 1024} KB), blocks4 {b4n} ({b4w.Length * 4 / 1024} KB)");
            var list = new (string, Action)[] { ("A masked gather", () => A(x, sums)), ("B plain gather", () => B(xpad, sums)),
                ("D scalar ushort", () => D(xpad, sums)), ("E scalar ushort 2x64", () => E(xpad, sums)),
                ("TE tail 2x64", () => TE(x, sums)), ("S16 16 lanes (timing only)", () => S16(xpad, sums)), ("K4 blocks 8x1", () => K4(x, sums)), ("Q4 blocks 4x1", () => Q4(x, sums)), ("floor loads", () => Floor(xpad)), ("floor loads, 8 sums", () => Floor8(xpad)) };
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
            // The offsets take turns, eight times over, so a slow phase of the host does not land on one offset only.
            int[] mods = { 0, 8, 16, 24, 32, 48 };
            var atMod = new double[mods.Length]; Array.Fill(atMod, double.MaxValue);
            for (int turn = 0; turn < 8; turn++)
                for (int m = 0; m < mods.Length; m++)
                {
                    Place(mods[m]);
                    for (int i = 0; i < 500; i++) E(xpad, sums);
                    for (int round = 0; round < 10; round++) { var sw = Stopwatch.StartNew(); for (int i = 0; i < 500; i++) E(xpad, sums); atMod[m] = Math.Min(atMod[m], sw.Elapsed.TotalMilliseconds * 1e6 / 500); }
                }
            for (int m = 0; m < mods.Length; m++) Console.WriteLine($"  E, values at {mods[m],2} mod 64       {atMod[m],9:F0} ns");
            Place(0);
        }
    }
}
