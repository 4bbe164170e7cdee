// Real workerd: D1 queries through the env of an instrumented handler are
// CLIENT spans with the database conventions, the SQL recorded with every
// literal replaced by `?` and bound values never read: none of the values
// (bound or written into the SQL) appears anywhere in the exported spans.
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredSpan } from '../../demo/collector/collector.mjs';
import { bindingsWorker, callRoute } from './support/bindings.js';

const running = bindingsWorker();
const pick = (s: StoredSpan) => ({ name: s.name, kind: s.kind, status: s.status?.code ?? 0, attributes: s.attributesMap });
const d1 = (op: string, sql: string, more: object = {}) => ({ 'db.system.name': 'cloudflare.d1', 'db.operation.name': op, 'db.namespace': 'DB', 'db.query.text': sql, ...more });
const SECRETS = ['alice@secret.example', 'bob@secret.example', 'secret.example', '47110815', '31337313', '86753090'];
let setup: Awaited<ReturnType<typeof callRoute>>;

beforeAll(async () => {
  setup = await callRoute(running, 'd1-setup', 2);
});

describe('D1', () => {
  it('exec and a bound run: spans with the SQL and the rows written, the result unchanged', () => {
    expect(setup.body).toBe('1');
    expect(setup.children.map(pick)).toEqual([
      { name: 'D1 exec', kind: 3, status: 0, attributes: d1('exec', 'CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT, age INTEGER)') },
      {
        name: 'D1 run',
        kind: 3,
        status: 0,
        attributes: d1('run', 'INSERT INTO users (email, age) VALUES (?, ?)', { 'db.response.returned_rows': 0, 'cloudflare.d1.response.rows_read': 0, 'cloudflare.d1.response.rows_written': 1 }),
      },
    ]);
    for (const secret of SECRETS) expect(JSON.stringify(setup.all)).not.toContain(secret);
  });

  it('first, all, raw of a bound statement and a query with literals in its SQL: the results unchanged, the SQL without any value', async () => {
    const { body, children, all } = await callRoute(running, 'd1-queries', 4);
    expect(JSON.parse(body)).toEqual({
      first: { email: 'alice@secret.example', age: 47110815 },
      all: [{ email: 'alice@secret.example', age: 47110815 }],
      raw: [['alice@secret.example', 47110815]],
      inlined: 1,
    });
    const sql = 'SELECT email, age FROM users WHERE email = ?1 AND age > ?2';
    const counts = { 'db.response.returned_rows': 1, 'cloudflare.d1.response.rows_read': 1, 'cloudflare.d1.response.rows_written': 0 };
    expect(children.map(pick)).toEqual([
      { name: 'D1 first', kind: 3, status: 0, attributes: d1('first', sql, { 'db.response.returned_rows': 1 }) },
      { name: 'D1 all', kind: 3, status: 0, attributes: d1('all', sql, counts) },
      { name: 'D1 raw', kind: 3, status: 0, attributes: d1('raw', sql, { 'db.response.returned_rows': 1 }) },
      { name: 'D1 all', kind: 3, status: 0, attributes: d1('all', 'SELECT id FROM users WHERE email = ? AND age = ?', counts) },
    ]);
    const exported = JSON.stringify(all);
    for (const secret of SECRETS) expect(exported).not.toContain(secret);
  });

  it('a batch is one span over the statements D1 made (the batch still works), its size and summed rows; no bound value', async () => {
    const { body, children, all } = await callRoute(running, 'd1-batch', 1);
    expect(JSON.parse(body)).toEqual([[], [{ n: 2 }]]);
    expect(children.map(pick)).toEqual([
      {
        name: 'D1 batch',
        kind: 3,
        status: 0,
        attributes: d1('batch', 'INSERT INTO users (email, age) VALUES (?, ?); SELECT count(*) AS n FROM users', {
          'db.operation.batch.size': 2,
          'db.response.returned_rows': 1,
          'cloudflare.d1.response.rows_read': 2,
          'cloudflare.d1.response.rows_written': 1,
        }),
      },
    ]);
    const exported = JSON.stringify(all);
    for (const secret of SECRETS) expect(exported).not.toContain(secret);
  });

  it('a session\'s queries and batch are spans too; its bookmark still works', async () => {
    const { body, children } = await callRoute(running, 'd1-session', 2);
    expect(JSON.parse(body)).toEqual({ n: 2, one: 1, bookmark: 'string' });
    expect(children.map(pick)).toEqual([
      { name: 'D1 first', kind: 3, status: 0, attributes: d1('first', 'SELECT count(*) AS n FROM users', { 'db.response.returned_rows': 1 }) },
      { name: 'D1 batch', kind: 3, status: 0, attributes: d1('batch', 'SELECT ? AS one', { 'db.response.returned_rows': 1, 'cloudflare.d1.response.rows_read': 0, 'cloudflare.d1.response.rows_written': 0 }) },
    ]);
  });

  it('a query D1 rejects is an ERROR span, and the Worker gets D1\'s own error', async () => {
    const { body, children } = await callRoute(running, 'd1-bad', 1);
    expect(JSON.parse(body)).toEqual({ error: 'Error: D1_ERROR: no such table: no_such_table: SQLITE_ERROR' });
    expect(children.map(pick)).toEqual([{ name: 'D1 all', kind: 3, status: 2, attributes: d1('all', 'SELECT * FROM no_such_table WHERE x = ?', { 'error.type': 'Error' }) }]);
  });
});
