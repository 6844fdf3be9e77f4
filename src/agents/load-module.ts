// Loads a user's agents module: `tierflow run --agents ./agents.ts`.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OrchestratorError } from '../errors.ts';
import type { AgentHandler, AgentOptions } from './types.ts';
import type { ValidatorPredicate } from './validator-types.ts';

/** Where loaded agents go; the agent registry has this shape. */
export type AgentSink = {
  register: (name: string, handler: AgentHandler, options?: AgentOptions) => unknown;
};

/** Where a module's `validators` go; the validator registry has this shape. */
export type ValidatorSink = { register: (name: string, predicate: ValidatorPredicate) => unknown };

/** An entry of a module's default record: a handler, or a handler with its options. */
export type AgentModuleEntry = AgentHandler | ({ handler: AgentHandler } & AgentOptions);

/**
 * Imports an ES module (.mjs, .js, or .ts through Node's type stripping) whose default export is a
 * record of agents or a function that registers them, and registers them. A named export
 * `validators` (a record of predicates `(output, ctx) => boolean | { ok, quality?, reason? }`) goes to
 * `validators` when given. Returns the agent names added.
 */
export async function loadAgentModule(
  path: string,
  sink: AgentSink,
  validators?: ValidatorSink,
): Promise<string[]> {
  const absolute = resolve(path);
  let loaded: { default?: unknown; validators?: unknown };
  try {
    loaded = (await import(pathToFileURL(absolute).href)) as { default?: unknown; validators?: unknown };
  } catch (error) {
    throw new OrchestratorError(
      'AGENTS_MODULE_INVALID',
      `Cannot load agents module "${path}": ${error instanceof Error ? error.message : String(error)}`,
      { hint: 'Check the path; the module must be ES module JavaScript or TypeScript.', cause: error },
    );
  }
  if (validators !== undefined && loaded.validators !== undefined)
    registerValidators(path, loaded.validators, validators);
  const exported = loaded.default;
  const added: string[] = [];
  // A module of validators only has nothing else to register.
  if (exported === undefined && loaded.validators !== undefined) return added;
  if (typeof exported === 'function') {
    await (exported as (register: AgentSink['register']) => unknown)((name, handler, options) => {
      added.push(name);
      return sink.register(name, handler, options);
    });
    return added;
  }
  if (exported === null || typeof exported !== 'object') {
    throw new OrchestratorError(
      'AGENTS_MODULE_INVALID',
      `Agents module "${path}" has no default export of agents (got ${describe(exported)}).`,
      {
        hint: 'Export default a record { name: handler } or a function (register) => { register(name, handler) }.',
      },
    );
  }
  for (const [name, entry] of Object.entries(exported as Record<string, unknown>)) {
    const { handler, options } = entryParts(path, name, entry);
    sink.register(name, handler, options);
    added.push(name);
  }
  return added;
}

function registerValidators(path: string, exported: unknown, sink: ValidatorSink): void {
  if (exported === null || typeof exported !== 'object' || Array.isArray(exported)) {
    throw new OrchestratorError(
      'AGENTS_MODULE_INVALID',
      `The \`validators\` export of "${path}" is ${describe(exported)}, not a record of predicates.`,
      { hint: 'Export const validators = { name: (output, ctx) => boolean | { ok, quality?, reason? } }.' },
    );
  }
  for (const [name, predicate] of Object.entries(exported as Record<string, unknown>)) {
    if (typeof predicate !== 'function') {
      throw new OrchestratorError(
        'AGENTS_MODULE_INVALID',
        `Validator "${name}" in "${path}" is ${describe(predicate)}, not a function.`,
        { hint: 'Each entry of `validators` must be a function (output, ctx) => boolean | { ok }.' },
      );
    }
    sink.register(name, predicate as ValidatorPredicate);
  }
}

function entryParts(
  path: string,
  name: string,
  entry: unknown,
): { handler: AgentHandler; options: AgentOptions } {
  if (typeof entry === 'function') return { handler: entry as AgentHandler, options: {} };
  if (
    entry !== null &&
    typeof entry === 'object' &&
    typeof (entry as { handler?: unknown }).handler === 'function'
  ) {
    const { handler, ...options } = entry as { handler: AgentHandler } & AgentOptions;
    return { handler, options };
  }
  throw new OrchestratorError(
    'AGENTS_MODULE_INVALID',
    `Agent "${name}" in "${path}" is ${describe(entry)}, not a handler.`,
    {
      hint: 'Each entry must be an async function (ctx) => ({ output }) or { handler, deterministic?, defaultModel? }.',
    },
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
