// The raw YAML shape of a workflow file, checked with `.strict()` zod schemas. The loader turns it into
// the normalised `Workflow` of model.ts; the JSON Schema for editors is generated from `workflowFileSchema`.
import { z } from 'zod';
import { jsonSchema, prioritySchema } from '../events/vocabulary.ts';
import { durationSchema } from './duration.ts';
import { tierFieldSchema } from './tier.ts';

const namePattern = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Ids and names: letters, digits, `_` and `-`, starting with a letter or `_` (so `tasks.scout-code` reads well). */
export const nameSchema = z.string().regex(namePattern, {
  error: 'expected a name of letters, digits, "_" and "-", starting with a letter or "_"',
});

const positiveInt = z.number().int().min(1);
const count = z.number().int().min(0);

export const triggerSchema = z.enum(['all_success', 'none_failed', 'all_done', 'one_success']);
export const inputTypeSchema = z.enum(['string', 'number', 'boolean', 'array', 'object']);

export const inputSpecSchema = z
  .object({
    type: inputTypeSchema
      .optional()
      .describe('The value type; CLI values `k=v` are converted to it. Default: string.'),
    required: z.boolean().optional().describe('The run fails to start without it. Default: false.'),
    default: jsonSchema.optional().describe('The value when none is given.'),
    description: z.string().optional(),
  })
  .strict();

export const backoffSchema = z
  .object({
    initial: durationSchema.optional().describe('Delay before the second attempt. Default: 1s.'),
    factor: z.number().min(1).optional().describe('Multiplier per further attempt. Default: 2.'),
    max: durationSchema.optional().describe('Longest delay. Default: 30s.'),
  })
  .strict();

export const retriesSchema = z.union(
  [
    count,
    z
      .object({
        count: count.optional().describe('Attempts after the first.'),
        max: count.optional().describe('Same as count.'),
        backoff: backoffSchema.optional(),
      })
      .strict(),
  ],
  { error: 'expected a number of retries or { count, backoff: { initial, factor, max } }' },
);

export const budgetSchema = z
  .object({
    maxUsd: z
      .number()
      .nonnegative()
      .optional()
      .describe('Most this task may spend over all attempts, in USD.'),
    maxTokens: count.optional().describe('Most tokens this task may use over all attempts.'),
  })
  .strict();

const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `validate.consensus`: other models answer the same request and must agree. */
export const consensusSchema = z
  .object({
    peers: z
      .literal([1, 2], { error: 'expected 1 or 2 peers' })
      .optional()
      .describe('How many other models are asked at most, one after the other. Default: 1.'),
    answer: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A JavaScript regular expression: its first capture group (else the whole match) is the answer compared. Default: the whole output.',
      ),
  })
  .strict();

/**
 * `validate:` of a task: a check of each successful attempt's output. One strict object so that an
 * unknown key gets a suggestion; which keys go together (command, predicate or consensus) is checked at load.
 */
export const validateSchema = z
  .object({
    command: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A shell command; exit code 0 passes. It reads the output as JSON on stdin and in $TIERFLOW_OUTPUT.',
      ),
    predicate: z
      .string()
      .min(1)
      .optional()
      .describe('A validator registered in code or exported as `validators` by an agents module.'),
    consensus: consensusSchema
      .optional()
      .describe('Ask other models the same request; the attempt passes when their answers agree.'),
    cwd: z.string().min(1).optional().describe('Directory of the command; may hold ${{ }} templates.'),
    env: z
      .record(
        z.string().regex(envNamePattern, {
          error: 'expected letters, digits and _, not starting with a digit',
        }),
        z.union([z.string(), z.number(), z.boolean()], { error: 'expected text, a number or a boolean' }),
      )
      .optional()
      .describe('Variables of the command (read as "$NAME"); values may hold ${{ }} templates.'),
    timeout: durationSchema.optional().describe('Limit of the command, within the attempt timeout.'),
    optimistic: z
      .boolean()
      .optional()
      .describe('Start on the cheapest allowed tier and climb when validation fails. Default: true.'),
  })
  .strict();

