import type { Concurrency } from '../workflow/model.ts';
import type { Gate } from './scheduler.ts';

/** The gates a unit of a task holds a slot of: its phase's and its group's limits, when set. */
export type GatesFor = (phase: string | undefined, group: string | undefined) => readonly Gate[];

const noGates: readonly Gate[] = Object.freeze([]);

/**
 * One gate per limited phase and group of a run. Tasks of the same phase and group share one list
 * of gates, made the first time it is asked for.
 */
export function createGates(concurrency: Pick<Concurrency, 'phases' | 'groups'>): GatesFor {
  const phaseGates = gatesOf(concurrency.phases);
  const groupGates = gatesOf(concurrency.groups);
  const gateSets = new Map<string, readonly Gate[]>();
  return (phase, group) => {
    if (phase === undefined && group === undefined) return noGates;
    const key = `${phase ?? ''}\u0000${group ?? ''}`;
    let gates = gateSets.get(key);
    if (gates === undefined) {
      const found: Gate[] = [];
      if (phase !== undefined) pushGate(found, phaseGates.get(phase));
      if (group !== undefined) pushGate(found, groupGates.get(group));
      gates = found;
      gateSets.set(key, gates);
    }
    return gates;
  };
}

function gatesOf(limits: Readonly<Record<string, number>>): Map<string, Gate> {
  return new Map(Object.entries(limits).map(([name, limit]) => [name, { limit, running: 0 }]));
}

function pushGate(gates: Gate[], gate: Gate | undefined): void {
  if (gate !== undefined) gates.push(gate);
}
