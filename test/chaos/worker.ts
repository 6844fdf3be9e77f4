// One process of the chaos test: starts or resumes its runs in one orchestrator, logging every
// handler call and what the provider billed, until it finishes or is killed.
import { appendFileSync } from 'node:fs';
import { costMicroUsd, createOrchestrator, OrchestratorError } from '../../src/index.ts';

type Job = { runId: string; workflowPath: string };
type Args = {
  db: string;
  configDir: string;
  seed: number;
  jobs: Job[];
  callsFile: string;
  billedFile: string;
};

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const orchestrator = await createOrchestrator({
  statePath: args.db,
  configDir: args.configDir,
  seed: args.seed,
  routing: 'on',
  // The simulation bills ceil(characters / 4) input tokens: counting the same way keeps every
  // reservation at or above the bill, and spares each of the ~40 worker processes loading tiktoken.
  countTokens: (text) => Math.ceil(text.length / 4),
});
const catalog = orchestrator.config.models.byId;
const billed = (line: string) => appendFileSync(args.billedFile, `${line}\n`);

orchestrator.agents.register('chaos', async (ctx) => {
  appendFileSync(
    args.callsFile,
    `${process.pid} ${ctx.runId} ${ctx.taskId} ${ctx.attempt} ${ctx.idempotencyKey}\n`,
  );
  // The prompt quotes its first parent's output: after a resume it must come from the journal.
  const [, parent, output] = / from (\S+): (\S+)$/.exec(ctx.prompt ?? '') ?? [];
  if (parent === undefined || (parent !== 'start' && output !== `out-${parent}`)) {
    throw new Error(`prompt lost its parent's output: ${ctx.prompt}`);
  }
  try {
    const answer = await ctx.llm({ prompt: ctx.prompt ?? '', maxOutputTokens: 200 });
    billed(`${ctx.runId} ${ctx.taskId} ${ctx.attempt} ${answer.costMicroUsd ?? 0}`);
  } catch (error) {
    const usage = (error as { usage?: { inputTokens?: number; outputTokens?: number } }).usage;
    const spec = ctx.model === undefined ? undefined : catalog.get(ctx.model.id);
    if (usage !== undefined && spec !== undefined) {
      billed(`${ctx.runId} ${ctx.taskId} ${ctx.attempt} ${costMicroUsd(spec, usage) ?? 0}`);
    }
    throw error;
  }
  return { output: `out-${ctx.taskId}` };
});

process.stdout.write('started\n');
const results = await Promise.all(
  args.jobs.map(async (job) => {
    try {
      const result = await orchestrator.resume(job.runId);
      return { runId: job.runId, status: result.status, resumed: true };
    } catch (error) {
      if (!(error instanceof OrchestratorError)) throw error;
      if (error.code === 'RUN_ALREADY_FINISHED')
        return { runId: job.runId, status: 'succeeded', resumed: false };
      if (error.code !== 'RUN_NOT_FOUND') throw error;
      const result = await orchestrator.run(job.workflowPath, { runId: job.runId, input: {} });
      return { runId: job.runId, status: result.status, resumed: false };
    }
  }),
);
await orchestrator.close();
process.stdout.write(`${JSON.stringify(results)}\n`);
