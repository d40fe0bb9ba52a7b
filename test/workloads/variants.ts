import type { Knobs } from "../../src/core/contracts.js";

/** A few schedules per operator at small sizes: loop orders, tiles, unrolls (with and without remainders). */
export const VARIANTS: ReadonlyArray<[string, Knobs]> = [
  ["gemm", { M: 32, N: 48, K: 16, order: "ijk", tm: 16, tn: 16, tk: 0, unroll: 1 }],
  ["gemm", { M: 32, N: 48, K: 16, order: "ikj", tm: 0, tn: 0, tk: 0, unroll: 4 }],
  ["gemm", { M: 32, N: 48, K: 16, order: "kji", tm: 8, tn: 24, tk: 8, unroll: 3 }],
  ["gemm", { M: 32, N: 48, K: 16, order: "jki", tm: 32, tn: 0, tk: 4, unroll: 5 }],
  ["mvm", { M: 64, N: 96, order: "col", tile: 0, unroll: 4 }],
  ["mvm", { M: 64, N: 96, order: "row", tile: 16, unroll: 3 }],
  ["mvm", { M: 64, N: 96, order: "col", tile: 32, unroll: 8 }],
  ["conv2d", { C: 4, H: 10, W: 12, K: 3, order: "kcpqrs", tp: 0, tq: 0, unroll: 2 }],
  ["conv2d", { C: 4, H: 10, W: 12, K: 3, order: "kcrspq", tp: 4, tq: 5, unroll: 4 }],
  ["conv2d", { C: 4, H: 10, W: 12, K: 3, order: "sqrpck", tp: 8, tq: 2, unroll: 3 }],
];
