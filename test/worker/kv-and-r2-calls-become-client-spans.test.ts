// Real workerd: KV and R2 calls through the env of an instrumented handler are
// CLIENT spans, children of the request's SERVER span in its trace, ERROR when
// the call rejects, with what the binding returned (an R2 body, a KV stream)
// reaching the Worker untouched. Keys and values never reach a span.
import { describe, expect, it } from 'vitest';
import type { StoredSpan } from '../../demo/collector/collector.mjs';
import { bindingsWorker, callRoute } from './support/bindings.js';

const running = bindingsWorker();
const pick = (s: StoredSpan) => ({ name: s.name, kind: s.kind, status: s.status?.code ?? 0, attributes: s.attributesMap });
const kv = (op: string, more: object = {}) => ({ 'db.system.name': 'cloudflare.kv', 'db.operation.name': op, 'db.namespace': 'KV', ...more });
const r2 = (op: string, more: object = {}) => ({ 'db.system.name': 'cloudflare.r2', 'db.operation.name': op, 'db.namespace': 'R2', ...more });
/** Every exported span of these routes, as JSON. */
const exportedBy = async (...routes: [string, number][]) => {
  let all = '';
  for (const [route, count] of routes) all += JSON.stringify((await callRoute(running, route, count)).all);
  return all;
};

describe('KV', () => {
  it('put, get (found and not), getWithMetadata, list, delete: one CLIENT span each under the request span, results unchanged', async () => {
    const put = await callRoute(running, 'kv-put', 1);
    expect(JSON.parse(put.body)).toEqual({});
    expect(put.children.map(pick)).toEqual([{ name: 'KV put', kind: 3, status: 0, attributes: kv('put') }]);

    const get = await callRoute(running, 'kv-get', 2);
    expect(JSON.parse(get.body)).toEqual({ hit: 'secret-value-kv', miss: null });
    expect(get.children.map(pick)).toEqual([
      { name: 'KV get', kind: 3, status: 0, attributes: kv('get', { 'db.response.returned_rows': 1 }) },
      { name: 'KV get', kind: 3, status: 0, attributes: kv('get', { 'db.response.returned_rows': 0 }) },
    ]);

    const meta = await callRoute(running, 'kv-get-with-metadata', 1);
    expect(JSON.parse(meta.body)).toEqual({ value: 'secret-value-kv', metadata: { m: 1 } });
    expect(meta.children.map(pick)).toEqual([{ name: 'KV getWithMetadata', kind: 3, status: 0, attributes: kv('getWithMetadata', { 'db.response.returned_rows': 1 }) }]);

    const list = await callRoute(running, 'kv-list', 1);
    expect(JSON.parse(list.body)).toEqual(['user:1']);
    expect(list.children.map(pick)).toEqual([{ name: 'KV list', kind: 3, status: 0, attributes: kv('list', { 'db.response.returned_rows': 1 }) }]);

    const del = await callRoute(running, 'kv-delete', 1);
    expect(del.children.map(pick)).toEqual([{ name: 'KV delete', kind: 3, status: 0, attributes: kv('delete') }]);
  });

  it('a put the binding rejects (an empty key) is an ERROR span, and the Worker gets the binding\'s own error', async () => {
    const { body, children } = await callRoute(running, 'kv-put-bad', 1);
    expect(JSON.parse(body)).toEqual({ error: 'TypeError: Key name cannot be empty.' });
    expect(children.map(pick)).toEqual([{ name: 'KV put', kind: 3, status: 2, attributes: kv('put', { 'error.type': 'TypeError' }) }]);
    expect(children[0]!.events?.map((e) => e.name)).toEqual(['exception']);
  });

  it('a get of type "stream" hands the stream to the response unread', async () => {
    const { body, children } = await callRoute(running, 'kv-stream', 2);
    expect(body).toBe('streamed-kv-body');
    expect(children.map((s) => s.name)).toEqual(['KV put', 'KV get']);
  });

  it('keys and values appear in no exported span', async () => {
    const exported = await exportedBy(['kv-put', 1], ['kv-get', 2], ['kv-get-with-metadata', 1], ['kv-list', 1], ['kv-delete', 1]);
    expect(exported).toContain('KV getWithMetadata');
    for (const secret of ['secret-value-kv', 'user:1', 'nobody']) expect(exported).not.toContain(secret);
  });
});

