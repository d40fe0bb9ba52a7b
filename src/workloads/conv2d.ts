import { allocate, outputHash } from "./c-harness.js";
import { int, requireKnob, requirePermutation, requireTile, type KnobDomain } from "./knobs.js";
import { loopNest, type LoopDim } from "./loop-nest.js";
import type { OperatorSpace, ResolvedKnobs } from "./operator.js";

const KIND = "conv2d";
const LOOPS = "kcpqrs";
/** Suggested orders (any permutation of kcpqrs is valid): the last letter is the innermost loop. */
const ORDERS = ["kcpqrs", "kpqcrs", "kcrspq", "ckrspq", "pqkcrs", "kcprsq"] as const;
/** Inputs are in [-2, 2], so |out| ≤ 4·C·R·S must stay below 2^24 for float sums to be exact. */
const MAX_REDUCTION = 1 << 21;

const knobs: readonly KnobDomain[] = [
  { name: "N", type: "integer", values: [1], default: 1, help: "batch size" },
  { name: "C", type: "integer", values: [8, 16, 32], default: 16, help: "input channels" },
  { name: "H", type: "integer", values: [18, 34], default: 18, help: "input height" },
  { name: "W", type: "integer", values: [18, 34], default: 18, help: "input width" },
  { name: "K", type: "integer", values: [8, 16, 32], default: 16, help: "output channels" },
  { name: "R", type: "integer", values: [3], default: 3, help: "kernel height" },
  { name: "S", type: "integer", values: [3], default: 3, help: "kernel width" },
  {
    name: "order",
    type: "string",
    values: ORDERS,
    default: "kcpqrs",
    help: `loop order outer → inner, a permutation of "${LOOPS}" (k out channel, c in channel, p/q output row/col, r/s kernel row/col); its last letter is the innermost loop`,
  },
  { name: "tp", type: "integer", values: [0, 4, 8], default: 0, help: "tile of output rows p (0/1 = untiled, else divides P = H-R+1)" },
  { name: "tq", type: "integer", values: [0, 4, 8], default: 0, help: "tile of output columns q (0/1 = untiled, else divides Q = W-S+1)" },
  { name: "unroll", type: "integer", values: [1, 2, 4], default: 1, help: "unroll factor of the innermost loop (≥ 1; a remainder loop handles the rest)" },
];

const outRows = (k: ResolvedKnobs) => int(k, "H") - int(k, "R") + 1;
const outCols = (k: ResolvedKnobs) => int(k, "W") - int(k, "S") + 1;

function dims(k: ResolvedKnobs): Record<string, LoopDim> {
  return {
    n: { extent: int(k, "N"), tile: 0 },
    k: { extent: int(k, "K"), tile: 0 },
    c: { extent: int(k, "C"), tile: 0 },
    p: { extent: outRows(k), tile: int(k, "tp") },
    q: { extent: outCols(k), tile: int(k, "tq") },
    r: { extent: int(k, "R"), tile: 0 },
    s: { extent: int(k, "S"), tile: 0 },
  };
}

/** The batch loop is always outermost; `order` arranges the rest. */
const loopOrder = (k: ResolvedKnobs) => ["n", ...String(k.order)];

/** Direct NCHW convolution, stride 1, no padding: out[N][K][P][Q] += in[N][C][H][W] · w[K][C][R][S]. */
export const conv2dSpace: OperatorSpace = {
  kind: KIND,
  knobs,
  plainSchedule: { order: "kcpqrs", tp: 0, tq: 0, unroll: 1 },
  check(k) {
    for (const d of ["N", "C", "H", "W", "K", "R", "S"]) requireKnob(int(k, d) >= 1, KIND, d, k[d]!, "must be ≥ 1", "a positive integer");
    requireKnob(int(k, "R") <= int(k, "H"), KIND, "R", k.R!, `kernel taller than the input (H=${k.H})`, `at most H=${k.H}`);
    requireKnob(int(k, "S") <= int(k, "W"), KIND, "S", k.S!, `kernel wider than the input (W=${k.W})`, `at most W=${k.W}`);
    const reduction = int(k, "C") * int(k, "R") * int(k, "S");
    requireKnob(reduction <= MAX_REDUCTION, KIND, "C", k.C!, "C·R·S too large for exact float sums", `C·R·S at most ${MAX_REDUCTION}`);
    requirePermutation(KIND, "order", String(k.order), LOOPS);
    requireTile(KIND, "tp", int(k, "tp"), "P", outRows(k));
    requireTile(KIND, "tq", int(k, "tq"), "Q", outCols(k));
    requireKnob(int(k, "unroll") >= 1, KIND, "unroll", k.unroll!, "must be ≥ 1", "a positive integer (1 = not unrolled)");
  },
  generate(k) {
    const body = (at: Readonly<Record<string, string>>) =>
      `Out[((n * K + ${at.k}) * P + ${at.p}) * Q + ${at.q}] += In[((n * C + ${at.c}) * H + ${at.p} + ${at.r}) * W + ${at.q} + ${at.s}] * Wt[((${at.k} * C + ${at.c}) * R + ${at.r}) * S + ${at.s}];`;
    return {
      title: `conv2d N=${k.N} C=${k.C} H=${k.H} W=${k.W} K=${k.K} R=${k.R} S=${k.S} order=${k.order} tiles=${k.tp}/${k.tq} unroll=${k.unroll}`,
      globals: [
        `#define NB ${k.N}`, `#define C ${k.C}`, `#define H ${k.H}`, `#define W ${k.W}`,
        `#define K ${k.K}`, `#define R ${k.R}`, `#define S ${k.S}`,
        `#define P ${outRows(k)}`, `#define Q ${outCols(k)}`,
        "static float *In, *Wt, *Out;",
      ].join("\n"),
      kernelBody: loopNest(loopOrder(k), dims(k), int(k, "unroll"), body),
      initBody: [
        allocate("In", "NB * C * H * W"),
        allocate("Wt", "K * C * R * S"),
        allocate("Out", "NB * K * P * Q"),
        "  for (long x = 0; x < (long)NB * C * H * W; x++) In[x] = small_value(x, x / W);",
        "  for (long x = 0; x < (long)K * C * R * S; x++) Wt[x] = small_value(x + 1, x / S);",
      ].join("\n"),
      resetBody: "  memset(Out, 0, sizeof(float) * NB * K * P * Q);",
      checksumBody: outputHash("Out", "NB * K * P * Q"),
    };
  },
};
