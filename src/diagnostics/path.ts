/** One step into a parsed document: a mapping key or a list index. */
export type PathSegment = string | number;

const plainKey = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `id` that names a list item, when it is a plain, unique id among its siblings. */
function itemId(list: readonly unknown[], index: number): string | undefined {
  const item = list[index];
  if (!isRecord(item) || typeof item.id !== 'string' || !plainKey.test(item.id)) return undefined;
  const id = item.id;
  const twins = list.filter((other) => isRecord(other) && other.id === id).length;
  return twins === 1 ? id : undefined;
}

/**
 * Renders a path the way messages show it: `tasks.fix.needs[0]`. A list item with a unique `id`
 * is named by that id (`tasks.fix`), otherwise by its index (`tasks[2]`).
 */
export function renderPath(path: readonly PathSegment[], root?: unknown): string {
  const text = renderSegments(path, root);
  // Paths into deeply nested data stay readable: the start, an ellipsis, the end.
  return text.length <= 120 ? text : `${text.slice(0, 60)}…${text.slice(-40)}`;
}

function renderSegments(path: readonly PathSegment[], root: unknown): string {
  let text = '';
  let current: unknown = root;
  for (const segment of path) {
    if (typeof segment === 'number' || Array.isArray(current)) {
      const index = typeof segment === 'number' ? segment : Number(segment);
      const id = Array.isArray(current) && Number.isInteger(index) ? itemId(current, index) : undefined;
      text += id === undefined ? `[${segment}]` : `${text === '' ? '' : '.'}${id}`;
      current = Array.isArray(current) ? current[index] : undefined;
      continue;
    }
    const key = plainKey.test(segment) ? segment : JSON.stringify(segment);
    text += plainKey.test(segment) ? `${text === '' ? '' : '.'}${key}` : `[${key}]`;
    current = isRecord(current) ? current[segment] : undefined;
  }
  return text;
}
