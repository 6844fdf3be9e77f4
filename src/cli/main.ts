#!/usr/bin/env node
// The `tierflow` command. Exit codes: 0 ok, 1 a task failed, 2 invalid input or config, 130 interrupted.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands.ts';
import { exitCodes } from './exit.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command('tierflow')
  .description(
    'Event-driven multi-agent orchestrator: YAML DAG workflows on the cheapest model tier that does each task well.',
  )
  .version(version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();
registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; a usage mistake is invalid input.
    process.exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.invalidInput;
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = exitCodes.runFailed;
  }
}
