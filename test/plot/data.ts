/** A small predictions table as %fit writes it: row, group, measured, predicted, fold, plus knob columns. */
export function predictionRows(): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const groups = ["gemm", "mvm", "conv2d"];
  for (let g = 0; g < groups.length; g++) {
    for (let i = 0; i < 8; i++) {
      const measured = 0.001 * (g + 1) * (1 + i);
      rows.push({ row: rows.length, group: groups[g], measured, predicted: measured * (i % 2 === 0 ? 1.25 : 0.8), fold: i % 4, tile: 2 ** i, order: i % 2 ? "ijk" : "ikj" });
    }
  }
  return rows;
}
