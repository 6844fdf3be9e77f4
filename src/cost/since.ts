import { OrchestratorError } from '../errors.ts';

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * The start of a report window: a duration back from `nowMs` (`30m`, `24h`, `7d`, `2w`) or a date
 * (`2026-11-01`, `2026-11-01T12:00Z`; a date without a zone is UTC).
 * @throws OrchestratorError CLI_INVALID_ARGUMENT for anything else.
 */
export function parseSince(text: string, nowMs: number): number {
  const trimmed = text.trim();
  const duration = /^(\d+)\s*([mhdw])$/.exec(trimmed);
  if (duration !== null) return nowMs - Number(duration[1]) * (units[duration[2] ?? 'd'] ?? 0);
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) || trimmed.length === 10 ? trimmed : `${trimmed}Z`;
    const parsed = Date.parse(zoned);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new OrchestratorError(
    'CLI_INVALID_ARGUMENT',
    `--since "${text}" is neither a duration nor a date; expected e.g. 30m, 24h, 7d, 2w or 2026-11-01.`,
    { hint: 'Durations count back from now; dates are UTC.' },
  );
}
