export * from './bus.ts';
export * from './events.ts';
export * from './jsonl-sink.ts';
export * from './reply.ts';
export * from './vocabulary.ts';
