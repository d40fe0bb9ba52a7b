import assert from "node:assert/strict";
import { test } from "node:test";
import { table } from "arquero";
import { toMimeBundle } from "../../src/display/types.js";
import { predictedVsMeasured, residuals, bestRank, featureImportance, scatter, figureHtml, PLOTLY_NBEXTENSION, plotlyMimeType, measurementCurve, measurementCurveTable, expectedRandomScore, type PlotlyObject } from "../../src/plot/index.js";
import { magics } from "../../src/magics/plot.js";
import { rejectsSimlab, scratch } from "../data/fixtures.js";
import { predictionRows } from "./data.js";

const trace = (data: PlotlyObject[], name: string): PlotlyObject => {
  const t = data.find((d) => d.name === name);
  assert.ok(t, `no trace ${name}`);
  return t;
};

test("predicted vs measured: a trace per group, log axes, y = x over the data's range, knobs on hover", () => {
  const rows: Record<string, unknown>[] = predictionRows().map((r) => ({ ...r, sweep: "paper" }));
  const fig = predictedVsMeasured(table(Object.fromEntries(Object.keys(rows[0]!).map((k) => [k, rows.map((r) => r[k])]))));
  assert.deepEqual(fig.data.map((d) => d.name), ["gemm", "mvm", "conv2d", "y = x"]);
  const mvm = trace(fig.data, "mvm");
  assert.deepEqual(mvm.x, rows.filter((r) => r.group === "mvm").map((r) => r.measured));
  assert.deepEqual(mvm.y, rows.filter((r) => r.group === "mvm").map((r) => r.predicted));
  const text = mvm.text as string[];
  assert.equal(text[1], "row 9 · tile=2 · order=ijk", "a column with one value everywhere (sweep) is not repeated on every point");
  const line = trace(fig.data, "y = x");
  const all = rows.flatMap((r) => [r.measured as number, r.predicted as number]);
  assert.deepEqual(line.x, [Math.min(...all), Math.max(...all)]);
  assert.equal((fig.layout.xaxis as PlotlyObject).type, "log");
  assert.equal(fig.summary(), "Figure: predicted vs measured, 24 points");
});

test("predicted vs measured: non-positive values are left off log axes and counted in the summary", () => {
  const fig = predictedVsMeasured([{ measured: 1, predicted: 2 }, { measured: 0, predicted: 1 }, { measured: 2, predicted: null }]);
  assert.equal(fig.summary(), "Figure: predicted vs measured (2 not drawn: non-positive or missing), 1 point");
  assert.deepEqual(trace(fig.data, "all").x, [1]);
});

test("the MIME bundle: plotly JSON, an HTML form that loads plotly.js once per page instead of carrying it, and a text line", () => {
  const fig = predictedVsMeasured(predictionRows());
  const bundle = fig[toMimeBundle]();
  assert.deepEqual(Object.keys(bundle).sort(), [plotlyMimeType, "text/html", "text/plain"].sort());
  assert.deepEqual(JSON.parse(JSON.stringify(bundle[plotlyMimeType])), fig.toJSON());
  assert.equal(bundle["text/plain"], "Figure: predicted vs measured, 24 points");
  const html = bundle["text/html"] as string;
  assert.ok(html.length < 20_000, `no plotly.js inside (${html.length} characters)`);
  assert.ok(html.includes(PLOTLY_NBEXTENSION) && html.includes("require.config"), "loads simlab's nbextension, through require.js when the page has it");
  assert.equal(html.match(/<\/script>/gi)?.length, 1, "only the drawing script's own closing tag");
  assert.ok(!html.includes("<img"), "no static image unless given");
  assert.match(figureHtml(fig.toJSON(), { pngBase64: "iVBORw0KGgo" }), /<img alt="figure" style="max-width:100%" src="data:image\/png;base64,iVBORw0KGgo">/);
  assert.ok(figureHtml(fig.toJSON(), { includePlotly: true }).length > 3_000_000, "standalone pages inline the library");
});

test("residuals are relative errors in % against measured", () => {
  const fig = residuals([{ group: "a", measured: 2, predicted: 3 }, { group: "a", measured: 4, predicted: 3 }]);
  assert.deepEqual(trace(fig.data, "a").y, [50, -25]);
  const absolute = residuals([{ measured: 2, predicted: 3 }], { relative: false });
  assert.deepEqual(trace(absolute.data, "all").y, [1]);
});

test("rank of the best: bars coloured by the 3 % threshold, from records, a perGroup field or a keyed object", () => {
  const records = [{ group: "gemm", bestRankPercent: 1 }, { group: "mvm", bestRankPercent: 4.5 }];
  for (const input of [records, { perGroup: records }, { perGroup: { gemm: { bestRankPercent: 1 }, mvm: { bestRankPercent: 4.5 } } }]) {
    const fig = bestRank(input);
    assert.deepEqual(fig.data[0]!.x, ["gemm", "mvm"]);
    assert.deepEqual(fig.data[0]!.y, [1, 4.5]);
    assert.deepEqual((fig.data[0]!.marker as PlotlyObject).color, ["#2ca02c", "#d62728"]);
    const [line] = fig.layout.shapes as PlotlyObject[];
    assert.equal(line!.y0, 3);
    assert.equal(fig.summary(), "Figure: rank of the best per group, 1 of 2 groups within 3 %, 2 points");
  }
  assert.equal((bestRank(records, { threshold: 5 }).layout.shapes as PlotlyObject[])[0]!.y0, 5);
});

