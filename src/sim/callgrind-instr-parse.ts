import { SimlabError } from "../core/errors.js";

/**
 * How often each instruction of one function ran, from a callgrind.out written with `--dump-instr=yes`:
 * instruction address (as callgrind reports it: the offset in its object file, as objdump prints it) → Ir.
 *
 * The format's compression is undone: names `fn=(id) name` / `cfn=(id) name` then `fn=(id)`, positions `0x…` (absolute), `+n` / `-n`
 * (relative to the previous cost line) and `*` (same). A cost line after `calls=` is the callee's inclusive
 * cost; it moves the position but is not the function's own.
 */
export function instructionCounts(text: string, file: string, fn: string): Map<number, number> {
  const malformed = (why: string) => new SimlabError(`malformed callgrind output ${file}: ${why}`, "rerun the simulation with --dump-instr=yes");
  const positions = /^positions:\s*(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? ["line"];
  if (positions[0] !== "instr") throw malformed(`positions are '${positions.join(" ")}', not instruction addresses`);
  const eventsLine = /^events:\s*(.*)$/m.exec(text)?.[1]?.trim();
  if (!eventsLine) throw malformed("no events: line");
  const irColumn = eventsLine.split(/\s+/).indexOf("Ir");
  if (irColumn < 0) throw malformed(`no Ir event in '${eventsLine}'`);

  const names = new Map<string, string>();
  const counts = new Map<number, number>();
  let inside = false;
  let address = 0;
  let skipNext = false;
  for (const line of text.split("\n")) {
    const named = /^c?fn=(?:\((\d+)\))?\s*(.*)$/.exec(line);
    if (named) {
      const [, id, given] = named;
      if (id !== undefined && given) names.set(id, given); // fn= and cfn= share one name table
      if (line.startsWith("fn=")) inside = (given || names.get(id ?? "")) === fn;
      continue;
    }
    if (line.startsWith("calls=")) {
      skipNext = true;
      continue;
    }
    const first = line[0];
    if (first === undefined || !(first === "0" || first === "+" || first === "-" || first === "*" || (first >= "1" && first <= "9"))) continue;
    const fields = line.trim().split(/\s+/);
    const at = fields[0]!;
    if (at.startsWith("0x")) address = parseInt(at, 16);
    else if (at.startsWith("+")) address += Number(at.slice(1));
    else if (at.startsWith("-")) address -= Number(at.slice(1));
    else if (at !== "*") address = Number(at);
    if (!Number.isFinite(address)) throw malformed(`bad instruction position '${at}'`);
    if (skipNext) {
      skipNext = false;
      continue;
    }
    if (!inside) continue;
    const cost = Number(fields[positions.length + irColumn] ?? 0);
    if (!Number.isFinite(cost)) throw malformed(`bad cost line '${line}'`);
    counts.set(address, (counts.get(address) ?? 0) + cost);
  }
  return counts;
}
