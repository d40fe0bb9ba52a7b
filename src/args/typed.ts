import type { ArgType, ArgumentSpec, OptionSpec, ParsedArgs, PositionalSpec } from "./types.js";

/**
 * The parsed arguments' type, inferred from a declaration written as a literal: `--max-depth` (integer,
 * default 8) becomes `maxDepth: number`, an optional string `title: string | undefined`, choices a union of
 * them. It mirrors what `parseArgs` produces, so commands read their arguments without casts.
 * A declaration typed only as ArgumentSpec (its name not a literal) gives the untyped ParsedArgs.
 */
export type ArgsOf<S extends ArgumentSpec> = string extends S["name"]
  ? ParsedArgs
  : (S extends { options: infer Os extends readonly OptionSpec[] } ? OptionArgs<Os> : {}) &
      (S extends { positionals: infer Ps extends readonly PositionalSpec[] } ? PositionalArgs<Ps> : {});

/** `max-depth` → `maxDepth`, as `camelCase` in parse.ts. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

type Scalar<T extends ArgType> = T extends "string" ? string : T extends "number" | "integer" ? number : T extends "boolean" ? boolean : string[];

type OptionValue<O extends OptionSpec> = O extends { repeatable: true }
  ? string[]
  : O extends { choices: readonly (infer C extends string)[] }
    ? C
    : Scalar<O["type"]>;

/** Always present after parsing: required, defaulted, or a boolean (false when absent). */
type AlwaysSet<O extends OptionSpec> = O extends { required: true } | { default: string | number | boolean | readonly string[] } | { type: "boolean" } ? true : false;

type OptionArgs<Os extends readonly OptionSpec[]> = {
  [O in Os[number] as CamelCase<O["name"]>]: AlwaysSet<O> extends true ? OptionValue<O> : OptionValue<O> | undefined;
};

type PositionalValue<P extends PositionalSpec> = P extends { type: "list" } ? string[] : P extends { type: "number" | "integer" } ? number : string;

type PositionalArgs<Ps extends readonly PositionalSpec[]> = {
  [P in Ps[number] as CamelCase<P["name"]>]: P extends { required: true } | { variadic: true } ? PositionalValue<P> : PositionalValue<P> | undefined;
};
