// Loads a user's agents module: `tierflow run --agents ./agents.ts`.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OrchestratorError } from '../errors.ts';
import type { AgentHandler, AgentOptions } from './types.ts';

/** Where loaded agents go; the agent registry has this shape. */
export type AgentSink = {
  register: (name: string, handler: AgentHandler, options?: AgentOptions) => unknown;
};

/** An entry of a module's default record: a handler, or a handler with its options. */
export type AgentModuleEntry = AgentHandler | ({ handler: AgentHandler } & AgentOptions);

/**
 * Imports an ES module (.mjs, .js, or .ts through Node's type stripping) whose default export is a
 * record of agents or a function that registers them, and registers them. Returns the names added.
 */
export async function loadAgentModule(path: string, sink: AgentSink): Promise<string[]> {
  const absolute = resolve(path);
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
  } catch (error) {
    throw new OrchestratorError(
      'AGENTS_MODULE_INVALID',
      `Cannot load agents module "${path}": ${error instanceof Error ? error.message : String(error)}`,
      { hint: 'Check the path; the module must be ES module JavaScript or TypeScript.', cause: error },
    );
  }
  const exported = loaded.default;
  const added: string[] = [];
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
