import { toMimeBundle, type DisplaySink, type MimeBundle } from "../display/types.js";
import { escapeHtml } from "../display/escape-html.js";

/** Counts of a sweep's (point, tool) runs. `cached` were finished before this sweep started. */
export interface ProgressSnapshot {
  sweep: string;
  total: number;
  done: number;
  failed: number;
  cached: number;
  running: number;
  /** Runs waiting in a cluster's queue (the slurm backend only; undefined for local sweeps). */
  queued?: number;
  elapsedSeconds: number;
  /** Estimated seconds left, from the pace of this sweep's own runs; undefined before the first one ends. */
  etaSeconds: number | undefined;
  finished: boolean;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

export function progressText(p: ProgressSnapshot): string {
  const settled = p.done + p.failed + p.cached;
  const width = 24;
  const filled = p.total === 0 ? width : Math.round((settled / p.total) * width);
  const bar = "█".repeat(filled) + "░".repeat(width - filled);
  const tail = p.finished ? `in ${clock(p.elapsedSeconds)}` : p.etaSeconds === undefined ? "ETA –" : `ETA ${clock(p.etaSeconds)}`;
  const cluster = p.queued !== undefined && !p.finished ? ` · ${p.queued} queued · ${p.running} running` : "";
  return `${p.sweep} ${bar} ${settled}/${p.total} · ${p.done} done · ${p.failed} failed · ${p.cached} cached${cluster} · ${tail}`;
}

/** A snapshot that displays itself: a bar in the notebook, a line as text. */
export class ProgressView {
  constructor(readonly snapshot: ProgressSnapshot) {}

  [toMimeBundle](): MimeBundle {
    const p = this.snapshot;
    const settled = p.done + p.failed + p.cached;
    const pct = p.total === 0 ? 100 : (100 * settled) / p.total;
    const text = progressText(p);
    const html =
      `<div style="font-family:monospace;font-size:12px">` +
      `<div style="width:320px;height:10px;background:#eee;border-radius:3px;overflow:hidden;display:inline-block;vertical-align:middle">` +
      `<div style="width:${pct.toFixed(1)}%;height:100%;background:${p.failed > 0 ? "#e0a030" : "#4a90d9"}"></div></div> ` +
      `${escapeHtml(text.replace(/[█░]+ /, ""))}</div>`;
    return { "text/plain": text, "text/html": html };
  }
}


/** Tracks a sweep's counts and reports them, throttled, to its sinks. */
export class Progress {
  private readonly started = performance.now();
  private done = 0;
  private failed = 0;
  private running = 0;
  private remote: { queued: number; running: number } | undefined;
  private lastReport = -Infinity;
  private readonly displayId = `simlab-sweep-${process.pid}-${Math.random().toString(36).slice(2)}`;
  private shown = false;

  constructor(
    private readonly sweep: string,
    private readonly total: number,
    private readonly cached: number,
    private readonly sinks: { display?: DisplaySink; onProgress?: (p: ProgressSnapshot) => void; intervalMs?: number },
  ) {}

  runStarted(): void {
    this.running++;
    this.report();
  }

  settled(ok: boolean, count = 1): void {
    this.running = Math.max(0, this.running - 1);
    if (ok) this.done += count;
    else this.failed += count;
    this.report();
  }

  /** Queued and running runs on a cluster, as its backend last saw them. */
  remoteCounts(queued: number, running: number): void {
    const before = this.remote;
    this.remote = { queued, running };
    this.report(before === undefined);
  }

  /** Runs another live sweep took on: counted as done here. */
  skipped(count: number): void {
    this.done += count;
    this.report();
  }

  snapshot(finished = false): ProgressSnapshot {
    const elapsed = (performance.now() - this.started) / 1000;
    const finishedHere = this.done + this.failed;
    const left = this.total - this.cached - finishedHere;
    return {
      sweep: this.sweep,
      total: this.total,
      done: this.done,
      failed: this.failed,
      cached: this.cached,
      running: this.running + (this.remote?.running ?? 0),
      ...(this.remote ? { queued: this.remote.queued } : {}),
      elapsedSeconds: elapsed,
      etaSeconds: finishedHere > 0 ? (elapsed / finishedHere) * left : undefined,
      finished,
    };
  }

  /** Reports now if the last report is older than the interval (always when `force`). */
  report(force = false, finished = false): void {
    const now = performance.now();
    if (!force && now - this.lastReport < (this.sinks.intervalMs ?? 250)) return;
    this.lastReport = now;
    const snap = this.snapshot(finished);
    this.sinks.onProgress?.(snap);
    const display = this.sinks.display;
    if (!display) return;
    if (this.shown) display.update(this.displayId, new ProgressView(snap));
    else display.display(new ProgressView(snap), { displayId: this.displayId });
    this.shown = true;
  }

  finish(): ProgressSnapshot {
    this.running = 0;
    const snap = this.snapshot(true);
    this.report(true, true);
    return snap;
  }
}

/**
 * The CLI's progress line on stderr: rewritten in place on a terminal, otherwise a plain line at most every
 * 5 seconds (and the last one).
 */
export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): (p: ProgressSnapshot) => void {
  let lastLine = 0;
  return (p) => {
    const text = progressText(p);
    if (stream.isTTY) {
      stream.write(`\r\x1b[2K${text}${p.finished ? "\n" : ""}`);
    } else if (p.finished || performance.now() - lastLine > 5000) {
      lastLine = performance.now();
      stream.write(text + "\n");
    }
  };
}
