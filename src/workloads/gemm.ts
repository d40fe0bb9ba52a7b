import { allocate, outputHash } from "./c-harness.js";
import { int, requireKnob, requireTile, type KnobDomain } from "./knobs.js";
import { loopNest, type LoopDim } from "./loop-nest.js";
import type { OperatorSpace, ResolvedKnobs } from "./operator.js";

const KIND = "gemm";
const ORDERS = ["ijk", "ikj", "jik", "jki", "kij", "kji"] as const;
const SIZES = [64, 128, 256] as const;
const TILES = [0, 16, 32, 64] as const;
const UNROLLS = [1, 2, 4, 8] as const;
/** Inputs are in [-2, 2], so |C| ≤ 4·K must stay below 2^24 for float sums to be exact. */
const MAX_REDUCTION = 1 << 21;

const knobs: readonly KnobDomain[] = [
  { name: "M", type: "integer", values: SIZES, default: 128, help: "rows of A and C" },
  { name: "N", type: "integer", values: SIZES, default: 128, help: "columns of B and C" },
  { name: "K", type: "integer", values: SIZES, default: 128, help: "the reduction dimension (columns of A, rows of B)" },
  { name: "order", type: "choice", values: ORDERS, default: "ijk", help: "loop order outer → inner, a permutation of ijk" },
  { name: "tm", type: "integer", values: TILES, default: 0, help: "tile of i (0/1 = untiled, else divides M)" },
  { name: "tn", type: "integer", values: TILES, default: 0, help: "tile of j (0/1 = untiled, else divides N)" },
  { name: "tk", type: "integer", values: TILES, default: 0, help: "tile of k (0/1 = untiled, else divides K)" },
  { name: "unroll", type: "integer", values: UNROLLS, default: 1, help: "unroll factor of the innermost loop (≥ 1; a remainder loop handles the rest)" },
];

function dims(k: ResolvedKnobs): Record<string, LoopDim> {
  return {
    i: { extent: int(k, "M"), tile: int(k, "tm") },
    j: { extent: int(k, "N"), tile: int(k, "tn") },
    k: { extent: int(k, "K"), tile: int(k, "tk") },
  };
}

/** C[M×N] += A[M×K] · B[K×N], row-major. */
export const gemmSpace: OperatorSpace = {
  kind: KIND,
  knobs,
  plainSchedule: { order: "ijk", tm: 0, tn: 0, tk: 0, unroll: 1 },
  check(k) {
    for (const d of ["M", "N", "K"]) requireKnob(int(k, d) >= 1, KIND, d, k[d]!, "must be ≥ 1", "a positive integer");
    requireKnob(int(k, "K") <= MAX_REDUCTION, KIND, "K", k.K!, "too large for exact float sums", `at most ${MAX_REDUCTION}`);
    requireTile(KIND, "tm", int(k, "tm"), "M", int(k, "M"));
    requireTile(KIND, "tn", int(k, "tn"), "N", int(k, "N"));
    requireTile(KIND, "tk", int(k, "tk"), "K", int(k, "K"));
    requireKnob(int(k, "unroll") >= 1, KIND, "unroll", k.unroll!, "must be ≥ 1", "a positive integer (1 = not unrolled)");
  },
  generate(k) {
    const order = [...String(k.order)];
    return {
      title: `gemm M=${k.M} N=${k.N} K=${k.K} order=${k.order} tiles=${k.tm}/${k.tn}/${k.tk} unroll=${k.unroll}`,
      globals: `#define M ${k.M}\n#define N ${k.N}\n#define K ${k.K}\nstatic float *A, *B, *C;`,
      kernelBody: loopNest(order, dims(k), int(k, "unroll"), (at) => `C[${at.i} * N + ${at.j}] += A[${at.i} * K + ${at.k}] * B[${at.k} * N + ${at.j}];`),
      initBody: [
        allocate("A", "M * K"),
        allocate("B", "K * N"),
        allocate("C", "M * N"),
        "  for (long i = 0; i < M; i++) for (long k = 0; k < K; k++) A[i * K + k] = small_value(i, k);",
        "  for (long k = 0; k < K; k++) for (long j = 0; j < N; j++) B[k * N + j] = small_value(j + 1, k);",
      ].join("\n"),
      resetBody: "  memset(C, 0, sizeof(float) * M * N);",
      checksumBody: outputHash("C", "M * N"),
    };
  },
};
