/**
 * A FIFO concurrency pool with exclusive tasks. Up to `size` shared tasks run at once; an exclusive task
 * (native timing) starts only when nothing else runs, and nothing starts while it runs. Tasks start in the
 * order they were queued, so queuing [builds…, native…, simulations…] gives three phases with no gaps.
 */
export class Pool {
  private active = 0;
  private exclusiveActive = false;

  private readonly queue: { exclusive: boolean; start: () => void; cancel: (reason: unknown) => void }[] = [];

  /** Aborting `signal` rejects every task that has not started with `signal.reason`. */
  constructor(
    readonly size: number,
    private readonly signal?: AbortSignal,
  ) {
    if (!(size >= 1)) throw new Error(`pool size must be ≥ 1, got ${size}`);
    signal?.addEventListener(
      "abort",
      () => {
        for (const entry of this.queue.splice(0)) entry.cancel(signal.reason);
      },
      { once: true },
    );
  }

  /** Runs `task` when a slot is free (an exclusive task: when nothing else runs). */
  run<T>(task: () => Promise<T>, options: { exclusive?: boolean } = {}): Promise<T> {
    const exclusive = options.exclusive ?? false;
    return new Promise<T>((resolve, reject) => {
      if (this.signal?.aborted) return reject(this.signal.reason);
      this.queue.push({
        exclusive,
        cancel: reject,
        start: () => {
          this.active++;
          this.exclusiveActive = exclusive;
          task()
            .then(resolve, reject)
            .finally(() => {
              this.active--;
              this.exclusiveActive = false;
              this.pump();
            });
        },
      });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.exclusiveActive) {
      const next = this.queue[0]!;
      if (next.exclusive ? this.active > 0 : this.active >= this.size) return;
      this.queue.shift();
      next.start();
    }
  }
}
