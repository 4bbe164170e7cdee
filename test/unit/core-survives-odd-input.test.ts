// Odd input from the app (or a broken environment) must neither throw into
// the host nor produce an OTLP request the collector rejects as a whole.
// Pure logic: no browser meaning, so Node.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SpanKind, createTracing, encodeOtlpJson, randomTraceId, type Sampler } from '../../src/index.js';
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

  it('truncation never keeps half of a surrogate pair', () => {
    const { tracer, exporter } = setup({ spanLimits: { attributeValueLengthLimit: 3 } });
    const span = tracer.startSpan('x', { attributes: { emoji: 'ab😀', plain: 'abcdef' } });
    span.end();
    expect(exporter.spans[0]!.attributes).toMatchObject({ emoji: 'ab', plain: 'abc' });
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
