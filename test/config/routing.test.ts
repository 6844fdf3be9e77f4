import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bundledConfigDir,
  loadRoutingConfig,
  parseRoutingConfig,
  resolveRoutingMode,
} from '../../src/config/routing.ts';
import { formatDiagnostics } from '../../src/diagnostics/index.ts';
import { ConfigError, OrchestratorError } from '../../src/errors.ts';
import { shippedConfig, shippedText } from '../routing/fixtures.ts';

const shipped = shippedText('routing.yaml');

function withUpgrade(upgrade: string): string {
  const start = shipped.indexOf('upgrade:');
  return `${shipped.slice(0, start)}${upgrade}`;
}

function problems(text: string): string {
  try {
    parseRoutingConfig(text, 'config/routing.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return formatDiagnostics(error.diagnostics);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the shipped routing config', () => {
  const { config } = shippedConfig();

  it('holds the default constraints per category', () => {
    expect(config.categories).toEqual({
      FAST: { minQuality: 0.6, maxCostMicroUsd: 2_000, slaMs: 1_000, tiers: [1] },
      NORMAL: { minQuality: 0.7, maxCostMicroUsd: 50_000, slaMs: 5_000, tiers: [1, 2] },
      COMPLEX: { minQuality: 0.75, maxCostMicroUsd: 150_000, slaMs: 20_000, tiers: [2, 3] },
      HIGH_COMPLEX: { minQuality: 0.8, maxCostMicroUsd: 850_000, slaMs: 60_000, tiers: [3, 4] },
    });
    expect(config.mode).toBe('on');
  });

  it('reads the upgrade chain with tier aliases', () => {
    expect(config.upgrade.next).toEqual([undefined, 2, 3, 4, undefined]);
    expect(config.upgrade.maxUpgrades).toBe(3);
    expect(config.throttle).toEqual({ WARNING: 4, SOFT: 3, HARD: 2, CRITICAL: 1 });
  });
});

describe('upgrade chain checks', () => {
  it('rejects a cyclic chain and names the loop', () => {
    expect(
      problems(withUpgrade('upgrade:\n  next: { weak: base, base: 3, 3: base }\n  maxUpgrades: 3\n')),
    ).toMatchInlineSnapshot(`
      "config/routing.yaml:76:32 error CONFIG_INVALID at upgrade.next["3"]
        the upgrade chain loops: 3 -> 2 -> 3
        hint: each step must lead towards a final tier with no \`next\`; remove one step of the loop"
    `);
  });

  it('rejects a tier that upgrades to itself', () => {
    expect(
      problems(withUpgrade('upgrade:\n  next: { strong: 4 }\n  maxUpgrades: 1\n')),
    ).toMatchInlineSnapshot(`
      "config/routing.yaml:76:11 error CONFIG_INVALID at upgrade.next.strong
        the upgrade chain loops: 4 -> 4
        hint: each step must lead towards a final tier with no \`next\`; remove one step of the loop"
    `);
  });

  it('rejects an unbounded number of upgrades', () => {
    expect(
      problems(withUpgrade('upgrade:\n  next: { weak: base }\n  maxUpgrades: .inf\n')),
    ).toMatchInlineSnapshot(`
      "config/routing.yaml:77:16 error CONFIG_INVALID at upgrade.maxUpgrades
        expected an integer from 0 to 4, got .inf
        hint: an unbounded chain could retry forever; there are only five tiers to climb"
    `);
  });

  it('rejects keys that are no tier, and a tier written twice', () => {
    expect(
      problems(withUpgrade('upgrade:\n  next: { wek: base, 1: 3, weak: strong }\n  maxUpgrades: 2\n')),
    ).toMatchInlineSnapshot(`
      "config/routing.yaml:76:11 error CONFIG_INVALID at upgrade.next.wek
        expected a tier (0-4, weak, base or strong) as the key, got "wek"
        hint: did you mean "weak"?

      config/routing.yaml:76:28 error CONFIG_INVALID at upgrade.next.weak
        tier 1 is listed twice (as "1" and "weak")
        hint: weak, base and strong are the tiers 1, 2 and 4; keep one entry per tier"
    `);
  });

  it('accepts a chain that skips tiers', () => {
    const config = parseRoutingConfig(
      withUpgrade('upgrade:\n  next: { 1: 3 }\n  maxUpgrades: 1\n'),
      'r.yaml',
    );
    expect(config.upgrade.next).toEqual([undefined, 3, undefined, undefined, undefined]);
  });
});

describe('routing.yaml problems', () => {
  it('checks categories, thresholds and modes', () => {
    const text = shipped.replace('mode: on', 'mode: shadw').replace('HIGH_COMPLEX: {', 'HIGH_COMPLX: {');
    expect(problems(text)).toMatchInlineSnapshot(`
      "config/routing.yaml:6:7 error CONFIG_INVALID at mode
        expected one of "on" | "shadow" | "off", got "shadw"
        hint: did you mean "shadow"?

      config/routing.yaml:61:3 error CONFIG_INVALID at categories.HIGH_COMPLEX
        missing required key "HIGH_COMPLEX"

      config/routing.yaml:64:3 error CONFIG_UNKNOWN_KEY at categories.HIGH_COMPLX
        unknown key "HIGH_COMPLX"
        hint: did you mean "HIGH_COMPLEX"?"
    `);
  });

  it('wants the three-point threshold above the two-point one', () => {
    expect(
      problems(shipped.replace('threePointsFrom: 16000', 'threePointsFrom: 1000')),
    ).toMatchInlineSnapshot(`
      "config/routing.yaml:12:58 error CONFIG_INVALID at complexity.contextTokens.threePointsFrom
        expected more than twoPointsFrom (2000), got 1000"
    `);
  });
});

describe('resolveRoutingMode', () => {
  it.each([
    ['on', {}, 'on'],
    ['on', { TIERFLOW_ROUTING: 'off' }, 'off'],
    ['off', { TIERFLOW_ROUTING: 'shadow' }, 'shadow'],
    ['shadow', { TIERFLOW_ROUTING: ' ON ' }, 'on'],
    ['shadow', { TIERFLOW_ROUTING: '' }, 'shadow'],
  ] as const)('config %s with %o is %s', (configured, env, expected) => {
    expect(resolveRoutingMode(configured, env)).toBe(expected);
  });

  it('rejects an unknown value of TIERFLOW_ROUTING with a hint', () => {
    let error: unknown;
    try {
      resolveRoutingMode('on', { TIERFLOW_ROUTING: 'shdow' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OrchestratorError);
    expect([(error as OrchestratorError).message, (error as OrchestratorError).hint]).toMatchInlineSnapshot(`
      [
        "TIERFLOW_ROUTING="shdow" is not a routing mode; expected "on" | "shadow" | "off"",
        "did you mean "shadow"?",
      ]
    `);
  });
});

describe('a partial routing.yaml', () => {
  it('takes every key it leaves out from the shipped file', () => {
    const config = parseRoutingConfig('mode: shadow\n', 'my/routing.yaml', shipped);
    expect(config.mode).toBe('shadow');
    expect(config).toEqual({ ...shippedConfig().config, mode: 'shadow' });
  });

  it('merges mappings key by key', () => {
    const config = parseRoutingConfig(
      'categories:\n  FAST: { minQuality: 0.65 }\n',
      'my/routing.yaml',
      shipped,
    );
    expect(config.categories.FAST).toEqual({
      minQuality: 0.65,
      maxCostMicroUsd: 2_000,
      slaMs: 1_000,
      tiers: [1],
    });
    expect(config.categories.NORMAL.minQuality).toBe(0.7);
  });

  it('replaces the upgrade chain as a whole', () => {
    const config = parseRoutingConfig('upgrade:\n  next: { weak: strong }\n', 'my/routing.yaml', shipped);
    expect(config.upgrade.next).toEqual([undefined, 4, undefined, undefined, undefined]);
    expect(config.upgrade.maxUpgrades).toBe(3);
  });

  it('reports problems at their place in the partial file', () => {
    let text = '';
    try {
      parseRoutingConfig(
        '# mine\ncategories:\n  FAST: { minQuality: 2, slaMS: 10 }\n',
        'my/routing.yaml',
        shipped,
      );
    } catch (error) {
      text = formatDiagnostics((error as ConfigError).diagnostics);
    }
    expect(text).toMatchInlineSnapshot(`
      "my/routing.yaml:3:23 error CONFIG_INVALID at categories.FAST.minQuality
        expected a number at most 1, got 2

      my/routing.yaml:3:26 error CONFIG_UNKNOWN_KEY at categories.FAST.slaMS
        unknown key "slaMS"
        hint: did you mean "slaMs"?"
    `);
  });

  it('is merged over the shipped file when loaded from a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tierflow-routing-'));
    writeFileSync(join(dir, 'routing.yaml'), 'throttle: { HARD: weak }\n');
    const config = await loadRoutingConfig(dir);
    expect(config.throttle).toEqual({ WARNING: 4, SOFT: 3, HARD: 1, CRITICAL: 1 });
    expect((await loadRoutingConfig(bundledConfigDir)).throttle.HARD).toBe(2);
  });
});

describe('upgrade.skipOn', () => {
  it('accepts only error codes, and names the nearest one for a typo', () => {
    expect(
      problems(
        withUpgrade('upgrade:\n  next: { weak: base }\n  maxUpgrades: 3\n  skipOn: [PROVIDER_AUTHH]\n'),
      ),
    ).toMatchInlineSnapshot(`
      "config/routing.yaml:78:12 error CONFIG_INVALID at upgrade.skipOn[0]
        expected one of 60 values, such as "CONFIG_NOT_FOUND" | "CONFIG_INVALID" | "CONFIG_UNKNOWN_KEY" | "YAML_SYNTAX", got "PROVIDER_AUTHH"
        hint: did you mean "PROVIDER_AUTH"?"
    `);
  });
});
