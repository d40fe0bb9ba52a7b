import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "../../src/sweep/pool.js";

test("the pool runs at most `size` tasks and an exclusive task alone, in FIFO order", async () => {
  const pool = new Pool(3);
  let active = 0;
  let exclusiveSawOthers = false;
  let peak = 0;
  const order: string[] = [];
  const task = (name: string, exclusive = false) =>
    pool.run(
      async () => {
        active++;
        peak = Math.max(peak, active);
        if (exclusive && active > 1) exclusiveSawOthers = true;
        order.push(name);
        await sleep(10);
        active--;
      },
      { exclusive },
    );
  await Promise.all([task("a"), task("b"), task("c"), task("d"), task("x", true), task("e"), task("f")]);
  assert.equal(peak, 3);
  assert.equal(exclusiveSawOthers, false);
  assert.deepEqual(order, ["a", "b", "c", "d", "x", "e", "f"]);
});

test("aborting rejects queued tasks and starts nothing more", async () => {
  const controller = new AbortController();
  const pool = new Pool(1, controller.signal);
  let started = 0;
  const run = () => pool.run(async () => void (started++, await sleep(30)));
  const first = run();
  const queued = [run(), run()].map((q) => q.then(() => "ran", (e: Error) => e.message));
  controller.abort(new Error("stop"));
  await first;
  assert.deepEqual(await Promise.all(queued), ["stop", "stop"]);
  assert.equal(started, 1);
});
