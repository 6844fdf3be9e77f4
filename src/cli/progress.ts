// What `tierflow run` shows while a run goes on: a live task table on a TTY, concise lines elsewhere.
import type { Dispose, EventBus, EventPayload } from '../index.ts';
import { formatRow, type Row, waitingRow } from './progress-row.ts';

export type ProgressOptions = {
  write: (text: string) => void;
  /** Redraw a live table (TTY) instead of writing one line per change. */
  live: boolean;
  /** Ordered task ids of the workflow, so the table has its rows before tasks start. */
  taskIds: readonly string[];
  /** @default Date.now */
  now?: () => number;
};

/** The rows, in the order tasks first appeared, and how many lines the last live frame took. */
type ProgressView = { options: ProgressOptions; rows: Map<string, Row>; drawnLines: number };

/** Subscribes a progress view to the bus; the returned disposer removes it (the last frame stays as drawn). */
export function showProgress(bus: EventBus, options: ProgressOptions): Dispose {
  const view: ProgressView = { options, rows: new Map(), drawnLines: 0 };
  for (const id of options.taskIds) rowOf(view, id);
  const disposers = subscribeProgress(bus, view);
  draw(view);
  return () => {
    for (const dispose of disposers) dispose();
  };
}

function subscribeProgress(bus: EventBus, view: ProgressView): Dispose[] {
  return [
    bus.on('TASK_READY', (event) => taskReady(view, event)),
    bus.on('AGENT_INVOKED', (event) => attemptStarted(view, event)),
    bus.on('MODEL_SELECTED', (event) => modelSelected(view, event)),
    bus.on('MODEL_TIER_UPGRADE', (event) => tierUpgraded(view, event)),
    bus.on('AGENT_COMPLETED', (event) => attemptCompleted(view, event)),
    bus.on('AGENT_FAILED', (event) => attemptFailed(view, event)),
    bus.on('TASK_SUCCEEDED', (event) => settle(view, event.taskId, 'succeeded', '')),
    bus.on('TASK_FAILED', (event) => settle(view, event.taskId, 'failed', event.error.message)),
    bus.on('TASK_SKIPPED', (event) => settle(view, event.taskId, 'skipped', event.reason)),
    bus.on('TASK_CANCELLED', (event) => settle(view, event.taskId, 'cancelled', event.reason)),
  ];
}

function taskReady(view: ProgressView, event: EventPayload<'TASK_READY'>): void {
  const row = rowOf(view, event.taskId);
  row.phase = event.phase ?? '';
  row.status = 'ready';
  draw(view);
}

/** Running; until the router answers, the agent's default model is the best guess. */
function attemptStarted(view: ProgressView, event: EventPayload<'AGENT_INVOKED'>): void {
  const row = rowOf(view, event.taskId);
  row.status = 'running';
  row.attempt = event.attempt;
  if (row.model === '' && event.defaultModel !== undefined) {
    row.model = event.defaultModel.id;
    row.tier = String(event.defaultModel.tier);
  }
  draw(view);
}

/** Only an enforced selection is the model the attempt will use. */
function modelSelected(view: ProgressView, event: EventPayload<'MODEL_SELECTED'>): void {
  const row = rowOf(view, event.taskId);
  if (!event.enforced) return;
  row.model = event.model;
  row.tier = String(event.tier);
  draw(view);
}

function tierUpgraded(view: ProgressView, event: EventPayload<'MODEL_TIER_UPGRADE'>): void {
  if (event.toTier === undefined) return;
  line(view, `  ↑ ${event.taskId}: tier ${event.fromTier} -> ${event.toTier} (${event.reason})`);
}

function attemptCompleted(view: ProgressView, event: EventPayload<'AGENT_COMPLETED'>): void {
  const row = rowOf(view, event.taskId);
  row.costMicroUsd += event.costMicroUsd;
  if (event.model !== undefined) {
    row.model = event.model.id;
    row.tier = String(event.model.tier);
  }
  draw(view);
}

function attemptFailed(view: ProgressView, event: EventPayload<'AGENT_FAILED'>): void {
  const row = rowOf(view, event.taskId);
  row.costMicroUsd += event.costMicroUsd;
  if (event.willRetry)
    line(view, `  ↻ ${event.taskId} attempt ${event.attempt} failed, retrying: ${event.error.message}`);
  draw(view);
}

/** A task's end: redrawn in the live table, one line otherwise. */
function settle(view: ProgressView, taskId: string, status: Row['status'], note: string): void {
  const row = rowOf(view, taskId);
  row.status = status;
  row.note = note;
  if (view.options.live) draw(view);
  else line(view, formatRow(row));
}

function rowOf(view: ProgressView, id: string): Row {
  let row = view.rows.get(id);
  if (row === undefined) {
    row = waitingRow(id);
    view.rows.set(id, row);
  }
  return row;
}

/** Redraws the live table over the last frame; nothing when not live. */
function draw(view: ProgressView): void {
  if (!view.options.live) return;
  const lines = [...view.rows.values()].map(formatRow);
  const up = view.drawnLines > 0 ? `\u001b[${view.drawnLines}A` : '';
  view.options.write(`${up}${lines.map((text) => `\u001b[2K${text}\n`).join('')}`);
  view.drawnLines = lines.length;
}

/** Writes one line of the concise output; nothing in a live table. */
function line(view: ProgressView, text: string): void {
  if (!view.options.live) view.options.write(`${text}\n`);
}
