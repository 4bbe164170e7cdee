// Odd input from the app (or a broken environment) must neither throw into
// the host nor produce an OTLP request the collector rejects as a whole.
// Pure logic: no browser meaning, so Node.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SpanKind, SpanStatusCode, createTracing, encodeOtlpJson, randomTraceId, type Sampler } from '../../src/index.js';
import { memoryExporter } from './helpers/spans.js';

function setup(options: Parameters<typeof createTracing>[0] = {}) {
  const exporter = memoryExporter();
  const tracing = createTracing({ exporter, batch: false, registerGlobals: false, ...options });
  return { exporter, tracer: tracing.tracer, tracing };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the core takes odd input without throwing', () => {
  it('a sampler that answers nothing drops the span instead of throwing', () => {
    const { tracer, exporter } = setup({ sampler: { shouldSample: () => undefined } as unknown as Sampler });
    const span = tracer.startSpan('x');
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(exporter.spans).toEqual([]);
  });

  it('a sampler that answers null or a non-object drops the span instead of throwing', () => {
    for (const answer of [null, 'yes', 2]) {
      const { tracer, exporter } = setup({ sampler: { shouldSample: () => answer } as unknown as Sampler });
      const span = tracer.startSpan('x');
      expect(span.isRecording()).toBe(false);
      span.end();
      expect(exporter.spans).toEqual([]);
    }
  });

  it('JavaScript callers: non-string keys, non-object attribute maps, missing links and statuses are ignored', () => {
    const { tracer, exporter } = setup();
    const span = tracer.startSpan('x', { links: {} as never });
    span.setAttribute(7 as unknown as string, 'numeric key');
    for (const odd of [null, undefined, 'ab', 3]) span.setAttributes(odd as never);
    span.addLink(undefined as never);
    span.addLink({} as never);
    span.addLinks(undefined as never);
    span.setStatus(undefined as never);
    span.end();
    const s = exporter.spans[0]!;
    expect(Object.keys(s.attributes)).toEqual([]);
    expect(s.links).toEqual([]);
    expect(s.status).toEqual({ code: SpanStatusCode.UNSET });
  });

  it('recordException(undefined) records an exception event with no attributes', () => {
    const { tracer, exporter } = setup();
    const span = tracer.startSpan('x');
    span.recordException(undefined);
    span.recordException(null);
    span.end();
    expect(exporter.spans[0]!.events.map((e) => [e.name, { ...e.attributes }])).toEqual([
      ['exception', {}],
      ['exception', { 'exception.message': 'null' }],
    ]);
  });

  it('names and exceptions that cannot be turned into strings', () => {
    const { tracer, exporter } = setup();
    const odd = Object.create(null) as string;
    const span = tracer.startSpan(odd);
    span.addEvent(odd);
    span.updateName(odd);
    span.recordException({ code: Object.create(null), message: 'm' });
    span.recordException(Object.create(null));
    const hostile = new Proxy({}, { get: () => { throw new Error('no reading me'); } });
    span.recordException(hostile);
    span.end();
    expect(exporter.spans).toHaveLength(1);
    expect(exporter.spans[0]!.name).toBe('');
    expect(exporter.spans[0]!.events.map((e) => e.name)).toEqual(['', 'exception', 'exception', 'exception']);
  });

  it("a DOMException's numeric legacy code is not its exception.type; its name is", () => {
    const { tracer, exporter } = setup();
    const span = tracer.startSpan('x');
    span.recordException(new DOMException('The operation was aborted.', 'AbortError'));
    span.end();
    expect(exporter.spans[0]!.events[0]!.attributes['exception.type']).toBe('AbortError');
  });
});

