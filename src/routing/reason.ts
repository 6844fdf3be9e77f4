// The words of a decision: what users read in MODEL_SELECTED.reason and `tierflow route`.
import { formatUsd } from '../config/pricing.ts';
import type { CategoryPolicy } from '../config/routing.ts';
import type { Tier } from '../events/vocabulary.ts';
import type { Candidate, SelectionRule } from './candidate.ts';
import type { Classification } from './classify.ts';
import type { Complexity } from './complexity.ts';
import { describeTiers } from './tier-window.ts';

const qualityTexts = new Map<number, string>();

/** `0.74`; cached, since the same few estimates recur in every decision. */
export function formatQuality(quality: number): string {
  let text = qualityTexts.get(quality);
  if (text === undefined) {
    text = quality.toFixed(2);
    if (qualityTexts.size < 10_000) qualityTexts.set(quality, text);
  }
  return text;
}

/** `quality 0.64 < 0.70, est. $0.0031 > cap $0.002`: the constraints a candidate misses. */
export function missedConstraints(candidate: Candidate, policy: CategoryPolicy): string[] {
  const missed: string[] = [];
  if (candidate.belowQuality)
    missed.push(`quality ${formatQuality(candidate.quality)} < ${formatQuality(policy.minQuality)}`);
  if (candidate.overCost)
    missed.push(
      `est. ${formatUsd(candidate.estimatedCostMicroUsd)} > cap ${formatUsd(policy.maxCostMicroUsd)}`,
    );
  if (candidate.overLatency) missed.push(`latency ${candidate.model.latencyMs} ms > SLA ${policy.slaMs} ms`);
  return missed;
}

/** Why a candidate was not chosen. */
export function dropReason(
  candidate: Candidate,
  chosen: Candidate | undefined,
  policy: CategoryPolicy,
): string {
  if (candidate.excluded !== undefined) return candidate.excluded;
  const missed = missedConstraints(candidate, policy);
  if (missed.length > 0) return missed.join(', ');
  if (chosen === undefined) return 'not chosen';
  if (candidate.estimatedCostMicroUsd > chosen.estimatedCostMicroUsd)
    return `costlier than ${chosen.model.id}`;
  return `same cost as ${chosen.model.id}, ranked after it (free, then quality, then latency)`;
}

/** `type coding (keywords: implement, endpoint)`. */
export function describeType(classification: Classification): string {
  const unknown = classification.unknownHint;
  const prefix =
    unknown === undefined
      ? ''
      : `hints.taskType ${JSON.stringify(unknown.value)} is not a known task type${
          unknown.suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(unknown.suggestion)}?)`
        }, so classified from the text: `;
  switch (classification.source) {
    case 'hint':
      return `type ${classification.taskType} (from hints.taskType)`;
    case 'default':
      return `${prefix}type ${classification.taskType} (no rule matched)`;
    case 'rules':
      return `${prefix}type ${classification.taskType} (matched ${classification.matched.join(', ')})`;
  }
}

/** `complexity 5 = context 1 (~120 tokens) + type 3 (coding) + files 1 (0 files) + failures 0 -> NORMAL`. */
export function describeComplexity(
  complexity: Complexity,
  classification: Classification,
  window: number,
): string {
  const { factors } = complexity;
  const simple = classification.simple;
  const type =
    simple === undefined
      ? `type ${factors.taskType} (${classification.taskType})`
      : `type ${factors.taskType} (short simple request: ${simple.words} words with "${simple.word}")`;
  const files = complexity.filesReferenced === 1 ? '1 file' : `${complexity.filesReferenced} files`;
  const failures =
    complexity.recentFailures === 0
      ? 'failures 0'
      : `failures ${factors.failures} (${complexity.recentFailures} of the last ${window} ${classification.taskType} attempts failed)`;
  return (
    `complexity ${complexity.score} = context ${factors.context} (~${complexity.contextTokens} tokens) + ${type}` +
    ` + files ${factors.files} (${files}) + ${failures} -> ${complexity.category}`
  );
}

const ruleWords: Record<Exclude<SelectionRule, 'none'>, string> = {
  constraints: 'cheapest meeting',
  relaxed_latency: 'no model met every constraint; fallback 1 (latency relaxed): cheapest meeting',
  relaxed_cost: 'no model met every constraint; fallback 2 (latency and cost relaxed): cheapest meeting',
  best_quality: 'no model met the quality bar; fallback 3: highest quality estimate, ignoring',
};

/** `chose gemini-2.5-flash (google, tier 2): cheapest meeting quality >= 0.70, ...`. */
export function describeChoice(
  chosen: Candidate,
  rule: Exclude<SelectionRule, 'none'>,
  policy: CategoryPolicy,
): string {
  const constraints = [
    `quality >= ${formatQuality(policy.minQuality)}`,
    `cost <= ${formatUsd(policy.maxCostMicroUsd)}`,
    `latency <= ${policy.slaMs} ms`,
  ];
  const kept =
    rule === 'relaxed_latency'
      ? constraints.slice(0, 2)
      : rule === 'relaxed_cost'
        ? constraints.slice(0, 1)
        : constraints;
  const learned = chosen.observations > 0 ? ` from ${chosen.observations} outcomes` : '';
  return (
    `chose ${chosen.model.id} (${chosen.model.provider}, tier ${chosen.model.tier}): ${ruleWords[rule]} ${kept.join(', ')}` +
    ` (est. ${formatUsd(chosen.estimatedCostMicroUsd)}, quality ${formatQuality(chosen.quality)}${learned}, ${chosen.model.latencyMs} ms)`
  );
}

/** `dropped 12 of 14: 5 below quality, 3 over cost, ...`. */
export function describeDropped(candidates: readonly Candidate[]): string {
  let excluded = 0;
  let quality = 0;
  let cost = 0;
  let latency = 0;
  for (const candidate of candidates) {
    if (candidate.excluded !== undefined) excluded++;
    else {
      if (candidate.belowQuality) quality++;
      if (candidate.overCost) cost++;
      if (candidate.overLatency) latency++;
    }
  }
  const parts = [
    excluded > 0 ? `${excluded} tried or unusable` : '',
    quality > 0 ? `${quality} below quality` : '',
    cost > 0 ? `${cost} over cost` : '',
    latency > 0 ? `${latency} over latency` : '',
  ].filter((part) => part !== '');
  return `${candidates.length} candidates${parts.length === 0 ? '' : ` (${parts.join(', ')})`}`;
}

/** `pinned model "x" is not in the model catalog (did you mean "y"?), so routed normally`. */
export function describeUnknownPin(pinned: string, suggestion: string | undefined): string {
  const hint = suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`;
  return `pinned model ${JSON.stringify(pinned)} is not in the model catalog${hint}, so routed normally`;
}

/** `no model can be used: a: not usable; b: already tried ...`. */
export function describeNoModel(candidates: readonly Candidate[], tiers: readonly Tier[]): string {
  if (candidates.length === 0)
    return `no model can be used: the catalog has no model at ${describeTiers(tiers)}`;
  return `no model can be used: ${candidates.map((candidate) => `${candidate.model.id}: ${candidate.dropped}`).join('; ')}`;
}
