import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import type { OrchestratorError } from '../../src/errors.ts';

const handler = async () => ({ output: null });

function errorOf(action: () => void): OrchestratorError {
  try {
    action();
  } catch (error) {
    return error as OrchestratorError;
  }
  throw new Error('expected an error');
}

describe('agent registry', () => {
  it('holds the built-ins llm and shell, then what is registered, in order', () => {
    const registry = createAgentRegistry();
    registry.register('reviewer', handler);
    registry.register('builder', handler, { defaultModel: 'mid-2' });
    expect(registry.names()).toEqual(['llm', 'shell', 'reviewer', 'builder']);
    expect(registry.get('shell')?.options).toEqual({ deterministic: true });
    expect(registry.get('builder')).toEqual({ name: 'builder', handler, options: { defaultModel: 'mid-2' } });
    expect(registry.get('nobody')).toBeUndefined();
  });

  it('can start empty', () => {
    expect(createAgentRegistry({ builtins: false }).names()).toEqual([]);
  });

  it('refuses a name that is taken, saying whether it is built in', () => {
    const registry = createAgentRegistry();
    registry.register('reviewer', handler);
    const builtin = errorOf(() => registry.register('shell', handler));
    const taken = errorOf(() => registry.register('reviewer', handler));
    expect([builtin.code, builtin.message, builtin.hint]).toMatchInlineSnapshot(`
      [
        "AGENT_DUPLICATE",
        "Agent "shell" is a built-in agent.",
        "Register it under another name.",
      ]
    `);
    expect(taken.message).toMatchInlineSnapshot(`"Agent "reviewer" is already registered."`);
  });

  it('refuses a bad name or a handler that is not a function', () => {
    const registry = createAgentRegistry();
    expect(errorOf(() => registry.register('has space', handler)).message).toMatchInlineSnapshot(
      `"Agent name "has space" is not valid."`,
    );
    expect(errorOf(() => registry.register('x', 'not a function' as never)).message).toMatchInlineSnapshot(
      `"Agent "x" must be a function (ctx) => Promise<{ output }>; got string."`,
    );
  });
});
