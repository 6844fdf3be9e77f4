import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OrchestratorError } from '../../src/errors.ts';
import { createSecret, isSecret } from '../../src/providers/secret.ts';

const value = 'sk-secret-value-0123456789';

describe('createSecret', () => {
  it.each([
    ['JSON.stringify', (secret: object) => JSON.stringify({ apiKey: secret })],
    ['util.inspect', (secret: object) => inspect({ apiKey: secret }, { depth: 5, showHidden: true })],
    ['String()', (secret: object) => String(secret)],
    ['a template literal', (secret: object) => `key=${secret}`],
    ['string concatenation', (secret: object) => 'key=' + secret],
    [
      'an error message',
      (secret: object) => new OrchestratorError('PROVIDER_AUTH', `bad key ${secret}`).message,
    ],
    [
      'an error serialised',
      (secret: object) => JSON.stringify(new OrchestratorError('PROVIDER_AUTH', `bad key ${secret}`)),
    ],
  ])('prints [REDACTED] through %s', (_how, print) => {
    const printed = print(createSecret(value));
    expect(printed).not.toContain(value);
    expect(printed).toContain('[REDACTED]');
  });

  it('keeps the value out of every property, so copies and entries cannot reach it', () => {
    const secret = createSecret(value);
    expect(inspect({ ...secret }, { showHidden: true })).not.toContain(value);
    expect(JSON.stringify(Object.entries(secret))).not.toContain(value);
    expect(Object.isFrozen(secret)).toBe(true);
  });

  it('gives the value only to reveal()', () => {
    const secret = createSecret(value);
    expect(secret.reveal()).toBe(value);
    expect(isSecret(secret)).toBe(true);
    expect(isSecret({ reveal: () => value })).toBe(false);
  });
});
