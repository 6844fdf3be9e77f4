// The task-type catalog (config/task-types.yaml): the types a task is classified into and their rules.
import { z } from 'zod';
import { didYouMeanHint } from '../diagnostics/index.ts';
import { type ConfigProblem, loadConfigFile, parseConfigText } from './catalog-file.ts';

const typeIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower_snake_case id');

export const taskTypeEntrySchema = z
  .object({
    id: typeIdSchema,
    /** Complexity points this type adds to the score. */
    complexity: z.number().int().min(1).max(4),
    /** Output tokens of a typical answer, for the cost estimate. */
    expectedOutputTokens: z.number().int().positive().max(200_000),
    description: z.string().optional(),
    keywords: z.array(z.string().min(1)).default([]),
    patterns: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type TaskTypeEntry = z.infer<typeof taskTypeEntrySchema>;

export const taskTypeCatalogSchema = z
  .object({
    defaultType: typeIdSchema,
    simpleRequest: z
      .object({ maxWords: z.number().int().min(1).max(100), words: z.array(z.string().min(1)) })
      .strict(),
    types: z.array(taskTypeEntrySchema).min(1),
  })
  .strict();
/** The checked task-type catalog; `types` in file order, which breaks ties between types. */
export type TaskTypeCatalog = z.infer<typeof taskTypeCatalogSchema>;

const keywordShape = /^[a-z0-9]+(?: [a-z0-9]+)*$/;
const stemShape = /^[a-z0-9]{3,}\*$/;

/** Why a keyword cannot be matched, or undefined when it can. */
function keywordProblem(keyword: string): string | undefined {
  if (keyword !== keyword.toLowerCase())
    return 'keywords are matched in lower case; write them in lower case';
  if (keyword.endsWith('*'))
    return stemShape.test(keyword) ? undefined : 'a stem is one word of at least 3 letters or digits, then *';
  return keywordShape.test(keyword)
    ? undefined
    : 'a keyword is words of letters and digits separated by single spaces (punctuation is ignored when matching)';
}

function catalogProblems(catalog: TaskTypeCatalog): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, number>();
  catalog.types.forEach((type, index) => {
    const first = seen.get(type.id);
    if (first === undefined) seen.set(type.id, index);
    else
      problems.push({
        path: ['types', index, 'id'],
        message: `duplicate task type ${JSON.stringify(type.id)}; types[${first}] has the same id`,
      });
    type.keywords.forEach((keyword, position) => {
      const problem = keywordProblem(keyword);
      if (problem !== undefined)
        problems.push({
          path: ['types', index, 'keywords', position],
          message: `cannot match keyword ${JSON.stringify(keyword)}: ${problem}`,
        });
    });
    type.patterns.forEach((pattern, position) => {
      try {
        new RegExp(pattern, 'i');
      } catch (error) {
        problems.push({
          path: ['types', index, 'patterns', position],
          message: `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`,
          hint: 'patterns use JavaScript regular expression syntax; backslashes need single quotes in YAML',
        });
      }
    });
  });
  if (!seen.has(catalog.defaultType)) {
    const hint = didYouMeanHint(catalog.defaultType, seen.keys());
    problems.push({
      path: ['defaultType'],
      message: `defaultType ${JSON.stringify(catalog.defaultType)} is not one of the types below`,
      ...(hint === undefined ? {} : { hint }),
    });
  }
  return problems;
}

/** Parses task-types.yaml text. @throws ConfigError naming file, line, column and field of every problem. */
export function parseTaskTypeCatalog(text: string, file: string | undefined): TaskTypeCatalog {
  return parseConfigText(text, file, taskTypeCatalogSchema, catalogProblems);
}

/** Loads `<dir>/task-types.yaml`. @throws ConfigError (CONFIG_NOT_FOUND when missing). */
export async function loadTaskTypeCatalog(dir: string): Promise<TaskTypeCatalog> {
  return loadConfigFile(dir, 'task-types.yaml', taskTypeCatalogSchema, catalogProblems);
}
