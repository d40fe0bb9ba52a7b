import { allocate, outputHash } from "./c-harness.js";
import { int, requireKnob, requireTile, type KnobDomain } from "./knobs.js";
import { loopNest, type LoopDim } from "./loop-nest.js";
import type { OperatorSpace, ResolvedKnobs } from "./operator.js";

const KIND = "mvm";
const SIZES = [256, 512, 1024] as const;
/** Inputs are in [-2, 2], so |y| ≤ 4·N must stay below 2^24 for float sums to be exact. */
const MAX_REDUCTION = 1 << 21;
/** Traversal of A: row-major walks (i outer, j inner) or column walks (j outer, i inner). */
const ORDERS: Readonly<Record<string, readonly string[]>> = { row: ["i", "j"], col: ["j", "i"] };

const knobs: readonly KnobDomain[] = [
  { name: "M", type: "integer", values: SIZES, default: 512, help: "rows of A, length of y" },
  { name: "N", type: "integer", values: SIZES, default: 512, help: "columns of A, length of x" },
  { name: "order", type: "choice", values: Object.keys(ORDERS), default: "row", help: "traversal of A: row (i outer) or col (j outer)" },
  { name: "tile", type: "integer", values: [0, 16, 64, 128], default: 0, help: "square tile on i and j (0/1 = untiled, else divides M and N)" },
  { name: "unroll", type: "integer", values: [1, 2, 4, 8], default: 1, help: "unroll factor of the innermost loop (≥ 1; a remainder loop handles the rest)" },
];

function dims(k: ResolvedKnobs): Record<string, LoopDim> {
  return { i: { extent: int(k, "M"), tile: int(k, "tile") }, j: { extent: int(k, "N"), tile: int(k, "tile") } };
}

/** y[M] += A[M×N] · x[N], A row-major. */
export const mvmSpace: OperatorSpace = {
  kind: KIND,
  knobs,
  plainSchedule: { order: "row", tile: 0, unroll: 1 },
  check(k) {
    for (const d of ["M", "N"]) requireKnob(int(k, d) >= 1, KIND, d, k[d]!, "must be ≥ 1", "a positive integer");
    requireKnob(int(k, "N") <= MAX_REDUCTION, KIND, "N", k.N!, "too large for exact float sums", `at most ${MAX_REDUCTION}`);
    requireTile(KIND, "tile", int(k, "tile"), "M", int(k, "M"));
    requireTile(KIND, "tile", int(k, "tile"), "N", int(k, "N"));
    requireKnob(int(k, "unroll") >= 1, KIND, "unroll", k.unroll!, "must be ≥ 1", "a positive integer (1 = not unrolled)");
  },
  generate(k) {
    return {
      title: `mvm M=${k.M} N=${k.N} order=${k.order} tile=${k.tile} unroll=${k.unroll}`,
      globals: `#define M ${k.M}\n#define N ${k.N}\nstatic float *A, *x, *y;`,
      kernelBody: loopNest(ORDERS[String(k.order)]!, dims(k), int(k, "unroll"), (at) => `y[${at.i}] += A[${at.i} * N + ${at.j}] * x[${at.j}];`),
      initBody: [
        allocate("A", "M * N"),
        allocate("x", "N"),
        allocate("y", "M"),
        "  for (long i = 0; i < M; i++) for (long j = 0; j < N; j++) A[i * N + j] = small_value(i, j);",
        "  for (long j = 0; j < N; j++) x[j] = small_value(j, 1);",
      ].join("\n"),
      resetBody: "  memset(y, 0, sizeof(float) * M);",
      checksumBody: outputHash("y", "M"),
    };
  },
};
