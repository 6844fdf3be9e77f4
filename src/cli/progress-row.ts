// One task's line in the progress view: what is known of it so far, and how it reads.

export type Row = {
  id: string;
  phase: string;
  status: 'waiting' | 'ready' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  attempt: number;
  tier: string;
  model: string;
  costMicroUsd: number;
  note: string;
};

const symbols: Record<Row['status'], string> = {
  waiting: '·',
  ready: '○',
  running: '◐',
  succeeded: '✔',
  failed: '✖',
  skipped: '↷',
  cancelled: '⊘',
};

/** The row of a task nothing has happened to yet. */
export function waitingRow(id: string): Row {
  return { id, phase: '', status: 'waiting', attempt: 0, tier: '', model: '', costMicroUsd: 0, note: '' };
}

export function formatRow(row: Row): string {
  const cost = row.costMicroUsd > 0 ? `$${(row.costMicroUsd / 1e6).toFixed(6)}` : '';
  const tier = row.tier === '' ? '' : `tier ${row.tier}`;
  const attempt = row.attempt > 1 ? `attempt ${row.attempt}` : '';
  const cells = [
    symbols[row.status],
    row.id.padEnd(18),
    row.phase.padEnd(6),
    tier.padEnd(6),
    row.model.padEnd(26),
    row.status.padEnd(9),
    cost.padEnd(10),
    attempt,
    row.note,
  ];
  return cells
    .filter((cell) => cell !== '')
    .join(' ')
    .trimEnd();
}
