// Expected-utility choice: among ways of doing a task, the one whose expected quality, less its expected
// cost priced against what a correct answer is worth, is highest. A quality bar picks the cheapest option
// that clears it; this picks the option whose extra quality is worth its extra cost, which is what keeps
// a cost-accuracy curve smooth across task types of very different prices.

/** One way of doing a task: its expected quality (0-1) and expected cost. */
export type UtilityOption<T> = { value: T; quality: number; costMicroUsd: number };

/**
 * What a correct answer is worth for a quality knob in [0, 1): `knob / (1 - knob)` times `unitMicroUsd`
 * (e.g. the strongest model's mean price). At 0.5 a correct answer is worth one unit; at 0.9, nine.
 */
export function valueOfCorrect(knob: number, unitMicroUsd: number): number {
  const bounded = Math.min(0.999, Math.max(0, knob));
  return (bounded / (1 - bounded)) * unitMicroUsd;
}

/**
 * The option with the highest `quality * worth - cost`; on a tie the cheaper one, then the earlier one.
 * Undefined when there is no option.
 */
export function chooseByUtility<T>(
  options: readonly UtilityOption<T>[],
  worthMicroUsd: number,
): UtilityOption<T> | undefined {
  let best: UtilityOption<T> | undefined;
  let bestUtility = Number.NEGATIVE_INFINITY;
  for (const option of options) {
    const utility = option.quality * worthMicroUsd - option.costMicroUsd;
    if (
      utility > bestUtility + 1e-9 ||
      (best !== undefined &&
        Math.abs(utility - bestUtility) <= 1e-9 &&
        option.costMicroUsd < best.costMicroUsd)
    ) {
      best = option;
      bestUtility = utility;
    }
  }
  return best;
}
