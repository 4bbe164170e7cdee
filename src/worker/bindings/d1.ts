import type { Context } from '../../core/context.js';
import type { Attributes, Span } from '../../core/types.js';
import { bindingCall, declaresAll, wrapMethods, type BindingWrapper } from './call.js';

/**
 * D1 (workerd's D1Database: prepare(...).bind(...).first/all/run/raw, batch,
 * exec, withSession(...) with its own prepare and batch). Each query is a
 * CLIENT span `D1 <method>` with the database client conventions
 * (https://opentelemetry.io/docs/specs/semconv/database/database-spans/):
 * - `db.system.name`: `cloudflare.d1`. D1 speaks SQLite's SQL, but the
 *   registry's `sqlite` is the embedded library; D1 is a service (replicas,
 *   sessions, its own limits and errors), named like the registry's vendor
 *   services (`gcp.spanner`, `aws.dynamodb`). workerd's own D1 spans say `cloudflare-d1`.
 * - `db.operation.name`: the method (`all`, `first`, `run`, `raw`, `exec`,
 *   `batch`: "some other database system specific term" for a batch).
 * - `db.query.text`: the statement with every literal replaced by `?`
 *   (`sanitizeSql`), so neither bound values (never read) nor values written
 *   into the SQL reach a span ("db.query.text" and its sanitization,
 *   https://opentelemetry.io/docs/specs/semconv/database/database-spans/#sanitization-of-dbquerytext).
 * - `db.namespace`: the binding's env key (the database's name is not visible).
 * - from the result's meta, when the method returns it: `db.response.returned_rows`,
 *   `cloudflare.d1.response.rows_read`, `cloudflare.d1.response.rows_written`.
 */
export const d1: BindingWrapper = (db, call, name) => (declaresAll(db, 'prepare batch exec') ? database(db, call, name) : undefined);

/** A statement wrapper -> the statement D1 made, so `batch` gets D1's own objects. */
const statements = new WeakMap<object, object>();

function database(db: object, call: () => Context, name: string | undefined): object {
  const query = (method: string, sql: string | undefined, run: () => unknown, extra?: Attributes) =>
    bindingCall(call(), `D1 ${method}`, { 'db.system.name': 'cloudflare.d1', 'db.operation.name': method, 'db.namespace': name, 'db.query.text': sql, ...extra }, run, (result, span) => rows(method, result, span));
  const statement = (s: unknown): unknown =>
    s && typeof s === 'object'
      ? remember(
          s,
          wrapMethods(s, 'bind first all run raw', (method, _args, run) =>
            method === 'bind' ? statement(run()) : query(method, sanitizeSql(Reflect.get(s, 'statement')), run),
          ),
        )
      : s;
  const session = (target: object): object =>
    wrapMethods(target, 'prepare batch exec withSession', (method, args, run) => {
      if (method === 'prepare') return statement(run());
      if (method === 'withSession') return session(run() as object);
      if (method === 'exec') return query('exec', sanitizeSql(args[0]), run);
      // batch: D1's own statements, one span for them all.
      const list = Array.isArray(args[0]) ? (args[0] as object[]) : [];
      const texts = [...new Set(list.map((s) => sanitizeSql(Reflect.get(statements.get(s) ?? s, 'statement'))))];
      // "db.operation.batch.size: ... Operations are only considered batches when they contain two or more operations."
      const size = list.length > 1 ? { 'db.operation.batch.size': list.length } : undefined;
      return query('batch', texts.join('; '), () => Reflect.apply(Reflect.get(target, 'batch') as Function, target, [list.map((s) => statements.get(s) ?? s), ...args.slice(1)]), size);
    });
  return session(db);
}

function remember(raw: object, wrapper: object): object {
  statements.set(wrapper, raw);
  return wrapper;
}

/** Rows returned, read and written, from what the method returned (never its rows themselves). */
function rows(method: string, result: unknown, span: Span): void {
  if (method === 'first') return void span.setAttribute('db.response.returned_rows', result == null ? 0 : 1);
  if (method === 'raw') return void span.setAttribute('db.response.returned_rows', (result as unknown[] | undefined)?.length);
  const results = (method === 'batch' ? result : [result]) as { results?: unknown[]; meta?: { rows_read?: number; rows_written?: number } }[];
  let returned = 0;
  let read = 0;
  let written = 0;
  for (const r of results) {
    returned += r?.results?.length ?? 0;
    read += r?.meta?.rows_read ?? 0;
    written += r?.meta?.rows_written ?? 0;
  }
  if (method === 'exec') return;
  span.setAttributes({ 'db.response.returned_rows': returned, 'cloudflare.d1.response.rows_read': read, 'cloudflare.d1.response.rows_written': written });
}

/**
 * `sql` with comments dropped and every literal (a quoted string, a blob
 * `X'..'`, a number) replaced by `?`; placeholders (`?`, `?1`, `:name`,
 * `@name`, `$name`) and identifiers (double-quoted ones too) stay.
 * undefined for anything but a string.
 */
export function sanitizeSql(sql: unknown): string | undefined {
  if (typeof sql !== 'string') return undefined;
  return sql
    .replace(/--[^\n]*|\/\*[\s\S]*?\*\/|([?:@$]\w*|"(?:[^"]|"")*")|[xX]?'(?:[^']|'')*'|\b0[xX][\da-fA-F]+|\b\d+(?:\.\d*)?(?:[eE][+-]?\d+)?/g, (m, keep?: string) =>
      keep ?? (m[0] === '-' || m[0] === '/' ? '' : '?'),
    )
    .trim();
}
