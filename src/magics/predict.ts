import type { MagicSpec } from "./types.js";

// Placeholder until this family is written.
export const magics: readonly MagicSpec[] = [];
