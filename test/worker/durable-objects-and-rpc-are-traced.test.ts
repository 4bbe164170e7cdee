// Real workerd: instrument(Class) for a Durable Object (`extends DurableObject`)
// and a WorkerEntrypoint, called by an instrumented fetch handler through env.
// Each entry into the object is a SERVER span (fetch, alarm, RPC method,
// WebSocket hibernation handlers); each RPC call on a stub or service binding
// is a CLIENT span; results, errors and `this` reach both sides unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector, type StoredSpan } from '../../demo/collector/collector.mjs';
import { startSite, type Site } from '../browser/support/servers.js';
import { consoleSentinel, expectEchoingWebSocket, startWorker } from './support/workerd.js';

let collector: Collector;
let origin: Site;
let worker: Miniflare;
const output: string[] = [];

beforeAll(async () => {
  [collector, origin] = await Promise.all([startCollector({ port: 0, print: false }), startSite()]);
  worker = await startWorker(
    'durable-objects.mjs',
    { OTEL_SERVICE_NAME: 'rooms', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl, ORIGIN_URL: origin.url },
    ['nodejs_compat'],
    output,
    {
      name: 'rooms',
      durableObjects: { ROOM: 'Room', ROOM_PLAIN: 'Room' },
      serviceBindings: { CALC: { name: 'rooms', entrypoint: 'Calculator' } },
    } as never,
  );
});
afterAll(async () => {
  await worker?.dispose();
  await Promise.all([collector?.close(), origin?.close()]);
});

