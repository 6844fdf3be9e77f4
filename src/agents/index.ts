export type { LlmInput } from './llm.ts';
export { llmAgent } from './llm.ts';
export type { AgentRegistry, AgentRegistryOptions } from './registry.ts';
export { createAgentRegistry } from './registry.ts';
export type { ShellAgentOptions, ShellInput } from './shell.ts';
export { createShellAgent, ShellError, shellAgent } from './shell.ts';
export type * from './types.ts';
