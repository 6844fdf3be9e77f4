import { z } from 'zod';
import { parseYamlWith, readConfigTextSync } from '../diagnostics/index.ts';

/** `--prices <yaml>`: `prices: { <model id>: { usdPerCall: 0.0002 } }`; models not listed keep their recorded costs. */
export const pricesSchema = z
  .object({ prices: z.record(z.string(), z.object({ usdPerCall: z.number().nonnegative() }).strict()) })
  .strict();

/** Reads a price table; returns the mean USD per call per model. */
export function loadPrices(file: string): Record<string, number> {
  const text = readConfigTextSync(file);
  const parsed = parseYamlWith(text, file, pricesSchema);
  return Object.fromEntries(Object.entries(parsed.prices).map(([model, price]) => [model, price.usdPerCall]));
}