const named = (spans: StoredSpan[], name: string) => spans.filter((s) => s.name === name);
const one = (spans: StoredSpan[], name: string) => {
  const found = named(spans, name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};

/**
 * Requests `path` on the worker; returns its answer, the spans of its trace
 * (the one whose root SERVER span has this path) once `until(trace, all)`
 * holds, and all spans received (spans of earlier tests may still arrive).
 */
async function call(path: string, until: (trace: StoredSpan[], all: StoredSpan[]) => boolean): Promise<{ body: unknown; spans: StoredSpan[]; all: StoredSpan[] }> {
  collector.clear();
  const res = await worker.dispatchFetch(`http://shop.test${path}`);
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  const traceOf = (all: StoredSpan[]) => {
    const root = all.find((x) => x.kind === 2 && !x.parentSpanId && x.attributesMap['url.path'] === path);
    return root ? all.filter((x) => x.traceId === root.traceId) : [];
  };
  const all = await collector.waitForSpans((all) => until(traceOf(all), all));
  return { body, spans: traceOf(all), all };
}

describe('RPC to a Durable Object', () => {
  it('a method with a result: CLIENT span in the caller, SERVER span in the object, one trace (propagateRpcTo)', async () => {
    const { body, spans } = await call('/add', (s) => named(s, 'Room/add').length > 0 && named(s, 'ROOM/add').length > 0 && named(s, 'GET').length > 0);
    expect(body).toBe(5);
    const request = one(spans, 'GET');
    const client = one(spans, 'ROOM/add');
    const server = one(spans, 'Room/add');
    expect(client).toMatchObject({ kind: 3, traceId: request.traceId, parentSpanId: request.spanId });
    expect(client.attributesMap).toMatchObject({ 'rpc.system.name': 'cloudflare_rpc', 'rpc.method': 'ROOM/add' });
    expect(server).toMatchObject({ kind: 2, traceId: request.traceId, parentSpanId: client.spanId, resource: { 'service.name': 'rooms' } });
    expect(server.attributesMap).toMatchObject({ 'rpc.system.name': 'cloudflare_rpc', 'rpc.method': 'Room/add', 'faas.trigger': 'other' });
    // add() calls this.sum(): the object calling itself is no entry.
    expect(named(spans, 'Room/sum')).toHaveLength(0);
  });

  it('the method sees its own arguments, with and without the context argument', async () => {
    const { body } = await call('/count', (_trace, all) => named(all, 'Room/count').length === 2);
    expect(body).toEqual([2, 2]);
  });

  it('without propagateRpcTo for the binding, the object span starts its own trace', async () => {
    const rootAdd = (all: StoredSpan[]) => all.find((x) => x.name === 'Room/add' && !x.parentSpanId);
    const { body, spans, all } = await call('/plain-add', (trace, all) => !!rootAdd(all) && named(trace, 'ROOM_PLAIN/add').length > 0);
    expect(body).toBe(5);
    const client = one(spans, 'ROOM_PLAIN/add');
    const server = rootAdd(all)!;
    expect(named(spans, 'Room/add')).toHaveLength(0);
    expect(client.attributesMap['rpc.method']).toMatch(/^ROOM_PLAIN\//);
    expect(server.parentSpanId ?? '').toBe('');
    expect(server.traceId).not.toBe(client.traceId);
  });

  it('a thrown error reaches the caller as the same class and message; both spans are ERROR', async () => {
    const { body, spans } = await call('/fail', (s) => named(s, 'Room/fail').length > 0 && named(s, 'ROOM/fail').length > 0);
    expect(body).toEqual(['RangeError', true, 'no such item']);
    for (const span of [one(spans, 'ROOM/fail'), one(spans, 'Room/fail')]) {
      expect(span.status).toMatchObject({ code: 2, message: 'no such item' });
      expect(span.events?.some((e) => e.name === 'exception')).toBe(true);
    }
  });

  it('a returned RpcTarget is a stub the caller can call, awaited or pipelined', async () => {
    expect((await call('/counter', (s) => named(s, 'Room/counter').length > 0)).body).toBe(2);
    expect((await call('/pipelined', (s) => named(s, 'Room/counter').length > 0)).body).toBe(1);
  });

  it('a property read through the stub (awaited) and a nested call (stub.a.b()) work as without tracelet', async () => {
    collector.clear();
    const res = await worker.dispatchFetch('http://shop.test/prop');
    expect([res.status, await res.text()]).toEqual([200, '"lobby room"']);
    const nested = await worker.dispatchFetch('http://shop.test/nested');
    expect([nested.status, await nested.text()]).toEqual([200, '42']);
  });

  it("the object's outbound fetch (global fetch, env given to it) is a child of its RPC span", async () => {
    const { body, spans } = await call('/lookup', (s) => named(s, 'Room/lookup').length > 0 && s.some((x) => x.kind === 3 && x.name === 'GET'));
    expect(body).toBe(200);
    const server = one(spans, 'Room/lookup');
    const outbound = spans.find((x) => x.kind === 3 && x.name === 'GET')!;
    expect(outbound).toMatchObject({ traceId: server.traceId, parentSpanId: server.spanId });
  });

  it("the object's env is traced: its RPC call through a service binding is a CLIENT span, a child of its entry", async () => {
    const { body, spans } = await call('/relay', (trace) => named(trace, 'Room/relay').length > 0 && named(trace, 'CALC/multiply').length > 0);
    expect(body).toBe(12);
    const relay = one(spans, 'Room/relay');
    expect(one(spans, 'CALC/multiply')).toMatchObject({ kind: 3, parentSpanId: relay.spanId, resource: { 'service.name': 'rooms' } });
  });

  it('this, ctx.storage, env, instanceof, name and static members are those of the class', async () => {
    const { body } = await call('/check', (s) => named(s, 'Room/check').length > 0);
    expect(body).toEqual({ instance: true, constructorName: 'Room', storage: 'function', namespace: 'function', name: 'Room', kind: 'room', describe: 'a room', extends: true });
  });
});

describe('Durable Object fetch, alarm and WebSockets', () => {
  it("fetch through the stub continues the caller's trace", async () => {
    const { body, spans } = await call('/hello', (s) => s.filter((x) => x.kind === 2).length === 2);
    expect(body).toBe('room /hello');
    const [outer, inner] = spans.filter((x) => x.kind === 2).sort((a, b) => (a.parentSpanId ? 1 : 0) - (b.parentSpanId ? 1 : 0));
    const client = spans.find((x) => x.kind === 3)!;
    expect(client).toMatchObject({ traceId: outer!.traceId, parentSpanId: outer!.spanId });
    expect(inner).toMatchObject({ name: 'GET', traceId: outer!.traceId, parentSpanId: client.spanId });
    expect(inner!.attributesMap).toMatchObject({ 'url.path': '/hello', 'http.response.status_code': 200, 'faas.trigger': 'http' });
  });

  it('an alarm is a SERVER span with its retry count; a failed one is ERROR and retried', async () => {
    collector.clear();
    expect(await (await worker.dispatchFetch('http://shop.test/alarm')).text()).toBe('alarm set');
    const spans = await collector.waitForSpans((s) => named(s, 'alarm Room').length >= 2, { timeoutMs: 15_000 });
    const [first, retry] = named(spans, 'alarm Room').sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));
    expect(first).toMatchObject({ kind: 2, status: { code: 2, message: 'alarm failed once' } });
    expect(first!.attributesMap).toMatchObject({ 'faas.trigger': 'timer', 'cloudflare.alarm.retry_count': 0, 'cloudflare.alarm.is_retry': false });
    expect(retry!.status?.code ?? 0).toBe(0);
    expect(retry!.attributesMap).toMatchObject({ 'cloudflare.alarm.retry_count': 1, 'cloudflare.alarm.is_retry': true });
    // The object saw workerd's alarmInfo unchanged.
    expect((await call('/alarms', (s) => named(s, 'Room/alarms').length > 0)).body).toEqual([
      { retryCount: 0, isRetry: false },
      { retryCount: 1, isRetry: true },
    ]);
  }, 20_000);

  it('webSocketMessage and webSocketClose of a hibernatable WebSocket are SERVER spans', async () => {
    collector.clear();
    const res = await worker.dispatchFetch('http://shop.test/ws', { headers: { Upgrade: 'websocket' } });
    await expectEchoingWebSocket(res);
    const spans = await collector.waitForSpans((s) => named(s, 'webSocketMessage Room').length > 0 && named(s, 'webSocketClose Room').length > 0);
    const message = one(spans, 'webSocketMessage Room');
    expect(message).toMatchObject({ kind: 2 });
    expect(message.attributesMap).toMatchObject({ 'websocket.message.type': 'text', 'faas.trigger': 'other' });
    expect(one(spans, 'webSocketClose Room').kind).toBe(2);
  });
});

