/**
 * simlab's public API: everything a magic does is also a function here, importable from a notebook
 * (`import { runSweep, loadTable, fitTable } from "simlab"`) or any Node program.
 */
export { SimlabError, isSimlabError } from "./core/errors.js";
export * from "./display/index.js";
export * from "./workloads/index.js";
export * from "./sim/index.js";
export * from "./sweep/index.js";
export * from "./data/index.js";
export * from "./predict/index.js";
export * from "./plot/index.js";
