// The JSON Schema of workflow files, for editor completion (`# yaml-language-server: $schema=...`).
import { z } from 'zod';
import { workflowFileSchema } from './schema.ts';

/** Where the generated schema lives in the repository. */
export const workflowJsonSchemaPath = 'schema/workflow.schema.json';

/** The JSON Schema (draft 2020-12) of a workflow file, generated from the zod schema the loader uses. */
export function workflowJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(workflowFileSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
  return {
    ...generated,
    title: 'tierflow workflow',
    description:
      'A tierflow workflow: tasks in a DAG through `needs`, run by agents on the cheapest model tier that will do.',
  };
}

/** The schema as the committed file holds it: two-space JSON with a final newline. */
export function workflowJsonSchemaText(): string {
  return `${JSON.stringify(workflowJsonSchema(), null, 2)}\n`;
}
