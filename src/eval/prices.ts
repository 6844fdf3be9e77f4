import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseYamlWith } from '../diagnostics/index.ts';
import { ConfigError } from '../errors.ts';

/** `--prices <yaml>`: `prices: { <model id>: { usdPerCall: 0.0002 } }`; models not listed keep their recorded costs. */
export const pricesSchema = z
  .object({ prices: z.record(z.string(), z.object({ usdPerCall: z.number().nonnegative() }).strict()) })
  .strict();

/** Reads a price table; returns the mean USD per call per model. */
export function loadPrices(file: string): Record<string, number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      [
        {
          file,
          line: undefined,
          column: undefined,
          code: 'CONFIG_NOT_FOUND',
          path: '',
          message: `file not found: ${file}`,
        },
      ],
      { cause: error },
    );
  }
  const parsed = parseYamlWith(text, file, pricesSchema);
  return Object.fromEntries(Object.entries(parsed.prices).map(([model, price]) => [model, price.usdPerCall]));
}