describe('the console', () => {
  it('stays quiet: propagateRpcTo is a known option, classes are no warning', async () => {
    await consoleSentinel(worker, output); // what the earlier tests' requests printed has arrived
    expect(output.join('')).not.toContain('[tracelet]');
  });
});

describe('RPC to a WorkerEntrypoint through a service binding', () => {
  it('CLIENT span in the caller, SERVER span in the entrypoint, one trace', async () => {
    const { body, spans } = await call('/service', (s) => named(s, 'Calculator/multiply').length > 0 && named(s, 'CALC/multiply').length > 0);
    expect(body).toBe(42);
    const client = one(spans, 'CALC/multiply');
    const server = one(spans, 'Calculator/multiply');
    expect(client.attributesMap).toMatchObject({ 'rpc.system.name': 'cloudflare_rpc', 'rpc.method': 'CALC/multiply' });
    expect(server).toMatchObject({ kind: 2, traceId: client.traceId, parentSpanId: client.spanId });
    expect(server.attributesMap).toMatchObject({ 'rpc.system.name': 'cloudflare_rpc', 'rpc.method': 'Calculator/multiply' });
  });

  it("its fetch continues the caller's trace", async () => {
    const { body, spans } = await call('/service-fetch', (s) => s.filter((x) => x.kind === 2).length === 2);
    expect(body).toBe('calculator');
    const inner = spans.find((x) => x.kind === 2 && x.parentSpanId && x.attributesMap['url.path'] === '/')!;
    const client = spans.find((x) => x.kind === 3)!;
    expect(inner).toMatchObject({ traceId: client.traceId, parentSpanId: client.spanId });
  });
});
