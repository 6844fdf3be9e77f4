// `tierflow doctor`: which providers are configured, which have keys (never printed), and whether
// each configured base URL answers.
import type { Command } from 'commander';
import {
  checkReachability,
  createProviderRegistry,
  type Environment,
  loadProvidersConfig,
  type Reachability,
  type ResolvedProvider,
} from '../../index.ts';
import { reportError } from '../exit.ts';
import { wholeNumber } from '../options.ts';

export type DoctorOptions = {
  env: Environment;
  /** The directory holding providers.yaml. @default 'config' */
  configDir?: string;
  /** Per base URL. @default 3000 */
  timeoutMs?: number;
  write: (text: string) => void;
  fetch?: typeof globalThis.fetch;
  /** @default Date.now */
  now?: () => number;
};

/** Prints the providers report; resolves to the exit code: 1 when a configured provider is unreachable. */
export async function runDoctor(options: DoctorOptions): Promise<number> {
  const config = await loadProvidersConfig(options.configDir ?? 'config');
  const registry = createProviderRegistry(config, options.env);
  const scrub = registry.scrubber.scrub;
  const checks = await Promise.all(
    registry.providers.map(async (provider) =>
      provider.configured && provider.baseURL !== undefined
        ? checkReachability(provider.baseURL, {
            ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
            ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
            ...(options.now === undefined ? {} : { now: options.now }),
          })
        : undefined,
    ),
  );
  const rows = registry.providers.map((provider, index) => [
    provider.name,
    provider.kind,
    keyColumn(provider),
    provider.baseURL ?? '-',
    statusColumn(provider, checks[index]),
  ]);
  options.write(`${scrub(registry.summary)}\n\n`);
  options.write(scrub(table([['PROVIDER', 'KIND', 'KEY', 'BASE URL', 'STATUS'], ...rows])));
  const unreachable = checks.filter((check) => check !== undefined && !check.reachable).length;
  if (unreachable > 0)
    options.write(
      `\n${unreachable === 1 ? '1 configured provider is' : `${unreachable} configured providers are`} unreachable.\n`,
    );
  return unreachable > 0 ? 1 : 0;
}

function keyColumn(provider: ResolvedProvider): string {
  if (provider.keySource !== undefined) return `set (${provider.keySource})`;
  if (!provider.keyRequired) return 'not needed';
  return `missing (${provider.keyEnv.join(' or ') || 'apiKeyEnv'})`;
}

function statusColumn(provider: ResolvedProvider, check: Reachability | undefined): string {
  if (!provider.configured) return `not configured: ${provider.missing}`;
  if (check === undefined) return 'configured';
  return check.reachable
    ? `reachable (HTTP ${check.status}, ${check.latencyMs} ms)`
    : `UNREACHABLE: ${check.reason}`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  '),
    )
    .join('\n')
    .concat('\n');
}

/** Registers `tierflow doctor [--config <dir>] [--timeout <ms>]`. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'list configured providers, which have keys (never shown), and whether their base URLs answer',
    )
    .option('--config <dir>', 'directory holding providers.yaml', 'config')
    .option('--timeout <ms>', 'reachability timeout per base URL in ms', wholeNumber(1), 3000)
    .action(async (flags: { config: string; timeout: number }) => {
      try {
        process.exitCode = await runDoctor({
          env: process.env,
          configDir: flags.config,
          timeoutMs: flags.timeout,
          write: (text) => process.stdout.write(text),
        });
      } catch (error) {
        process.exitCode = reportError(error, (text) => process.stderr.write(text));
      }
    });
}
