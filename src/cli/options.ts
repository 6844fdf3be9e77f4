// Parsers for option values shared by commands; each names the option and what it expected.
import { InvalidArgumentError } from 'commander';

/** `--input k=v`, repeatable: collects into a record. */
export function collectKeyValue(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator <= 0) {
    throw new InvalidArgumentError(`expected key=value, got "${value}".`);
  }
  return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
}

/** A repeatable option: collects into a list. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A whole number >= `min`. */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`expected a whole number >= ${min}, got "${value}".`);
    }
    return parsed;
  };
}

/** A share from 0 up to (not including) 1, like the planner's knob. */
export function shareBelowOne(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed >= 1) {
    throw new InvalidArgumentError(`expected a number from 0 up to (not including) 1, got "${value}".`);
  }
  return parsed;
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(
        `expected one of ${choices.map((c) => `"${c}"`).join(' | ')}, got "${value}".`,
      );
    }
    return value as T;
  };
}
