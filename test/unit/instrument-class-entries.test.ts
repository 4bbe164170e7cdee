import { describe, expect, it } from 'vitest';
import { instrument } from '../../src/worker/instrument.js';
import { SpanKind, SpanStatusCode, type ReadableSpan } from '../../src/core/types.js';
import { captureDiagnostics } from './helpers/diagnostics.js';

// instrument(Class) outside workerd, for what a workerd test cannot easily
// make happen: a webSocketError event, a context argument reaching a class
// whose tracing is off. (test/worker/durable-objects-and-rpc-are-traced.test.ts
// runs the rest in workerd.)
class Chat {
  constructor(
    public ctx: { waitUntil(p: Promise<unknown>): void },
    public env: object,
  ) {}
  webSocketError(_ws: unknown, _error: unknown) {
    return 'handled';
  }
  echo(...args: unknown[]) {
    return args;
  }
}

function traced(config: object) {
  const spans: ReadableSpan[] = [];
  const waits: Promise<unknown>[] = [];
  const Traced = instrument(Chat, { ...config, exporter: { export: (s: ReadableSpan[]) => void spans.push(...s) }, batch: false } as never);
  // One env object per pipeline: a fresh one per test.
  const object = new Traced({ waitUntil: (p) => void waits.push(p) }, {});
  return { object, spans, settled: () => Promise.all(waits) };
}

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('instrument(Class) entries', () => {
  const said = captureDiagnostics();

  it('webSocketError is an ERROR SERVER span with the error as exception; the handler still runs', async () => {
    const { object, spans, settled } = traced({ serviceName: 'chat' });
    expect(await object.webSocketError({}, new TypeError('socket broke'))).toBe('handled');
    await settled();
    expect(spans.map((s) => [s.name, s.kind, s.status.code, s.status.message])).toEqual([['webSocketError Chat', SpanKind.SERVER, SpanStatusCode.ERROR, 'socket broke']]);
    expect(spans[0]!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('an RPC method continues the context of a trailing context argument, which it never sees', async () => {
    const { object, spans, settled } = traced({ serviceName: 'chat' });
    expect(await object.echo(1, { __tracelet: { traceparent: TRACEPARENT } })).toEqual([1]);
    // Not a context argument (another key beside it, not last, not a plain object): passed on.
    const other = { __tracelet: { traceparent: TRACEPARENT }, more: 1 };
    expect(await object.echo(other)).toEqual([other]);
    expect(await object.echo({ __tracelet: {} }, 2)).toEqual([{ __tracelet: {} }, 2]);
    await settled();
    expect(spans.map((s) => [s.name, s.spanContext().traceId, s.parentSpanId])).toEqual([
      ['Chat/echo', '0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'],
      ['Chat/echo', expect.not.stringMatching('0af7651916cd43dd8448eb211c80319c'), undefined],
      ['Chat/echo', expect.any(String), undefined],
    ]);
  });

  it('with tracing off (invalid config) the context argument still comes off', () => {
    const { object, spans } = traced({ sampler: 'no-such-sampler' });
    expect(object.echo(1, { __tracelet: { traceparent: TRACEPARENT } })).toEqual([1]);
    expect(spans).toEqual([]);
    expect(said.some((s) => s.includes('tracing is off'))).toBe(true);
  });
});
