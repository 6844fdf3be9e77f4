import { describe, expect, it } from 'vitest';
import { loadAgentModule } from '../../src/agents/load-module.ts';
import type { AgentHandler, AgentOptions } from '../../src/agents/types.ts';

function sink() {
  const registered: { name: string; options: AgentOptions | undefined; handler: AgentHandler }[] = [];
  return {
    registered,
    register: (name: string, handler: AgentHandler, options?: AgentOptions) => {
      registered.push({ name, handler, options });
    },
  };
}

describe('loadAgentModule', () => {
  it('registers a default-exported record of handlers, with options where given', async () => {
    const target = sink();
    const names = await loadAgentModule('test/fixtures/agents/record.mjs', target);
    expect(names).toEqual(['echo', 'split']);
    expect(target.registered.map((entry) => [entry.name, entry.options])).toEqual([
      ['echo', {}],
      ['split', { deterministic: true }],
    ]);
  });

  it('runs a default-exported register function from a TypeScript module', async () => {
    const target = sink();
    expect(await loadAgentModule('test/fixtures/agents/register.ts', target)).toEqual(['shout']);
  });

  it.each([
    [
      'test/fixtures/agents/not-a-handler.mjs',
      'Agent "broken" in "test/fixtures/agents/not-a-handler.mjs" is a number, not a handler.',
    ],
    [
      'test/fixtures/agents/no-default.mjs',
      'Agents module "test/fixtures/agents/no-default.mjs" has no default export of agents (got undefined).',
    ],
  ])('rejects %s with a message naming the problem', async (path, message) => {
    await expect(loadAgentModule(path, sink())).rejects.toMatchObject({
      code: 'AGENTS_MODULE_INVALID',
      message,
    });
  });

  it('names the path when the module cannot be imported', async () => {
    await expect(loadAgentModule('test/fixtures/agents/missing.mjs', sink())).rejects.toMatchObject({
      code: 'AGENTS_MODULE_INVALID',
      message: expect.stringMatching(/^Cannot load agents module "test\/fixtures\/agents\/missing.mjs": /),
    });
  });
});
