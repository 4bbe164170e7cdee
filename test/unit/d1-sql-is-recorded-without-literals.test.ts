// db.query.text for D1: every literal replaced by `?`, comments dropped,
// placeholders and identifiers kept (semconv, sanitization of db.query.text:
// https://opentelemetry.io/docs/specs/semconv/database/database-spans/#sanitization-of-dbquerytext).
import { describe, expect, it } from 'vitest';
import { sanitizeSql } from '../../src/worker/bindings/d1.js';

describe('sanitizeSql', () => {
  it.each([
    ["SELECT * FROM users WHERE email = 'a@b.example' AND age = 42", 'SELECT * FROM users WHERE email = ? AND age = ?'],
    ["INSERT INTO t (s) VALUES ('it''s -- not a comment')", 'INSERT INTO t (s) VALUES (?)'],
    ["SELECT x'DEADBEEF', 0x1F, 3.14, 1e10, .5", 'SELECT ?, ?, ?, ?, .?'],
    ['SELECT "weird ""col""", t1.c2 FROM t1 WHERE a = ?1 AND b = :name AND c = @p AND d = $v AND e = ?', 'SELECT "weird ""col""", t1.c2 FROM t1 WHERE a = ?1 AND b = :name AND c = @p AND d = $v AND e = ?'],
    ["SELECT 1 -- the secret 'x'\nFROM t /* 99 */ WHERE id = 7", 'SELECT ? \nFROM t  WHERE id = ?'],
    ['SELECT count(*) AS n FROM users', 'SELECT count(*) AS n FROM users'],
  ])('%s', (sql, expected) => {
    expect(sanitizeSql(sql)).toBe(expected);
  });

  it('anything but a string is no query text', () => {
    expect(sanitizeSql(undefined)).toBeUndefined();
    expect(sanitizeSql(42)).toBeUndefined();
  });
});
