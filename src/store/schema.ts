/**
 * The store's tables. Runs are content-addressed: a run belongs to a cache key (variant source + flags +
 * compiler + tool + its version and options), not to a sweep, so any point of any sweep whose key matches
 * reuses it. Points link to their keys through `point_keys`.
 */
export const SCHEMA_VERSION = 2;

/**
 * Provenance of each run's binary: target ISA, compiler identity and flags. Added after version 1 without a
 * version bump: it is created where missing when a store is opened for writing, and readers do without it.
 */
export const RUN_BUILDS_SQL = `
CREATE TABLE IF NOT EXISTS run_builds (
  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  isa TEXT NOT NULL,             -- the binary's target ISA (x86_64, aarch64, riscv64)
  compiler TEXT,                 -- first line of \`cc --version\`: the cross gcc for another ISA
  flags TEXT                     -- JSON list of the compiler flags (-static -ffp-contract=off for cross builds)
);
`;

const BASE_SQL = `
CREATE TABLE sweeps (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  spec TEXT NOT NULL,            -- the latest spec (JSON) the sweep ran with
  created TEXT NOT NULL,
  updated TEXT NOT NULL
);

CREATE TABLE points (
  id INTEGER PRIMARY KEY,
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  workload TEXT NOT NULL,
  grp TEXT NOT NULL,             -- operator + shape: what predictors and rankings group on
  knobs TEXT NOT NULL,           -- canonical JSON (sorted keys)
  ord INTEGER NOT NULL,          -- position in the spec's expansion
  UNIQUE (sweep_id, workload, knobs)
);

CREATE TABLE knobs (
  point_id INTEGER NOT NULL REFERENCES points(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value ANY,
  pos INTEGER NOT NULL,          -- the knob's position in its workload (column order of the wide view)
  PRIMARY KEY (point_id, name)
) WITHOUT ROWID;

CREATE TABLE point_keys (
  point_id INTEGER NOT NULL REFERENCES points(id) ON DELETE CASCADE,
  tool TEXT NOT NULL,
  cache_key TEXT NOT NULL,
  PRIMARY KEY (point_id, tool)
) WITHOUT ROWID;
CREATE INDEX point_keys_by_key ON point_keys(cache_key);

CREATE TABLE hosts (
  id INTEGER PRIMARY KEY,
  cpu_model TEXT NOT NULL,
  cores INTEGER NOT NULL,
  kernel TEXT NOT NULL,
  UNIQUE (cpu_model, cores, kernel)
);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  cache_key TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('point', 'drift')),  -- drift: the reference re-measured during a sweep
  sweep_id INTEGER REFERENCES sweeps(id) ON DELETE SET NULL,  -- the sweep that ran it
  workload TEXT NOT NULL,
  knobs TEXT NOT NULL,
  tool TEXT NOT NULL,
  tool_version TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
  reason TEXT,                   -- FailureReason when failed
  message TEXT,
  exit_code INTEGER,
  stderr_tail TEXT,
  command TEXT,
  wall_seconds REAL,
  checksum TEXT,
  attempts INTEGER NOT NULL DEFAULT 1,
  host_id INTEGER REFERENCES hosts(id),
  owner TEXT NOT NULL,           -- "pid:starttime" of the process that ran it (finds runs of a crashed sweep)
  started TEXT NOT NULL,
  finished TEXT
);
-- At most one live or finished result per key: a resumed or concurrent sweep can never duplicate one.
CREATE UNIQUE INDEX runs_one_result ON runs(cache_key) WHERE kind = 'point' AND status IN ('running', 'ok');
CREATE INDEX runs_by_key ON runs(cache_key, status);
CREATE INDEX runs_by_sweep ON runs(sweep_id, kind);

CREATE TABLE statistics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (run_id, name)
) WITHOUT ROWID;

-- Long form of every point's results: one row per (point, tool, statistic) of its finished run.
CREATE VIEW point_statistics AS
SELECT s.name AS sweep, p.id AS point, p.workload, p.grp AS "group", pk.tool, st.name AS statistic, st.value
FROM points p
JOIN sweeps s ON s.id = p.sweep_id
JOIN point_keys pk ON pk.point_id = p.id
JOIN runs r ON r.cache_key = pk.cache_key AND r.kind = 'point' AND r.status = 'ok'
JOIN statistics st ON st.run_id = r.id;
`;

/**
 * Migrations by the version they bring a store to; each runs once, in order, inside the write lock (open.ts).
 * A new store gets the base schema and every migration.
 */
export const MIGRATIONS: Readonly<Record<number, string>> = {
  // 2: the per-shape tuning cache: one winner per (workload, shape, ISA, host, compiler).
  2: `
CREATE TABLE tunings (
  key TEXT PRIMARY KEY,          -- sha256 of the fields below (canonical JSON)
  workload TEXT NOT NULL,
  shape TEXT NOT NULL,           -- canonical JSON of the shape knobs, e.g. {"K":64,"M":256,"N":256}
  isa TEXT NOT NULL,             -- the compiler's target triple, e.g. x86_64-linux-gnu
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  compiler TEXT NOT NULL,        -- first line of \`cc --version\`
  best_knobs TEXT NOT NULL,      -- canonical JSON of the winner's knobs
  runtime_s REAL NOT NULL,
  reference_runtime_s REAL,
  result TEXT NOT NULL,          -- the whole tuning result (JSON)
  created TEXT NOT NULL
);
CREATE INDEX tunings_by_shape ON tunings(workload, shape);
`,
};

export const SCHEMA_SQL = BASE_SQL + Object.values(MIGRATIONS).join("");
