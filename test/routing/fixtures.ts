// The shipped config files, parsed once for the routing tests, and a small catalog for policy tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createModelCatalog, type ModelCatalog, parseModelCatalog } from '../../src/config/models.ts';
import { bundledConfigDir, parseRoutingConfig, type RoutingConfig } from '../../src/config/routing.ts';
import { parseTaskTypeCatalog, type TaskTypeCatalog } from '../../src/config/task-types.ts';
import type { EventPayload } from '../../src/events/index.ts';

function read(name: string): string {
  return readFileSync(join(bundledConfigDir, name), 'utf8');
}

export type ShippedConfig = { catalog: ModelCatalog; taskTypes: TaskTypeCatalog; config: RoutingConfig };

export function shippedConfig(): ShippedConfig {
  return {
    catalog: parseModelCatalog(read('models.yaml'), 'config/models.yaml'),
    taskTypes: parseTaskTypeCatalog(read('task-types.yaml'), 'config/task-types.yaml'),
    config: parseRoutingConfig(read('routing.yaml'), 'config/routing.yaml'),
  };
}

export function shippedText(name: string): string {
  return read(name);
}

type Entry = {
  id: string;
  tier: 0 | 1 | 2 | 3 | 4;
  input: number;
  output: number;
  quality: number;
  latencyMs: number;
  free?: boolean;
  window?: number;
};

/** A catalog written in code: prices in USD per million tokens. */
export function testCatalog(entries: readonly Entry[]): ModelCatalog {
  return createModelCatalog({
    pricesAsOf: '2025-11-20',
    models: entries.map((entry) => ({
      id: entry.id,
      provider: entry.free ? 'ollama' : 'openai',
      tier: entry.tier,
      inputUsdPerMillion: entry.input,
      outputUsdPerMillion: entry.output,
      contextWindowTokens: entry.window ?? 128_000,
      latencyMs: entry.latencyMs,
      quality: entry.quality,
      free: entry.free ?? false,
    })),
  });
}

/** An AGENT_INVOKED of run `run-1`, attempt 1, as the coordinator would emit it. */
export function invoked(
  taskId: string,
  text: string,
  overrides: Partial<EventPayload<'AGENT_INVOKED'>> = {},
): EventPayload<'AGENT_INVOKED'> {
  return {
    runId: 'run-1',
    taskId,
    attempt: 1,
    workflowId: 'wf',
    agent: 'llm',
    priority: 'normal',
    text,
    contextChars: text.length,
    hints: {},
    excludeModels: [],
    ...overrides,
  };
}
