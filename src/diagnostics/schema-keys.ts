import type { z } from 'zod';
import type { PathSegment } from './path.ts';

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
  in?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
};

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schemas a value at `path` may match, looking through wrappers, unions and lazies. */
function schemasAt(schema: z.ZodType, path: readonly PathSegment[], depth = 0): z.ZodType[] {
  if (depth > 50) return [];
  const def = defOf(schema);
  const [head, ...rest] = path;
  const again = (inner: z.ZodType | undefined, remaining: readonly PathSegment[]) =>
    inner === undefined ? [] : schemasAt(inner, remaining, depth + 1);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return again(def.innerType, path);
    case 'lazy':
      return again(def.getter?.(), path);
    case 'pipe':
      return again(def.in, path);
    case 'union':
      return (def.options ?? []).flatMap((option) => again(option, path));
    case 'intersection':
      return [...again(def.left, path), ...again(def.right, path)];
    default:
      break;
  }
  if (head === undefined) return [schema];
  if (def.type === 'object') return again(def.shape?.[String(head)], rest);
  if (def.type === 'record') return again(def.valueType, rest);
  if (def.type === 'array') return again(def.element, rest);
  return [];
}

/** The keys a mapping at `path` may hold, per the schema; empty when it is not an object schema. */
export function knownKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  const keys = new Set<string>();
  for (const candidate of schemasAt(schema, path)) {
    const def = defOf(candidate);
    if (def.type === 'object') for (const key of Object.keys(def.shape ?? {})) keys.add(key);
  }
  return [...keys];
}
