// What `tierflow run` shows while a run goes on: a live task table on a TTY, concise lines elsewhere.
import type { Dispose, EventBus, EventPayload } from '../index.ts';

type Row = {
  id: string;
  phase: string;
  status: 'waiting' | 'ready' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  attempt: number;
  tier: string;
  model: string;
  costMicroUsd: number;
  note: string;
};

export type ProgressOptions = {
  write: (text: string) => void;
  /** Redraw a live table (TTY) instead of writing one line per change. */
  live: boolean;
  /** Ordered task ids of the workflow, so the table has its rows before tasks start. */
  taskIds: readonly string[];
  /** @default Date.now */
  now?: () => number;
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

/** Subscribes a progress view to the bus; the returned disposer removes it and draws the last frame. */
export function showProgress(bus: EventBus, options: ProgressOptions): Dispose {
  const rows = new Map<string, Row>();
  const rowOf = (id: string): Row => {
    let row = rows.get(id);
    if (row === undefined) {
      row = { id, phase: '', status: 'waiting', attempt: 0, tier: '', model: '', costMicroUsd: 0, note: '' };
      rows.set(id, row);
    }
    return row;
  };
  for (const id of options.taskIds) rowOf(id);
  let drawnLines = 0;
  const draw = () => {
    if (!options.live) return;
    const lines = [...rows.values()].map(formatRow);
    const up = drawnLines > 0 ? `\u001b[${drawnLines}A` : '';
    options.write(`${up}${lines.map((line) => `\u001b[2K${line}\n`).join('')}`);
    drawnLines = lines.length;
  };
  const line = (text: string) => {
    if (!options.live) options.write(`${text}\n`);
  };

  const disposers: Dispose[] = [
    bus.on('TASK_READY', (event) => {
      const row = rowOf(event.taskId);
      row.phase = event.phase ?? '';
      row.status = 'ready';
      draw();
    }),
    bus.on('AGENT_INVOKED', (event) => {
      const row = rowOf(event.taskId);
      row.status = 'running';
      row.attempt = event.attempt;
      if (row.model === '' && event.defaultModel !== undefined) {
        row.model = event.defaultModel.id;
        row.tier = String(event.defaultModel.tier);
      }
      draw();
    }),
    bus.on('MODEL_SELECTED', (event) => selected(rowOf(event.taskId), event)),
    bus.on('MODEL_TIER_UPGRADE', (event) => {
      if (event.toTier === undefined) return;
      line(`  ↑ ${event.taskId}: tier ${event.fromTier} -> ${event.toTier} (${event.reason})`);
    }),
    bus.on('AGENT_COMPLETED', (event) => {
      const row = rowOf(event.taskId);
      row.costMicroUsd += event.costMicroUsd;
      if (event.model !== undefined) {
        row.model = event.model.id;
        row.tier = String(event.model.tier);
      }
      draw();
    }),
    bus.on('AGENT_FAILED', (event) => {
      const row = rowOf(event.taskId);
      row.costMicroUsd += event.costMicroUsd;
      if (event.willRetry)
        line(`  ↻ ${event.taskId} attempt ${event.attempt} failed, retrying: ${event.error.message}`);
      draw();
    }),
    bus.on('TASK_SUCCEEDED', (event) => settle(rowOf(event.taskId), 'succeeded', '')),
    bus.on('TASK_FAILED', (event) => settle(rowOf(event.taskId), 'failed', event.error.message)),
    bus.on('TASK_SKIPPED', (event) => settle(rowOf(event.taskId), 'skipped', event.reason)),
    bus.on('TASK_CANCELLED', (event) => settle(rowOf(event.taskId), 'cancelled', event.reason)),
  ];

  function selected(row: Row, event: EventPayload<'MODEL_SELECTED'>) {
    if (!event.enforced) return;
    row.model = event.model;
    row.tier = String(event.tier);
    draw();
  }

  function settle(row: Row, status: Row['status'], note: string) {
    row.status = status;
    row.note = note;
    if (options.live) draw();
    else line(formatRow(row));
  }

  draw();
  return () => {
    for (const dispose of disposers) dispose();
  };
}

function formatRow(row: Row): string {
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
