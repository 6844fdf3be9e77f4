import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  workflowJsonSchema,
  workflowJsonSchemaPath,
  workflowJsonSchemaText,
} from '../../src/workflow/json-schema.ts';

describe('workflow JSON Schema', () => {
  it('is committed up to date (run `node scripts/generate-schema.ts` after changing schema.ts)', () => {
    expect(readFileSync(workflowJsonSchemaPath, 'utf8')).toBe(workflowJsonSchemaText());
  });

  it('describes every task field and forbids unknown keys', () => {
    const schema = workflowJsonSchema() as {
      additionalProperties: boolean;
      properties: {
        tasks: {
          items: { properties: Record<string, unknown>; additionalProperties: boolean; required: string[] };
        };
      };
    };
    const task = schema.properties.tasks.items;
    expect(schema.additionalProperties).toBe(false);
    expect(task.additionalProperties).toBe(false);
    expect(task.required).toEqual(['id', 'agent']);
    expect(Object.keys(task.properties).sort()).toEqual(
      [
        'agent',
        'as',
        'budget',
        'continueOnError',
        'deadline',
        'description',
        'foreach',
        'group',
        'hints',
        'id',
        'input',
        'maxParallel',
        'model',
        'needs',
        'phase',
        'priority',
        'prompt',
        'retries',
        'tier',
        'timeout',
        'trigger',
        'validate',
        'when',
      ].sort(),
    );
  });
});
