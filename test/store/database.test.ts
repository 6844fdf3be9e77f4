import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OrchestratorError } from '../../src/errors.ts';
import {
  defaultStatePath,
  type Migration,
  openStateDatabase,
  resolveStatePath,
  stateMigrations,
} from '../../src/store/index.ts';

const directory = mkdtempSync(join(tmpdir(), 'tierflow-store-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const file = (name: string) => join(directory, name, 'state.db');

const extra: Migration[] = [
  ...stateMigrations,
  {
    version: stateMigrations.length + 1,
    name: 'test-notes',
    sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)',
  },
];

describe('openStateDatabase', () => {
  it('creates the directory, switches to WAL and applies every migration once', () => {
    const path = file('fresh');
    const db = openStateDatabase(path);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.schemaVersion()).toBe(stateMigrations.length);
    db.close();
    const again = openStateDatabase(path, { migrations: extra });
    expect(again.schemaVersion()).toBe(stateMigrations.length + 1);
    const applied = again.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(extra.map(({ version, name }) => ({ version, name })));
    again.close();
  });

  // Own migration lists, so that these messages do not change when tierflow adds a migration.
  const one: Migration[] = [{ version: 1, name: 'first', sql: 'CREATE TABLE a (id INTEGER)' }];
  const two: Migration[] = [...one, { version: 2, name: 'second', sql: 'CREATE TABLE b (id INTEGER)' }];

  it('refuses a database written by a newer tierflow', () => {
    const path = file('newer');
    openStateDatabase(path, { migrations: two }).close();
    const error = catchError(() => openStateDatabase(path, { migrations: one }));
    expect(error.code).toBe('STATE_FAILED');
    expect(error.message.replace(path, '<path>')).toMatchInlineSnapshot(
      `"State database "<path>" has schema version 2, newer than this tierflow knows (1)."`,
    );
  });

  it('refuses a database whose applied migration has another name', () => {
    const path = file('renamed');
    openStateDatabase(path, { migrations: two }).close();
    const renamed = two.map((migration) =>
      migration.version === 2 ? { ...migration, name: 'other' } : migration,
    );
    const error = catchError(() => openStateDatabase(path, { migrations: renamed }));
    expect(error.message.replace(path, '<path>')).toMatchInlineSnapshot(
      `"State database "<path>" applied migration 2 as "second", but this tierflow calls it "other"."`,
    );
  });

  it('rejects migrations that are not numbered 1, 2, 3, ...', () => {
    const gap = [...one, { version: 5, name: 'gap', sql: 'SELECT 1' }];
    expect(
      catchError(() => openStateDatabase(':memory:', { migrations: gap })).message,
    ).toMatchInlineSnapshot(`"Migration "gap" has version 5; expected 2 (versions run 1, 2, 3, ...)."`);
  });

  it('names the file and suggests --state when it cannot be opened', () => {
    const blocker = join(directory, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const path = join(blocker, 'state.db');
    const error = catchError(() => openStateDatabase(path));
    expect(error.code).toBe('STATE_FAILED');
    expect(error.message).toContain(`State database "${path}" cannot be opened`);
    expect(error.hint).toMatchInlineSnapshot(
      `"Check that the directory is writable, or point --state (or TIERFLOW_STATE) at another file."`,
    );
  });
});

describe('transaction', () => {
  it('commits, rolls back on a throw, and nests as a savepoint', () => {
    const db = openStateDatabase(':memory:', { migrations: extra });
    const insert = db.prepare('INSERT INTO notes (text) VALUES (?)');
    db.transaction(() => insert.run('kept'));
    expect(() =>
      db.transaction(() => {
        insert.run('lost');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    db.transaction(() => {
      insert.run('outer');
      expect(() =>
        db.transaction(() => {
          insert.run('inner, lost');
          throw new Error('inner');
        }),
      ).toThrow('inner');
      db.transaction(() => insert.run('inner, kept'));
    });
    expect(
      db
        .prepare('SELECT text FROM notes ORDER BY id')
        .all()
        .map((row) => row.text),
    ).toEqual(['kept', 'outer', 'inner, kept']);
    db.close();
  });

  it('takes the write lock up front, so a second process waits instead of failing', () => {
    const path = file('locking');
    const first = openStateDatabase(path, { migrations: extra });
    const second = openStateDatabase(path, { migrations: extra, busyTimeoutMs: 50 });
    first.transaction(() => {
      first.prepare('INSERT INTO notes (text) VALUES (?)').run('first');
      // The other writer cannot start while this transaction holds the lock; it times out.
      expect(() => second.transaction(() => undefined)).toThrow(/locked|busy/i);
    });
    second.transaction(() => second.prepare('INSERT INTO notes (text) VALUES (?)').run('second'));
    expect(first.prepare('SELECT COUNT(*) AS count FROM notes').get()).toEqual({ count: 2 });
    first.close();
    second.close();
  });
});

describe('resolveStatePath', () => {
  it.each([
    [{ flag: 'a.db', env: { TIERFLOW_STATE: 'b.db' }, config: 'c.db' }, 'a.db'],
    [{ env: { TIERFLOW_STATE: 'b.db' }, config: 'c.db' }, 'b.db'],
    [{ env: {}, config: 'c.db' }, 'c.db'],
    [{ flag: '  ', env: { TIERFLOW_STATE: '' } }, defaultStatePath],
    [{ env: {} }, '.tierflow/state.db'],
  ])('%j -> %s', (sources, expected) => {
    expect(resolveStatePath(sources)).toBe(expected);
  });
});

function catchError(work: () => unknown): OrchestratorError {
  try {
    work();
  } catch (error) {
    if (error instanceof OrchestratorError) return error;
    throw error;
  }
  throw new Error('expected an OrchestratorError');
}
