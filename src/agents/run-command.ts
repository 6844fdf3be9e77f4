// Runs one command as a child process group: the common part of the `shell` agent and of command validators.
import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { OrchestratorError } from '../errors.ts';

export type CommandSpec = {
  command: string;
  /** With args: a program run without a shell; without: `command` runs through /bin/sh. */
  args?: readonly string[] | undefined;
  /** An absolute directory. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to the command's stdin, which is then closed; absent: no stdin. */
  stdin?: string | undefined;
  maxOutputBytes: number;
  signal: AbortSignal;
};

/** How a command ended: its exit code (null when killed), trimmed stdout, and the end of stderr. */
export type CommandResult = {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
};

const killGraceMs = 2000;
const stderrKeptChars = 8192;

/**
 * Runs a command to its end. Rejects with SHELL_SPAWN_FAILED (no such directory or program),
 * SHELL_OUTPUT_TOO_LARGE (stdout beyond `maxOutputBytes`, the command is stopped) or the signal's
 * reason when aborted (the whole process group is killed). A non-zero exit resolves.
 */
export function runCommand(spec: CommandSpec): Promise<CommandResult> {
  if (!isDirectory(spec.cwd))
    return Promise.reject(spawnFailed(spec.command, spec.cwd, 'the directory does not exist'));
  if (spec.signal.aborted) return Promise.reject(spec.signal.reason);
  return new Promise((resolvePromise, reject) => {
    const detached = process.platform !== 'win32';
    const stdio = [spec.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] as const;
    const options = { cwd: spec.cwd, env: spec.env, detached, stdio: [...stdio] };
    const child =
      spec.args === undefined
        ? spawn(spec.command, { ...options, shell: true })
        : spawn(spec.command, [...spec.args], options);
    const stdout: Buffer[] = [];
    let bytes = 0;
    let tooLarge = false;
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= spec.maxOutputBytes) stdout.push(chunk);
      else if (!tooLarge) {
        tooLarge = true;
        killGroup(child);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-stderrKeptChars);
    });
    if (spec.stdin !== undefined && child.stdin !== null) {
      // A command that does not read its stdin closes it early: that is not a failure.
      child.stdin.on('error', () => undefined);
      child.stdin.end(spec.stdin);
    }
    const onAbort = () => killGroup(child);
    spec.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      spec.signal.removeEventListener('abort', onAbort);
      reject(spawnFailed(spec.command, spec.cwd, error.message));
    });
    child.on('close', (code, signal) => {
      spec.signal.removeEventListener('abort', onAbort);
      if (spec.signal.aborted) return reject(spec.signal.reason);
      if (tooLarge) {
        const message = `Command ${quoteCommand(spec.command)} wrote more than ${spec.maxOutputBytes} bytes to stdout (in ${spec.cwd}) and was stopped.`;
        return reject(
          new OrchestratorError('SHELL_OUTPUT_TOO_LARGE', message, {
            hint: 'Filter the output in the command, or raise input.maxOutputBytes.',
          }),
        );
      }
      const text = Buffer.concat(stdout).toString('utf8').trim();
      resolvePromise({ exitCode: code, signal, stdout: text, stderr });
    });
  });
}

/** The last `count` non-empty lines of a text. */
export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** SIGTERM to the whole process group, SIGKILL if it is still there after a grace period. */
function killGroup(child: ChildProcess): void {
  const send = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  };
  send('SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) send('SIGKILL');
  }, killGraceMs);
  timer.unref();
  child.once('close', () => clearTimeout(timer));
}

/** SHELL_SPAWN_FAILED naming the command, the directory and why. */
export function spawnFailed(command: string, cwd: string, why: string): OrchestratorError {
  return new OrchestratorError(
    'SHELL_SPAWN_FAILED',
    `Could not start command ${quoteCommand(command)} in ${cwd}: ${why}.`,
    {
      hint: 'Check that the program exists and is on PATH, and that `cwd` names a directory.',
    },
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The command as quoted in messages, cut at 200 characters. */
export function quoteCommand(command: string): string {
  return JSON.stringify(command.length > 200 ? `${command.slice(0, 200)}...` : command);
}
