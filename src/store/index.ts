export { openStore, type Store, type OpenStoreOptions } from "./open.js";
export { SCHEMA_VERSION } from "./schema.js";
export { describeHost, hostId, type HostDescription } from "./host.js";
export { saveSweep, sweepNames, canonicalKnobs, type StoredPoint } from "./sweeps.js";
export { claimRun, completeRun, failRun, releaseRun, releaseRunsOfDeadOwners, finishedKeys, finishedChecksum, finishedRunBuild, type RunClaim, type RunKind, type RunFailureRecord, type RunBuild } from "./runs.js";
export { wideColumns, type WideColumns, type Cell } from "./wide.js";
export { refreshWideView, WIDE_VIEW } from "./wide-view.js";
export { exportWide, exportFormats, type ExportFormat } from "./export.js";
