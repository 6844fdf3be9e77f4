import type { EventBus } from '../events/index.ts';

/** The eval's cost ledger: every completed or failed attempt's cost, booked once per attempt. */
export type CostLedger = { totalMicroUsd: () => number; dispose: () => void };

export function subscribeCostLedger(bus: EventBus): CostLedger {
  const booked = new Set<string>();
  let total = 0;
  const book = (event: { runId: string; taskId: string; attempt: number; costMicroUsd: number }) => {
    const key = `${event.runId}\u0000${event.taskId}\u0000${event.attempt}`;
    if (booked.has(key)) return;
    booked.add(key);
    total += event.costMicroUsd;
  };
  const disposers = [
    bus.on('AGENT_COMPLETED', book, { name: 'eval-ledger' }),
    bus.on('AGENT_FAILED', book, { name: 'eval-ledger' }),
  ];
  return {
    totalMicroUsd: () => total,
    dispose: () => {
      for (const dispose of disposers) dispose();
    },
  };
}
