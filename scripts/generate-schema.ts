// Writes schema/workflow.schema.json from the zod schema of workflow files: `node scripts/generate-schema.ts`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { workflowJsonSchemaPath, workflowJsonSchemaText } from '../src/workflow/json-schema.ts';

mkdirSync(dirname(workflowJsonSchemaPath), { recursive: true });
writeFileSync(workflowJsonSchemaPath, workflowJsonSchemaText());
console.log(`wrote ${workflowJsonSchemaPath}`);
