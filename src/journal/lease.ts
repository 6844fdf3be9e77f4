// One coordinator per run: a lease row with a fencing token. Taking the lease bumps the token; every
// write of the journal checks it, so a coordinator that lost its lease can no longer commit.
import { hostname } from 'node:os';
import { OrchestratorError } from '../errors.ts';
import type { JournalStatements, LeaseRow } from './statements.ts';

/** Who holds a lease: `<host>:<pid>:<random>`. */
export function leaseOwner(random: string): string {
  return `${hostname()}:${process.pid}:${random}`;
}

/**
 * Whether the holder of a lease can still be alive: a holder on this host whose process is gone is
 * dead at once; any other holder is alive until its lease expires.
 */
export function holderAlive(lease: LeaseRow, now: number): boolean {
  if (lease.expires_at <= now) return false;
  const [host, pidText] = lease.owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Takes the lease of `runId` for `owner`; the caller holds the write transaction.
 * @throws OrchestratorError RUN_LEASE_HELD when another live coordinator holds it.
 */
export function takeLease(
  sql: JournalStatements,
  runId: string,
  owner: string,
  now: number,
  leaseMs: number,
): number {
  const held = sql.findLease.get(runId) as LeaseRow | undefined;
  if (held !== undefined && held.owner !== owner && holderAlive(held, now)) {
    throw new OrchestratorError(
      'RUN_LEASE_HELD',
      `Run "${runId}" is being run by another coordinator (${held.owner}); its lease runs until ${new Date(held.expires_at).toISOString()}.`,
      {
        hint: 'Wait for that process to finish, or stop it; once its lease expires, `tierflow resume` takes over.',
      },
    );
  }
  const row = sql.takeLease.get(runId, owner, now + leaseMs) as { token: number };
  return row.token;
}

/** The error a journal write raises once another coordinator has taken the run over. */
export function leaseLost(runId: string, token: number): OrchestratorError {
  return new OrchestratorError(
    'RUN_LEASE_HELD',
    `This coordinator lost the lease of run "${runId}" (fencing token ${token} is stale); it stops without committing.`,
    { hint: 'Another process resumed the run after this one stalled past its lease.' },
  );
}