test("feature importance: sorted, the most important on top, limited to --top", () => {
  const fig = featureImportance({ importances: [{ feature: "Ir", importance: 0.2 }, { feature: "D1mr", importance: 0.7 }, { feature: "Bcm", importance: 0.1 }] }, { top: 2 });
  assert.deepEqual(fig.data[0]!.y, ["Ir", "D1mr"]);
  assert.deepEqual(fig.data[0]!.x, [0.2, 0.7]);
});

test("scatter/line: traces by colour, lines in x order; bad columns are SimlabErrors", async () => {
  const curve = [
    { k: 3, best: 1.0, strategy: "top-k" },
    { k: 1, best: 1.2, strategy: "top-k" },
    { k: 1, best: 2.0, strategy: "random" },
    { k: 3, best: 1.5, strategy: "random" },
  ];
  const fig = scatter(curve, { x: "k", y: "best", color: "strategy", mode: "lines+markers" });
  assert.deepEqual(trace(fig.data, "top-k").x, [1, 3]);
  assert.deepEqual(trace(fig.data, "top-k").y, [1.2, 1.0]);
  assert.deepEqual(trace(fig.data, "random").y, [2.0, 1.5]);
  await rejectsSimlab(() => scatter(curve, { x: "kk", y: "best" }), /no column "kk"/, /did you mean "k"/);
  await rejectsSimlab(() => scatter(curve, { x: "strategy", y: "best" }), /column "strategy" is not numeric/);
  await rejectsSimlab(() => predictedVsMeasured("pred" as never), /the predictions must be a table.*not a string/);
  await rejectsSimlab(() => bestRank([{ group: "a", rank: 1 }]), /no column "bestRankPercent"/);
});

test("%plot: kind and data resolution through runCode or a file, clear errors", async () => {
  const plot = magics.find((m) => m.name === "plot")!;
  const rows = predictionRows();
  const ctx = {
    signal: new AbortController().signal,
    display: { display() {}, update() {} },
    stdout() {},
    stderr() {},
    runCode: async (code: string) => {
      if (code === "pred") return rows;
      throw new Error(`Cannot find name '${code}'.`);
    },
  };
  const args = { width: 800, height: 500, scale: 1, threshold: 3, top: 20, logX: false, logY: false };
  const fig = (await plot.run({ ...args, kind: "pred", data: "pred" }, ctx)) as ReturnType<typeof predictedVsMeasured>;
  assert.equal(fig.summary(), "Figure: predicted vs measured, 24 points");
  await rejectsSimlab(() => plot.run({ ...args, kind: "prd", data: "pred" }, ctx), /unknown plot kind "prd"/, /did you mean pred\?/);
  await rejectsSimlab(() => plot.run({ ...args, kind: "pred", data: "nope" }, ctx), /cannot read "nope": Cannot find name 'nope'/);
  await rejectsSimlab(() => plot.run({ ...args, kind: "scatter", data: "pred" }, ctx), /needs --x and --y/);
  const tmp = scratch();
  const csv = tmp.file("PRED.csv", "row,group,measured,predicted,fold\n0,a,1,1.1,0\n1,a,2,1.9,1\n");
  const fromFile = (await plot.run({ ...args, kind: "residuals", data: csv }, ctx)) as ReturnType<typeof residuals>;
  assert.equal(fromFile.points, 2);
});

test("measurement curve: top-k predicted vs the exact expectation of random sampling, hand-computed", () => {
  // measured [1, 2, 4], predicted order: 2, 4, 1 → top-1 and top-2 find 2 (score 0.5), top-3 finds 1.
  // random: k=1 → (1 + 1/2 + 1/4) / 3; k=2 → P(min is 1) = 2/3, P(min is 2) = 1/3 → 2/3 + 1/6; k=3 → 1.
  const rows = [
    { group: "a", measured: 1, predicted: 3 },
    { group: "a", measured: 2, predicted: 1 },
    { group: "a", measured: 4, predicted: 2 },
  ];
  const curve = measurementCurveTable(rows);
  const score = (strategy: string) => curve.objects().filter((r) => (r as { strategy: string }).strategy === strategy).map((r) => (r as { score: number }).score);
  assert.deepEqual(score("top-k predicted"), [0.5, 0.5, 1]);
  const random = score("random");
  assert.ok(Math.abs(random[0]! - 1.75 / 3) < 1e-12 && Math.abs(random[1]! - 5 / 6) < 1e-12 && Math.abs(random[2]! - 1) < 1e-12, String(random));
  assert.equal(expectedRandomScore([5, 5], 1), 1);
  const fig = measurementCurve(rows);
  assert.deepEqual(fig.data.map((d) => d.name), ["top-k predicted", "random"]);
  assert.equal(fig.summary(), "Figure: score vs measurements, 6 points");
});

test("figure polish: 11+ groups get distinct colours, log axes label 1-2-5 only, long category labels make room for the axis title", () => {
  const rows = Array.from({ length: 12 }, (_, g) => ({ group: `conv2d C=${g} H=34 W=34 K=16`, measured: 0.001 * (g + 1), predicted: 0.0011 * (g + 1) }));
  const fig = predictedVsMeasured(rows);
  const colours = (fig.layout.colorway as string[]).slice(0, 12);
  assert.equal(new Set(colours).size, 12, "twelve groups, twelve colours");
  assert.equal((fig.layout.xaxis as PlotlyObject).dtick, "D2");
  assert.equal((fig.layout.xaxis as PlotlyObject).automargin, true);
  const rank = bestRank(rows.map((r, i) => ({ group: r.group, bestRankPercent: i })));
  const x = rank.layout.xaxis as PlotlyObject;
  assert.equal(x.automargin, true, "the margin grows to fit the labels");
  assert.equal(x.tickangle, -35);
  assert.ok(((x.title as PlotlyObject).standoff as number) > 0, "the title stands off the labels");
});
