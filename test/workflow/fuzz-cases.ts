// Seeded malformed workflow texts for the loader fuzz test: text mutations of valid YAML, mutations of
// valid objects (wrong types, unknown keys, cycles, duplicates, deep nesting), garbage and alias bombs.
import { stringify } from 'yaml';
import type { RandomWorkflow } from './random-workflow.ts';

/** A small seeded generator (mulberry32), so every case can be replayed from its seed. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
type Random = ReturnType<typeof random>;

const tokens = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ': ',
  '- ',
  '#',
  '&a ',
  '*a',
  '!!str ',
  '!tag ',
  '|',
  '>',
  "'",
  '"',
  '\t',
  '\n',
  '  ',
  '${{',
  '}}',
  '${{ tasks.x.output }}',
  '${{ (( }}',
  ',',
  '? ',
  '---\n',
  '...\n',
  '%YAML 1.1\n',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '.nan',
  '.inf',
  '0x1F',
  '1e999',
  '~',
  'null',
  '__proto__: 1\n',
  '<<: *a\n',
];
const wrongValues: unknown[] = [
  42,
  -1,
  1.5,
  'x',
  '',
  null,
  true,
  [],
  {},
  [[[]]],
  { a: { b: {} } },
  '${{ tasks }}',
  '${{ (( }}',
  '${{ tasks.zzz.output }}',
  '${{ inputs.nope }}',
  'weak',
  { min: 9 },
  '30 minutes',
  Number.MAX_SAFE_INTEGER,
  '__proto__',
];
const keys = [
  'neds',
  'agent',
  'tasks',
  'id',
  'needs',
  'phase',
  'tier',
  'foreach',
  'as',
  '__proto__',
  'constructor',
  'toString',
  'retries',
  'backoff',
  'min',
  'x y',
  '',
];

function mutateText(text: string, rng: Random): string {
  const lines = text.split('\n');
  switch (rng.int(8)) {
    case 0: {
      const start = rng.int(text.length + 1);
      return text.slice(0, start) + text.slice(start + 1 + rng.int(20));
    }
    case 1: {
      const at = rng.int(text.length + 1);
      return text.slice(0, at) + rng.pick(tokens) + text.slice(at);
    }
    case 2: {
      const line = rng.int(lines.length);
      lines.splice(line, 0, lines[line] ?? '');
      return lines.join('\n');
    }
    case 3: {
      const a = rng.int(lines.length);
      const b = rng.int(lines.length);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 4: {
      const line = rng.int(lines.length);
      lines[line] =
        rng.next() < 0.5
          ? ` ${lines[line]}`
          : (lines[line] ?? '').replace(/^ {1,2}/, rng.next() < 0.3 ? '\t' : '');
      return lines.join('\n');
    }
    case 5:
      return text.slice(0, rng.int(text.length));
    case 6: {
      const at = rng.int(text.length);
      return text.slice(0, at) + String.fromCharCode(rng.int(0x10000)) + text.slice(at + 1);
    }
    default:
      return Array.from({ length: rng.int(200) }, () =>
        String.fromCharCode(rng.int(rng.next() < 0.8 ? 128 : 0x10000)),
      ).join('');
  }
}

function records(value: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) for (const item of value) records(item, found);
  else if (typeof value === 'object' && value !== null) {
    found.push(value as Record<string, unknown>);
    for (const item of Object.values(value)) records(item, found);
  }
  return found;
}

function nested(depth: number, rng: Random): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = rng.next() < 0.5 ? [value] : { k: value };
  return value;
}

function mutateObject(workflow: RandomWorkflow, rng: Random): unknown {
  const copy = structuredClone(workflow) as RandomWorkflow;
  const tasks = copy.tasks;
  const task = rng.pick(tasks);
  switch (rng.int(9)) {
    case 0: {
      const target = rng.pick(records(copy));
      const key = rng.pick(Object.keys(target).length > 0 ? Object.keys(target) : ['x']);
      Object.defineProperty(target, key, {
        value: rng.pick(wrongValues),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return copy;
    }
    case 1:
      Object.defineProperty(rng.pick(records(copy)), rng.pick(keys), {
        value: rng.pick(wrongValues),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return copy;
    case 2: {
      const target = rng.pick(records(copy));
      delete target[rng.pick(Object.keys(target).length > 0 ? Object.keys(target) : ['x'])];
      return copy;
    }
    case 3:
      tasks[0]!.needs = [rng.pick(tasks).id];
      return copy;
    case 4:
      task.needs = [`${task.id}-missing`];
      return copy;
    case 5:
      tasks.push(structuredClone(task));
      return copy;
    case 6:
      task.input = nested(40 + rng.int(200), rng);
      return copy;
    case 7:
      return rng.pick([[], 'text', 42, null, [copy], { version: 1 }, { tasks: 'none' }]);
    default:
      task.prompt = `\${{ ${rng.pick(['tasks', 'inputs.goal', 'x', '(', "'", 'length(', 'tasks[1]', '!!', 'a == ', '[1,'])} }}`;
      return copy;
  }
}

const aliasBomb = `a: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, level) => {
  const name = String.fromCharCode(98 + level);
  const previous = String.fromCharCode(97 + level);
  return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`;
}).join('\n')}\n`;

const texts = new WeakMap<RandomWorkflow, string>();
function written(workflow: RandomWorkflow): string {
  const cached = texts.get(workflow);
  if (cached !== undefined) return cached;
  const text = stringify(workflow);
  texts.set(workflow, text);
  return text;
}

/** The text of fuzz case `seed`, built from one of the valid workflows. */
export function fuzzCase(
  seed: number,
  valid: readonly RandomWorkflow[],
): { text: string; rng: Random; kind: number } {
  const rng = random(seed);
  const base = valid[seed % valid.length]!;
  const kind = rng.int(10);
  let text: string;
  if (kind < 4) text = mutateText(written(base), rng);
  else if (kind < 9) {
    const mutated = mutateObject(base, rng);
    text = rng.next() < 0.7 ? stringify(mutated) : JSON.stringify(mutated);
  } else text = rng.next() < 0.5 ? aliasBomb + written(base) : mutateText(aliasBomb, rng);
  return { text, rng, kind };
}
