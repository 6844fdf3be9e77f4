// Loads a workflow file: YAML with positions, the schema, then every semantic check, all in one pass.
import {
  checkSchema,
  type ParseYamlOptions,
  parseYaml,
  readConfigText,
  sortDiagnostics,
} from '../diagnostics/index.ts';
import { ConfigError, type Diagnostic } from '../errors.ts';
import { checkGraph } from './check-graph.ts';
import { checkKnownNames } from './check-known.ts';
import { checkNames } from './check-names.ts';
import { checkTemplates } from './check-templates.ts';
import { checkValidators } from './check-validate.ts';
import { checkInputDefaults } from './inputs.ts';
import type { Workflow } from './model.ts';
import { normalizeWorkflow } from './normalize.ts';
import { rawView } from './raw-view.ts';
import { createReport } from './report.ts';
import { workflowFileSchema } from './schema.ts';

export type ParseWorkflowOptions = {
  /** The file name used in diagnostics. */
  file?: string | undefined;
  /** Agent names that exist; when given, a task naming another agent is an error. */
  knownAgents?: readonly string[] | undefined;
  /** Validator predicates that exist; when given, a `validate: { predicate }` naming another is an error. */
  knownPredicates?: readonly string[] | undefined;
  /** Task type ids of the catalog; when given, a `hints.taskType` naming another is an error. */
  knownTaskTypes?: readonly string[] | undefined;
  /** Model ids of the catalog; when given, a pinned `model` naming another is an error. */
  knownModels?: readonly string[] | undefined;
  /** Limits of the YAML parser (alias expansion, nesting). */
  yaml?: ParseYamlOptions;
};

/** Every problem of a workflow text, sorted, and the workflow when there are none. Never throws. */
export type WorkflowCheck = { ok: true; workflow: Workflow } | { ok: false; diagnostics: Diagnostic[] };

/** Checks a workflow text; returns the normalised workflow or every problem found, sorted by position. */
export function checkWorkflow(text: string, options: ParseWorkflowOptions = {}): WorkflowCheck {
  const { file } = options;
  const parsed = parseYaml(text, file, options.yaml);
  // A file YAML cannot read has no trustworthy structure to check further.
  if (parsed.diagnostics.length > 0) return { ok: false, diagnostics: sortDiagnostics(parsed.diagnostics) };
  const schema = checkSchema(parsed.value, workflowFileSchema, { file, locate: parsed.locate });
  const diagnostics: Diagnostic[] = schema.ok ? [] : [...schema.diagnostics];
  const raw = rawView(parsed.value);
  const report = createReport(file, parsed.locate, parsed.value, diagnostics);
  // Every check below reads the raw view, so schema problems and name problems come in one pass.
  const needs = checkGraph(raw, report, parsed.locate);
  checkNames(raw, report);
  checkKnownNames(raw, report, {
    agents: options.knownAgents,
    models: options.knownModels,
    taskTypes: options.knownTaskTypes,
  });
  checkTemplates(raw, report, needs);
  checkValidators(raw, report, options.knownPredicates);
  checkInputDefaults(raw, report);
  if (!schema.ok || diagnostics.length > 0) return { ok: false, diagnostics: sortDiagnostics(diagnostics) };
  const lineOfTask = (index: number) => parsed.locate(['tasks', index])?.line;
  return { ok: true, workflow: normalizeWorkflow(schema.value, file, lineOfTask) };
}

/**
 * Parses and checks a workflow written in YAML.
 * @throws ConfigError with every problem, sorted by position.
 */
export function parseWorkflow(text: string, options: ParseWorkflowOptions = {}): Workflow {
  const checked = checkWorkflow(text, options);
  if (!checked.ok) throw new ConfigError(checked.diagnostics);
  return checked.workflow;
}

/**
 * Loads and checks a workflow file.
 * @throws ConfigError with every problem (CONFIG_NOT_FOUND for a missing file).
 * @example const workflow = await loadWorkflow('workflows/scout-plan-build.yaml', { knownAgents: ['llm', 'shell'] });
 */
export async function loadWorkflow(
  path: string,
  options: Omit<ParseWorkflowOptions, 'file'> = {},
): Promise<Workflow> {
  return parseWorkflow(await readConfigText(path), { ...options, file: path });
}
