import { OrchestratorError } from '../errors.ts';
import { llmAgent } from './llm.ts';
import { createShellAgent } from './shell.ts';
import type { AgentHandler, AgentOptions, AgentRegistration } from './types.ts';

/** The agents a run can use, by name: the built-ins `llm` and `shell`, plus what you register. */
export type AgentRegistry = {
  /** Adds an agent; a name that is taken (including `llm` and `shell`) is an error. */
  register: (name: string, handler: AgentHandler, options?: AgentOptions) => void;
  get: (name: string) => AgentRegistration | undefined;
  /** Every registered name, built-ins first, then in registration order. */
  names: () => string[];
};

export type AgentRegistryOptions = {
  /** Register `llm` and `shell`. @default true */
  builtins?: boolean;
  /** Environment variables the built-in `shell` agent never passes on (provider keys). @default none */
  hiddenEnv?: readonly string[];
};

const namePattern = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Creates an agent registry, with the built-in agents unless asked not to. */
export function createAgentRegistry(options: AgentRegistryOptions = {}): AgentRegistry {
  const agents = new Map<string, AgentRegistration>();
  const builtins = new Set<string>();
  const registry: AgentRegistry = {
    register: (name, handler, agentOptions = {}) => {
      if (!namePattern.test(name)) {
        throw new OrchestratorError(
          'AGENT_INPUT_INVALID',
          `Agent name ${JSON.stringify(name)} is not valid.`,
          {
            hint: 'Start with a letter; use letters, digits, "-", "_" and ".".',
          },
        );
      }
      if (typeof handler !== 'function') {
        throw new OrchestratorError(
          'AGENT_INPUT_INVALID',
          `Agent "${name}" must be a function (ctx) => Promise<{ output }>; got ${typeof handler}.`,
        );
      }
      if (agents.has(name)) {
        const which = builtins.has(name) ? 'a built-in agent' : 'already registered';
        throw new OrchestratorError('AGENT_DUPLICATE', `Agent "${name}" is ${which}.`, {
          hint: 'Register it under another name.',
        });
      }
      agents.set(name, { name, handler, options: agentOptions });
    },
    get: (name) => agents.get(name),
    names: () => [...agents.keys()],
  };
  if (options.builtins !== false) {
    registry.register('llm', llmAgent);
    registry.register('shell', createShellAgent({ hiddenEnv: options.hiddenEnv ?? [] }), {
      deterministic: true,
    });
    builtins.add('llm').add('shell');
  }
  return registry;
}
