// `tierflow route "<task text>"`: how the router would route a task, and why.
import type { Command } from 'commander';
import {
  createRouter,
  didYouMean,
  formatUsd,
  loadConfig,
  OrchestratorError,
  type RoutingDecision,
  resolveRoutingMode,
} from '../../index.ts';
import { exitCodes, reportError } from '../exit.ts';
import { wholeNumber } from '../options.ts';

export type RouteFlags = { type?: string; config?: string; json?: boolean; contextChars?: number };
type Output = { stdout: (text: string) => void; stderr: (text: string) => void };

export function registerRouteCommand(program: Command): void {
  program
    .command('route')
    .description('show how a task would be routed: type, complexity, category, tier, model, cost and why')
    .argument('<text>', 'the task text: its prompt or description')
    .option('--type <taskType>', 'set the task type, as `hints.taskType` does in a workflow')
    .option(
      '--context-chars <n>',
      'characters of input the task reads (default: the text length)',
      wholeNumber(0),
    )
    .option('--config <dir>', 'config directory; files it lacks come from the shipped config/')
    .option('--json', 'print the decision as JSON')
    .action(async (text: string, flags: RouteFlags) => {
      process.exitCode = await route(text, flags, {
        stdout: (chunk) => process.stdout.write(chunk),
        stderr: (chunk) => process.stderr.write(chunk),
      });
    });
}

/** Routes one text with the config of `flags.config` and prints the decision; returns the exit code. */
export async function route(
  text: string,
  flags: RouteFlags,
  output: Output,
  env = process.env,
): Promise<number> {
  try {
    const config = await loadConfig(...(flags.config === undefined ? [] : [flags.config]));
    if (flags.type !== undefined && !config.taskTypes.types.some((type) => type.id === flags.type)) {
      const known = config.taskTypes.types.map((type) => type.id);
      const suggestion = didYouMean(flags.type, known);
      throw new OrchestratorError(
        'CLI_INVALID_ARGUMENT',
        `--type "${flags.type}" is not a task type of the catalog`,
        {
          hint:
            suggestion === undefined ? `known types: ${known.join(', ')}` : `did you mean "${suggestion}"?`,
        },
      );
    }
    const mode = resolveRoutingMode(config.routing.mode, env);
    const router = createRouter({
      catalog: config.models,
      taskTypes: config.taskTypes,
      config: config.routing,
    });
    const decision = router.decide({
      text,
      ...(flags.contextChars === undefined ? {} : { contextChars: flags.contextChars }),
      hints: flags.type === undefined ? {} : { taskType: flags.type },
    });
    output.stdout(
      flags.json ? `${JSON.stringify(toJson(decision, mode), null, 2)}\n` : formatDecision(decision, mode),
    );
    return exitCodes.ok;
  } catch (error) {
    return reportError(error, output.stderr);
  }
}

function toJson(decision: RoutingDecision, mode: string) {
  const { complexity, classification, model } = decision;
  return {
    mode,
    taskType: classification.taskType,
    taskTypeSource: classification.source,
    complexity: complexity.score,
    factors: complexity.factors,
    contextTokens: complexity.contextTokens,
    filesReferenced: complexity.filesReferenced,
    category: decision.category,
    tiers: decision.tiers,
    tier: model?.tier ?? null,
    model: model?.id ?? null,
    provider: model?.provider ?? null,
    rule: decision.rule,
    estimatedCostMicroUsd: decision.estimatedCostMicroUsd,
    reason: decision.reason,
    candidates: decision.candidates.map((candidate) => ({
      model: candidate.model.id,
      tier: candidate.model.tier,
      estimatedCostMicroUsd: candidate.estimatedCostMicroUsd,
      quality: candidate.quality,
      latencyMs: candidate.model.latencyMs,
      dropped: candidate.dropped ?? null,
    })),
  };
}

function formatDecision(decision: RoutingDecision, mode: string): string {
  const { complexity, classification, model } = decision;
  const { factors } = complexity;
  const files = complexity.filesReferenced === 1 ? '1 file' : `${complexity.filesReferenced} files`;
  const lines = [
    ...(mode === 'on' ? [] : [`note        routing is ${mode}: a run would keep each agent's default model`]),
    `type        ${classification.taskType} (${classification.source === 'hint' ? '--type' : classification.source === 'rules' ? `matched ${classification.matched.join(', ')}` : 'no rule matched'})`,
    `complexity  ${complexity.score} ${decision.category} = context ${factors.context} (~${complexity.contextTokens} tokens) + type ${factors.taskType} + files ${factors.files} (${files}) + failures ${factors.failures}`,
    `tier        ${model === undefined ? 'none' : model.tier} (allowed: ${decision.tiers.join(', ')})`,
    `model       ${model === undefined ? 'none' : `${model.id} (${model.provider})`}`,
    `est. cost   ${formatUsd(decision.estimatedCostMicroUsd)} per call`,
    `reason      ${decision.reason}`,
  ];
  if (decision.candidates.length > 0) {
    const width = Math.max(...decision.candidates.map((candidate) => candidate.model.id.length));
    lines.push('candidates (cheapest first)');
    const byCost = [...decision.candidates].sort(
      (a, b) =>
        a.estimatedCostMicroUsd - b.estimatedCostMicroUsd ||
        b.quality - a.quality ||
        a.model.latencyMs - b.model.latencyMs,
    );
    for (const candidate of byCost) {
      const verdict = candidate.dropped === undefined ? 'chosen' : `dropped: ${candidate.dropped}`;
      lines.push(
        `  ${candidate.model.id.padEnd(width)}  tier ${candidate.model.tier}  ${formatUsd(candidate.estimatedCostMicroUsd).padStart(9)}  q ${candidate.quality.toFixed(2)}  ${String(candidate.model.latencyMs).padStart(5)} ms  ${verdict}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
