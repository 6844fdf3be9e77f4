// The names a workflow may use, as an orchestrator knows them: one source for run, resume and validate.
import type { loadWorkflow, Orchestrator } from '../index.ts';

type KnownNameOptions = NonNullable<Parameters<typeof loadWorkflow>[1]>;

/**
 * The known-name options of loadWorkflow. Task types and models come from the config, so they are
 * always checked; agents and predicates only when `custom` is true (modules were loaded, or a run
 * needs every name to exist).
 */
export function knownNames(orchestrator: Orchestrator, custom = true): KnownNameOptions {
  const { taskTypes, models } = orchestrator.config;
  return {
    knownTaskTypes: taskTypes.types.map((type) => type.id),
    knownModels: [...models.byId.keys()],
    ...(custom
      ? { knownAgents: orchestrator.agents.names(), knownPredicates: orchestrator.validators.names() }
      : {}),
  };
}
