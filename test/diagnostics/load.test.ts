import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatDiagnostics, loadYamlFile } from '../../src/diagnostics/index.ts';
import { ConfigError } from '../../src/errors.ts';

const schema = z.object({ name: z.string(), size: z.number().optional() }).strict();
const folder = mkdtempSync(join(tmpdir(), 'tierflow-diagnostics-'));

async function failure(path: string): Promise<ConfigError> {
  try {
    await loadYamlFile(path, schema);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadYamlFile', () => {
  it('returns the checked value', async () => {
    const path = join(folder, 'good.yaml');
    writeFileSync(path, 'name: tierflow\nsize: 3\n');
    await expect(loadYamlFile(path, schema)).resolves.toEqual({ name: 'tierflow', size: 3 });
  });

  it('names a missing file', async () => {
    const error = await failure('config/missing.yaml');
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(formatDiagnostics(error.diagnostics)).toMatchInlineSnapshot(`
      "config/missing.yaml error CONFIG_NOT_FOUND
        file not found: config/missing.yaml
        hint: check the path; it is resolved from the current directory"
    `);
  });

  it('reports syntax errors before schema problems', async () => {
    const path = join(folder, 'broken.yaml');
    writeFileSync(path, 'name: [1\n');
    const error = await failure(path);
    expect(error.diagnostics.map((d) => d.code)).toEqual(['YAML_SYNTAX']);
  });

  it('throws every schema problem at once', async () => {
    const path = join(folder, 'bad.yaml');
    writeFileSync(path, 'name: 1\nsize: big\nextra: x\n');
    const error = await failure(path);
    expect(error.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.path}`)).toEqual([
      '1:7 CONFIG_INVALID name',
      '2:7 CONFIG_INVALID size',
      '3:1 CONFIG_UNKNOWN_KEY extra',
    ]);
    expect(error.message).toBe(`${path}: 3 problems; first: expected a string, got 1`);
  });
});
