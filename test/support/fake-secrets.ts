// Canary keys and a scanner that proves they never leave the process in any form.

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/** A unique, recognisable fake key per name, e.g. `canary-anthropic-3f2a...`. */
export function canaryKeys<const Names extends readonly string[]>(
  names: Names,
): Record<Names[number], string> {
  return Object.fromEntries(
    names.map((name) => [name, `canary-${name}-${randomUUID().replaceAll('-', '')}`]),
  ) as Record<Names[number], string>;
}

/** The forms a canary is searched for: as written, URL-encoded, base64 and base64url. */
export function canaryForms(canary: string): { form: string; text: string }[] {
  const forms = [
    { form: 'raw', text: canary },
    { form: 'url-encoded', text: encodeURIComponent(canary) },
    { form: 'base64', text: Buffer.from(canary).toString('base64').replace(/=+$/, '') },
    { form: 'base64url', text: Buffer.from(canary).toString('base64url') },
  ];
  return forms.filter((form, index) => forms.findIndex((other) => other.text === form.text) === index);
}

export type CanaryFinding = { source: string; canary: string; form: string };

/** Every place where a canary appears in any of its forms; `sources` maps a name to text. */
export function findCanaries(sources: Record<string, string>, canaries: readonly string[]): CanaryFinding[] {
  const findings: CanaryFinding[] = [];
  for (const [source, text] of Object.entries(sources)) {
    for (const canary of canaries) {
      for (const { form, text: needle } of canaryForms(canary))
        if (text.includes(needle)) findings.push({ source, canary, form });
    }
  }
  return findings;
}

/**
 * Scans files (a log, a JSONL sink, a SQLite database read as bytes) for canaries. A missing file
 * is reported as a finding too, so a test cannot pass by scanning nothing.
 */
export function findCanariesInFiles(files: readonly string[], canaries: readonly string[]): CanaryFinding[] {
  const sources: Record<string, string> = {};
  const missing: CanaryFinding[] = [];
  for (const file of files) {
    if (!existsSync(file)) missing.push({ source: file, canary: '', form: 'file missing' });
    // latin1 keeps every byte as one character, so binary files (SQLite pages) are searched byte for byte.
    else sources[file] = readFileSync(file).toString('latin1');
  }
  return [...missing, ...findCanaries(sources, canaries)];
}
