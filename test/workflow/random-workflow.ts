// Random valid workflows for the property and fuzz tests: a DAG where each task needs earlier ones.
import fc from 'fast-check';

export type RandomTask = Record<string, unknown> & { id: string; needs?: string[] | string };
export type RandomWorkflow = Record<string, unknown> & { tasks: RandomTask[] };

const phases = ['scout', 'plan', 'build'];
const idArbitrary = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);

/** A valid workflow object: unique ids, needs pointing backwards, templates reading ancestors only. */
export function workflowArbitrary(maxTasks = 25): fc.Arbitrary<RandomWorkflow> {
  return fc.uniqueArray(idArbitrary, { minLength: 1, maxLength: maxTasks }).chain((ids) =>
    fc
      .tuple(
        ...ids.map((_, index) =>
          fc.record({
            needs: fc.subarray(ids.slice(0, index)),
            single: fc.boolean(),
            phase: fc.option(fc.constantFrom(...phases), { nil: undefined }),
            priority: fc.option(fc.constantFrom('low', 'normal', 'high', 'critical'), { nil: undefined }),
            tier: fc.option(
              fc.oneof(
                fc.constantFrom(0, 1, 2, 3, 4, 'weak', 'base', 'strong'),
                fc.constant({ min: 'weak', max: 'strong' }),
              ),
              { nil: undefined },
            ),
            retries: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
            timeout: fc.option(fc.constantFrom('30s', '2m', '1h30m', 1500), { nil: undefined }),
            trigger: fc.option(fc.constantFrom('all_success', 'none_failed', 'all_done', 'one_success'), {
              nil: undefined,
            }),
            hints: fc.option(
              fc.record({ taskType: fc.constantFrom('coding', 'review', null) }, { requiredKeys: [] }),
              { nil: undefined },
            ),
            readsParent: fc.boolean(),
          }),
        ),
      )
      .map((settings) => ({
        version: 1,
        id: 'random',
        inputs: { goal: { type: 'string', default: 'x' } },
        concurrency: { max: 3, phases: { scout: 2, plan: 1, build: 2 } },
        tasks: ids.map((id, index): RandomTask => {
          const { needs, single, readsParent, ...rest } = settings[index]!;
          const task: RandomTask = { id, agent: 'llm' };
          if (needs.length > 0) task.needs = single && needs.length === 1 ? needs[0]! : needs;
          for (const [key, value] of Object.entries(rest)) if (value !== undefined) task[key] = value;
          const parent = needs[0];
          task.prompt =
            readsParent && parent !== undefined
              ? `Goal \${{ inputs.goal }}: \${{ tasks.${parent}.output }}`
              : 'Do it.';
          return task;
        }),
      })),
  );
}
