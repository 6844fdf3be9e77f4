import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Dispose, EventBus } from './bus.ts';
import { type EventPayload, type EventType, eventSchemas } from './events.ts';

export type JsonlSinkOptions = {
  /** @default Date.now */
  now?: () => number;
  /** Applied to each line before it is written, e.g. a secret scrubber. */
  transform?: (line: string) => string;
};

/** A sink that appends every event to a file as one JSON line `{type, at, ...payload}`. */
export type JsonlSink = { close: Dispose };

/**
 * Subscribes a JSONL writer to every event. Each payload is checked against its schema first (this
 * is a boundary), so a malformed event is reported as SUBSCRIBER_FAILED instead of being written.
 */
export function createJsonlSink(bus: EventBus, file: string, options: JsonlSinkOptions = {}): JsonlSink {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a');
  const now = options.now ?? Date.now;
  let open = true;
  const dispose = bus.onAny(
    <T extends EventType>(type: T, event: EventPayload<T>) => {
      if (!open) return;
      const checked = eventSchemas[type].parse(event) as object;
      const line = `${JSON.stringify({ type, at: now(), ...checked })}\n`;
      writeSync(fd, options.transform === undefined ? line : options.transform(line));
    },
    { name: 'jsonl-sink' },
  );
  return {
    close: () => {
      if (!open) return;
      open = false;
      dispose();
      closeSync(fd);
    },
  };
}
