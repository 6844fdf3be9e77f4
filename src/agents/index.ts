export { outputVariable } from './command-validator.ts';
export type { LlmInput } from './llm.ts';
export { llmAgent } from './llm.ts';
export { maxAnswerChars, readAnswer } from './read-answer.ts';
export type { AgentRegistry, AgentRegistryOptions } from './registry.ts';
export { createAgentRegistry } from './registry.ts';
export type { ShellAgentOptions, ShellInput } from './shell.ts';
export { createShellAgent, ShellError, shellAgent } from './shell.ts';
export type * from './types.ts';
export type {
  Validation,
  ValidatorContext,
  ValidatorPredicate,
  ValidatorVerdict,
} from './validator-types.ts';
export type { ValidatorRegistry, ValidatorRegistryOptions } from './validators.ts';
export { createValidatorRegistry } from './validators.ts';
