// Workflows as YAML DAGs: schema, loader, checks, task graph, templates and expressions.

export { defineTask, defineWorkflow } from './define.ts';
export { parseDuration } from './duration.ts';
export {
  type CompiledExpression,
  type ExpressionNode,
  expressionPaths,
  parseExpression,
} from './expression.ts';
export { expressionFunctions } from './expression-functions.ts';
export { isTruthy, looseEquals, toText } from './expression-values.ts';
export { findCycles, type TaskGraph, taskGraph } from './graph.ts';
export { coerceInput, resolveWorkflowInputs } from './inputs.ts';
export { workflowJsonSchema, workflowJsonSchemaPath, workflowJsonSchemaText } from './json-schema.ts';
export {
  checkWorkflow,
  loadWorkflow,
  type ParseWorkflowOptions,
  parseWorkflow,
  type WorkflowCheck,
} from './load.ts';
export type * from './model.ts';
export { workflowDefaults } from './normalize.ts';
export { toDot, toMermaid } from './render-graph.ts';
export { workflowFileSchema } from './schema.ts';
export {
  checkTemplate,
  hasTemplate,
  parseTemplate,
  renderTemplate,
  type TemplateProblem,
  type TemplateUse,
  templateReferences,
  templateUses,
} from './template.ts';
export { tierAliases, tierRangeOf } from './tier.ts';