describe('what is encoded is valid OTLP', () => {
  it('an unknown kind is INTERNAL; sparse arrays send empty values, not null; far-future times are not used', () => {
    const { tracer, exporter } = setup();
    const before = Date.now();
    const span = tracer.startSpan('x', { kind: 'SERVER' as unknown as SpanKind, startTime: Date.now() * 1e9 });
    // eslint-disable-next-line no-sparse-arrays
    span.setAttribute('sparse', [, 'b'] as unknown as string[]);
    span.setAttribute('holes', new Array(2) as string[]);
    span.end(1e22);
    const json = encodeOtlpJson(exporter.spans);
    expect(json).not.toContain('null');
    const encoded = JSON.parse(json).resourceSpans[0].scopeSpans[0].spans[0];
    expect(encoded.kind).toBe(1);
    expect(encoded.attributes.find((a: { key: string }) => a.key === 'sparse').value.arrayValue.values).toEqual([{}, { stringValue: 'b' }]);
    // The bad times fell back to the clock: unix nanoseconds between the start of this test and now.
    const after = Date.now();
    for (const t of [encoded.startTimeUnixNano, encoded.endTimeUnixNano]) {
      expect(BigInt(t)).toBeGreaterThanOrEqual(BigInt(before) * 1_000_000n);
      expect(BigInt(t)).toBeLessThanOrEqual(BigInt(after + 1) * 1_000_000n);
    }
  });

  it('a start time OTLP cannot carry, or that is no [seconds, nanoseconds] pair, falls back to the clock; the edges of the range are kept', () => {
    const { tracer, exporter } = setup({ clock: () => 42 });
    const MAX = 18_446_744_073_709; // 2^64 - 1 ns, in whole ms: the last time OTLP's fixed64 holds
    const cases: [unknown, number][] = [
      [0, 0],
      [MAX, MAX],
      [MAX + 1, 42],
      [-5, 42],
      [[1_700_000_000, 0], 1_700_000_000_000],
      [[0, 1_000_000], 1],
      [[1_700_000_000, -1], 42],
      [[-1, 2_000_000_000], 42],
      [[1_700_000_000, 5, 0], 42],
    ];
    for (const [startTime] of cases) tracer.startSpan('x', { startTime: startTime as number }).end(MAX);
    expect(exporter.spans.map((s) => s.startTime)).toEqual(cases.map(([, expected]) => expected));
  });

  it('truncation never keeps half of a surrogate pair', () => {
    const { tracer, exporter } = setup({ spanLimits: { attributeValueLengthLimit: 3 } });
    const span = tracer.startSpan('x', { attributes: { emoji: 'ab😀', plain: 'abcdef' } });
    span.end();
    expect(exporter.spans[0]!.attributes).toMatchObject({ emoji: 'ab', plain: 'abc' });
  });

  it('truncation cuts before a pair at the edges of the surrogate range (U+10000, U+10FFFF), and keeps a pair or a character above it that fits', () => {
    const { tracer, exporter } = setup({ spanLimits: { attributeValueLengthLimit: 3 } });
    const attributes = { first: 'ab\u{10000}', last: 'ab\u{10FFFF}', pairFits: 'a😀b', aboveSurrogates: 'ab\uFF01\uFF01' };
    tracer.startSpan('x', { attributes }).end();
    expect({ ...exporter.spans[0]!.attributes }).toEqual({ first: 'ab', last: 'ab', pairFits: 'a😀', aboveSurrogates: 'ab\uFF01' });
  });

  it('a string within the limit is recorded exactly as given, whatever code units it holds', () => {
    const { tracer, exporter } = setup({ spanLimits: { attributeValueLengthLimit: 3 } });
    const attributes = { atLimit: 'ab\uD83D', under: '\uD83D', empty: '' };
    tracer.startSpan('x', { attributes }).end();
    expect({ ...exporter.spans[0]!.attributes }).toEqual(attributes);
  });
});

describe('a broken environment or processor', () => {
  it('ids still come when crypto.getRandomValues leaves its array zeroed', () => {
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(((a: Uint8Array) => a.fill(0)) as typeof crypto.getRandomValues);
    const ids = new Set<string>();
    for (let i = 0; i < 600; i++) ids.add(randomTraceId()); // past the 4 KiB pool, so it refills
    expect([...ids].every((id) => /^[0-9a-f]{32}$/.test(id) && id !== '0'.repeat(32))).toBe(true);
    expect(ids.size).toBe(600);
  });

  it("an app's processor that throws, or lacks forceFlush and shutdown, does not stop export", async () => {
    const broken = {
      onStart() {
        throw new Error('onStart');
      },
      onEnd() {
        throw new Error('onEnd');
      },
    };
    const { tracer, exporter, tracing } = setup({ spanProcessors: [broken as never] });
    tracer.startSpan('kept').end();
    await tracing.flush();
    await tracing.shutdown();
    expect(exporter.spans.map((s) => s.name)).toEqual(['kept']);
  });
});