const expressionField = z.union([z.string(), z.boolean()], {
  error: 'expected an expression, e.g. ${{ length(tasks.plan.output) > 0 }}',
});

/** Fields a task and `defaults` share. */
const taskSettings = {
  retries: retriesSchema
    .optional()
    .describe('Retries after a failed attempt: a count or a policy with backoff.'),
  timeout: durationSchema.optional().describe('Limit per attempt: 30s, 2m, 1h or milliseconds.'),
  deadline: durationSchema.optional().describe('Limit over all attempts, from the first start.'),
  tier: tierFieldSchema
    .optional()
    .describe('Model tier: 0-4, weak (1), base (2), strong (4), or { min, max, start }.'),
  priority: prioritySchema.optional().describe('Order among ready tasks: low, normal, high, critical.'),
  trigger: triggerSchema
    .optional()
    .describe('When the task runs after its needs settle. Default: none_failed.'),
  continueOnError: z.boolean().optional().describe('A failure neither fails the run nor skips dependants.'),
  model: z.string().min(1).optional().describe('A pinned model id, used as is.'),
  hints: z.record(z.string(), jsonSchema).optional().describe('Routing hints, e.g. { taskType: refactor }.'),
  budget: budgetSchema.optional(),
};

export const defaultsSchema = z.object(taskSettings).strict();

export const taskSchema = z
  .object({
    id: nameSchema.describe('Unique within the workflow; templates read `tasks.<id>.output`.'),
    agent: z.string().min(1).describe('The handler: llm, shell, or one registered in code.'),
    description: z.string().optional(),
    phase: nameSchema.optional().describe('A phase with its own concurrency limit.'),
    needs: z
      .union([nameSchema, z.array(nameSchema)], { error: 'expected a task id or a list of task ids' })
      .optional(),
    input: jsonSchema.optional().describe('Any value; ${{ }} templates are rendered before the task runs.'),
    prompt: z.string().optional().describe('The prompt of llm tasks; may hold ${{ }} templates.'),
    when: expressionField.optional().describe('The task runs only when this is true.'),
    foreach: z
      .union([z.string(), z.array(jsonSchema)], { error: 'expected an expression giving a list, or a list' })
      .optional()
      .describe('Runs the task once per item (dynamic fan-out).'),
    as: nameSchema.optional().describe('The name of the current item in templates. Default: item.'),
    maxParallel: positiveInt.optional().describe('At most this many items of a foreach run at once.'),
    group: nameSchema.optional().describe('A named concurrency group from concurrency.groups.'),
    validate: validateSchema
      .optional()
      .describe(
        'Checks each successful attempt: { command }, { predicate } or { consensus }; a failure is retried higher.',
      ),
    ...taskSettings,
  })
  .strict();

export const concurrencySchema = z
  .object({
    max: positiveInt.optional().describe('Tasks running at once across the run. Default: 4.'),
    phases: z.record(nameSchema, positiveInt).optional().describe('Limits per phase.'),
    groups: z.record(nameSchema, positiveInt).optional().describe('Limits per named group.'),
  })
  .strict();

/** A workflow file as written. */
export const workflowFileSchema = z
  .object({
    version: z.literal(1).describe('The file format version; always 1.'),
    id: nameSchema.describe('The workflow id.'),
    description: z.string().optional(),
    inputs: z
      .record(nameSchema, inputSpecSchema)
      .optional()
      .describe('Values given at run time: --input k=v.'),
    defaults: defaultsSchema.optional().describe('Settings every task gets unless it sets its own.'),
    concurrency: concurrencySchema.optional(),
    tasks: z.array(taskSchema).min(1).describe('The tasks, a DAG through `needs`.'),
  })
  .strict();

export type WorkflowFile = z.infer<typeof workflowFileSchema>;
export type TaskFile = z.infer<typeof taskSchema>;
export type DefaultsFile = z.infer<typeof defaultsSchema>;
export type RetriesFile = z.infer<typeof retriesSchema>;
export type ValidateFile = z.infer<typeof validateSchema>;
