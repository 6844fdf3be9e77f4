// Complexity 1-10 from four factors, and the category it falls in.
import type { RoutingConfig } from '../config/routing.ts';
import type { Category } from '../events/vocabulary.ts';

/** The points of each factor; their sum is the complexity. */
export type ComplexityFactors = {
  /** 1-3, from the estimated tokens of the task's input and prompt. */
  readonly context: number;
  /** 1-4, from the task type (1 for a short simple request). */
  readonly taskType: number;
  /** 1-2, from the number of files referenced. */
  readonly files: number;
  /** 0-1, from recent failures of this task type. */
  readonly failures: number;
};

export type Complexity = {
  /** 1-10; with every factor at its lowest it is 3. */
  readonly score: number;
  readonly category: Category;
  readonly factors: ComplexityFactors;
  readonly contextTokens: number;
  readonly filesReferenced: number;
  /** Failed attempts among the last `window` finished attempts of this task type. */
  readonly recentFailures: number;
};

export type ComplexityInput = {
  contextTokens: number;
  typePoints: number;
  filesReferenced: number;
  recentFailures: number;
};

/** A fast token estimate from characters: no tokenizer on the routing path. */
export function estimateTokens(chars: number, charsPerToken: number): number {
  return Math.ceil(chars / charsPerToken);
}

/** FAST 1-3, NORMAL 4-5, COMPLEX 6-8, HIGH_COMPLEX 9-10. */
export function categoryOf(score: number): Category {
  if (score <= 3) return 'FAST';
  if (score <= 5) return 'NORMAL';
  if (score <= 8) return 'COMPLEX';
  return 'HIGH_COMPLEX';
}

/** Sums the four factors under the thresholds of routing.yaml. */
export function scoreComplexity(input: ComplexityInput, settings: RoutingConfig['complexity']): Complexity {
  const { contextTokens, filesReferenced, recentFailures } = settings;
  const factors: ComplexityFactors = {
    context:
      input.contextTokens >= contextTokens.threePointsFrom
        ? 3
        : input.contextTokens >= contextTokens.twoPointsFrom
          ? 2
          : 1,
    taskType: Math.min(4, Math.max(1, input.typePoints)),
    files: input.filesReferenced >= filesReferenced.twoPointsFrom ? 2 : 1,
    failures: input.recentFailures >= recentFailures.failures ? 1 : 0,
  };
  const score = Math.min(10, factors.context + factors.taskType + factors.files + factors.failures);
  return {
    score,
    category: categoryOf(score),
    factors,
    contextTokens: input.contextTokens,
    filesReferenced: input.filesReferenced,
    recentFailures: input.recentFailures,
  };
}
