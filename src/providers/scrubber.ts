const redacted = '[REDACTED]';
/** Shorter values are not scrubbed: they would match ordinary text. */
const minimumLength = 8;
/** Credentials in URLs and headers, whatever their value. */
const credentialPatterns: readonly RegExp[] = [
  /([?&](?:key|api[_-]?key|apikey|token|access[_-]?token|auth|signature|sig)=)[^&#\s"'<>]+/gi,
  /(\bauthorization["']?\s*[:=]\s*["']?(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  // Case-sensitive and long, so prose such as "a Bearer of news" is left alone.
  /(\bBearer\s+)[A-Za-z0-9._~+/-]{16,}=*/g,
  /(\/\/[^/\s:@]+:)[^@\s/]+(@)/g,
];

/** Removes known secret values, in every form they may take, from text and structured values. */
export type Scrubber = {
  /** Registers a value to remove: as written, URL-encoded and base64 (any alignment). */
  add: (secret: string) => void;
  scrub: (text: string) => string;
  /** A deep copy with every string scrubbed; for log objects and error details. */
  scrubValue: <T>(value: T) => T;
  /** The forms searched for; tests scan output for them. */
  forms: () => readonly string[];
};

/** Creates a scrubber for the given secret values (more may be added later). */
export function createScrubber(secrets: readonly string[] = []): Scrubber {
  const known = new Set<string>();
  let sorted: string[] = [];

  const add = (secret: string) => {
    if (secret.length < minimumLength) return;
    for (const form of formsOf(secret)) known.add(form);
    // Longest first, so a value is removed before any shorter fragment of it.
    sorted = [...known].sort((left, right) => right.length - left.length);
  };

  const scrub = (text: string): string => {
    let result = text;
    for (const form of sorted) if (result.includes(form)) result = result.split(form).join(redacted);
    for (const pattern of credentialPatterns)
      result = result.replace(
        pattern,
        (_match, head: string, tail?: string) => `${head}${redacted}${typeof tail === 'string' ? tail : ''}`,
      );
    return result;
  };

  const scrubValue = <T>(value: T): T => deepScrub(value, scrub, new WeakMap()) as T;

  for (const secret of secrets) add(secret);
  return { add, scrub, scrubValue, forms: () => [...known] };
}

/** The forms a secret takes on the wire: raw, URL-encoded, and base64 at each of the 3 byte alignments. */
export function formsOf(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret)];
  for (const padding of [0, 1, 2]) {
    const bytes = Buffer.concat([Buffer.alloc(padding, 0x20), Buffer.from(secret, 'utf8')]);
    const fullGroups = Math.floor(bytes.length / 3);
    const encoded = bytes.subarray(0, fullGroups * 3).toString('base64');
    // Characters of the first group mix padding bits with the secret's; keep only the secret's own.
    const fragment = padding === 0 ? encoded : encoded.slice(4);
    if (fragment.length >= minimumLength)
      forms.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(forms)];
}

function deepScrub(value: unknown, scrub: (text: string) => string, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return scrub(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(deepScrub(item, scrub, seen));
    return copy;
  }
  if (value instanceof Error) {
    const copy = { name: value.name, message: scrub(value.message) };
    seen.set(value, copy);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) copy[key] = deepScrub(item, scrub, seen);
  return copy;
}
