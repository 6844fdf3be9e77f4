export * from './database.ts';
export * from './migrations.ts';
export * from './open.ts';
export * from './state-path.ts';