describe('R2', () => {
  it('put, head (found and not), list, delete: CLIENT spans under the request span, results unchanged', async () => {
    const put = await callRoute(running, 'r2-put', 1);
    expect(JSON.parse(put.body)).toEqual({ key: 'photos/cat.txt', size: 15 });
    expect(put.children.map(pick)).toEqual([{ name: 'R2 put', kind: 3, status: 0, attributes: r2('put') }]);

    const head = await callRoute(running, 'r2-head', 2);
    expect(JSON.parse(head.body)).toEqual({ found: 15, missing: null });
    expect(head.children.map(pick)).toEqual([
      { name: 'R2 head', kind: 3, status: 0, attributes: r2('head', { 'db.response.returned_rows': 1 }) },
      { name: 'R2 head', kind: 3, status: 0, attributes: r2('head', { 'db.response.returned_rows': 0 }) },
    ]);

    const list = await callRoute(running, 'r2-list', 1);
    expect(JSON.parse(list.body)).toEqual(['photos/cat.txt']);
    expect(list.children.map(pick)).toEqual([{ name: 'R2 list', kind: 3, status: 0, attributes: r2('list', { 'db.response.returned_rows': 1 }) }]);
  });

  it('a get\'s body is streamed to the response, unread by tracelet (bodyUsed false when handed over)', async () => {
    await callRoute(running, 'r2-put', 1);
    const { body, headers, children } = await callRoute(running, 'r2-get', 1);
    expect(body).toBe('secret-value-r2');
    expect(headers.get('x-body-used')).toBe('false');
    expect(headers.get('x-size')).toBe('15');
    expect(children.map(pick)).toEqual([{ name: 'R2 get', kind: 3, status: 0, attributes: r2('get', { 'db.response.returned_rows': 1 }) }]);
  });

  it('a get the binding rejects (a negative range) is an ERROR span with the binding\'s own error', async () => {
    const { body, children } = await callRoute(running, 'r2-bad', 1);
    expect(JSON.parse(body).error).toMatch(/^RangeError: Invalid range/);
    expect(children.map(pick)).toEqual([{ name: 'R2 get', kind: 3, status: 2, attributes: r2('get', { 'error.type': 'RangeError' }) }]);
  });

  it('a multipart upload: create, resume, uploadPart, complete and abort are spans; the upload still works', async () => {
    const { body, children } = await callRoute(running, 'r2-multipart', 7);
    expect(JSON.parse(body)).toEqual({ key: 'big.bin', back: 'multipart-secret', sameKey: true });
    expect(children.map(pick)).toEqual([
      { name: 'R2 createMultipartUpload', kind: 3, status: 0, attributes: r2('createMultipartUpload') },
      { name: 'R2 resumeMultipartUpload', kind: 3, status: 0, attributes: r2('resumeMultipartUpload') },
      { name: 'R2 uploadPart', kind: 3, status: 0, attributes: r2('uploadPart') },
      { name: 'R2 complete', kind: 3, status: 0, attributes: r2('complete') },
      { name: 'R2 createMultipartUpload', kind: 3, status: 0, attributes: r2('createMultipartUpload') },
      { name: 'R2 abort', kind: 3, status: 0, attributes: r2('abort') },
      { name: 'R2 get', kind: 3, status: 0, attributes: r2('get', { 'db.response.returned_rows': 1 }) },
    ]);
  });

  it('delete is a span; object keys and bodies appear in no exported span', async () => {
    const { children } = await callRoute(running, 'r2-delete', 1);
    expect(children.map(pick)).toEqual([{ name: 'R2 delete', kind: 3, status: 0, attributes: r2('delete') }]);
    const exported = await exportedBy(['r2-put', 1], ['r2-get', 1], ['r2-list', 1], ['r2-multipart', 7]);
    for (const secret of ['secret-value-r2', 'photos/cat.txt', 'cat.txt', 'big.bin', 'multipart-secret']) expect(exported).not.toContain(secret);
  });
});
