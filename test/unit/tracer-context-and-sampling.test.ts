import { describe, expect, it } from 'vitest';
import {
  ROOT_CONTEXT,
  SamplingDecision,
  SpanKind,
  TraceFlags,
  alwaysOff,
  alwaysOn,
  createTracing,
  parentBased,
  samplerFromName,
  setSpanContext,
  traceIdRatio,
  randomTraceId,
  getSpan,
} from '../../src/index.js';
import { memoryExporter } from './helpers/spans.js';

describe('tracer', () => {
  it('nests foo > bar > baz with startActiveSpan, as in the getting-started guide', () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false });
    tracer.startActiveSpan('foo', (foo) => {
      tracer.startActiveSpan('bar', (bar) => {
        tracer.startActiveSpan('baz', (baz) => {
          expect(tracer.getActiveSpan()).toBe(baz);
          baz.end();
        });
        bar.end();
      });
      foo.end();
    });
    expect(tracer.getActiveSpan()).toBeUndefined();
    const [baz, bar, foo] = exporter.spans;
    expect([baz!.name, bar!.name, foo!.name]).toEqual(['baz', 'bar', 'foo']);
    expect(foo!.parentSpanId).toBeUndefined();
    expect(bar!.parentSpanId).toBe(foo!.spanContext().spanId);
    expect(baz!.parentSpanId).toBe(bar!.spanContext().spanId);
    expect(new Set(exporter.spans.map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it('returns what an async callback returns and parents spans started before the first await', async () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false });
    const value = await tracer.startActiveSpan('outer', async (outer) => {
      const child = tracer.startSpan('child');
      child.end();
      await Promise.resolve();
      outer.end();
      return 42;
    });
    expect(value).toBe(42);
    expect(exporter.spans[0]!.parentSpanId).toBe(exporter.spans[1]!.spanContext().spanId);
  });

  it('restores the previous context when the callback throws', () => {
    const { tracer } = createTracing({ exporter: memoryExporter(), batch: false });
    expect(() => tracer.startActiveSpan('x', () => { throw new Error('boom'); })).toThrow('boom');
    expect(tracer.getActiveSpan()).toBeUndefined();
  });

  it('sets the W3C Level 2 random flag on new trace ids and keeps a remote parent\'s flags', () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false });
    tracer.startSpan('root').end();
    expect(exporter.spans[0]!.spanContext().traceFlags).toBe(TraceFlags.SAMPLED | TraceFlags.RANDOM);
    const remote = setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true });
    tracer.startSpan('child', { kind: SpanKind.SERVER }, remote).end();
    const child = exporter.spans[1]!;
    expect(child.spanContext().traceId).toBe('a'.repeat(32));
    expect(child.spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
    expect(child.parentSpanId).toBe('b'.repeat(16));
    expect(child.parentIsRemote).toBe(true);
  });

  it('root: true starts a new trace inside an active span', () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false });
    tracer.startActiveSpan('a', (a) => {
      tracer.startSpan('b', { root: true }).end();
      a.end();
    });
    expect(exporter.spans[0]!.parentSpanId).toBeUndefined();
    expect(exporter.spans[0]!.spanContext().traceId).not.toBe(exporter.spans[1]!.spanContext().traceId);
  });

  it('startActiveSpan takes span options, and options with a parent context, as in OpenTelemetry', () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false, registerGlobals: false });
    const remote = setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true });
    tracer.startActiveSpan('with options', { kind: SpanKind.CLIENT, attributes: { 'cart.items': 3 } }, (span) => span.end());
    tracer.startActiveSpan('with a context', { kind: SpanKind.SERVER }, remote, (span) => span.end());
    const [withOptions, withContext] = exporter.spans;
    expect([withOptions!.kind, { ...withOptions!.attributes }]).toEqual([SpanKind.CLIENT, { 'cart.items': 3 }]);
    expect([withContext!.kind, withContext!.parentSpanId, withContext!.spanContext().traceId]).toEqual([SpanKind.SERVER, 'b'.repeat(16), 'a'.repeat(32)]);
  });

  it('every processor sees each span start, with the context it started in', () => {
    const starts: [string, unknown][] = [];
    const watcher = { onStart: (span: { name: string }, ctx: unknown) => void starts.push([span.name, ctx]), onEnd() {} };
    const { tracer } = createTracing({ exporter: memoryExporter(), batch: false, registerGlobals: false, spanProcessors: [watcher as never] });
    const parent = setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, isRemote: true });
    tracer.startSpan('first', {}, parent).end();
    expect(starts).toEqual([['first', parent]]);
  });

  it('a span made active by another copy of tracelet, of any version, or by @opentelemetry/api, is the parent: the context key is Symbol.for("OpenTelemetry Context Key SPAN")', () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false, registerGlobals: false });
    const foreign = { spanContext: () => ({ traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: TraceFlags.SAMPLED }) };
    const ctx = ROOT_CONTEXT.setValue(Symbol.for('OpenTelemetry Context Key SPAN'), foreign);
    expect(getSpan(ctx)).toBe(foreign);
    tracer.startSpan('child', {}, ctx).end();
    expect([exporter.spans[0]!.parentSpanId, exporter.spans[0]!.spanContext().traceId]).toEqual(['d'.repeat(16), 'c'.repeat(32)]);
  });

  it('gives separate tracers per scope and reuses them', () => {
    const tracing = createTracing({ exporter: memoryExporter(), batch: false });
    expect(tracing.getTracer('lib', '1')).toBe(tracing.getTracer('lib', '1'));
    expect(tracing.getTracer('lib', '1').scope).toEqual({ name: 'lib', version: '1' });
  });
});

describe('samplers', () => {
  const sample = (s: ReturnType<typeof alwaysOn>, ctx = ROOT_CONTEXT, traceId = randomTraceId()) =>
    s.shouldSample(ctx, traceId, 'n', SpanKind.INTERNAL, {}, []).decision;

  it('always_on and always_off decide as named', () => {
    expect(sample(alwaysOn())).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sample(alwaysOff())).toBe(SamplingDecision.NOT_RECORD);
  });

  it('trace-id ratio keeps about the ratio, decides the same for the same trace id, and honours 0 and 1', () => {
    const s = traceIdRatio(0.25);
    let kept = 0;
    for (let i = 0; i < 20_000; i++) if (sample(s) === SamplingDecision.RECORD_AND_SAMPLED) kept++;
    expect(kept / 20_000).toBeGreaterThan(0.22);
    expect(kept / 20_000).toBeLessThan(0.28);
    const id = randomTraceId();
    expect(sample(s, ROOT_CONTEXT, id)).toBe(sample(s, ROOT_CONTEXT, id));
    expect(sample(traceIdRatio(0), ROOT_CONTEXT, 'f'.repeat(32))).toBe(SamplingDecision.NOT_RECORD);
    expect(sample(traceIdRatio(1), ROOT_CONTEXT, 'f'.repeat(32))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sample(traceIdRatio(0.5), ROOT_CONTEXT, '0'.repeat(31) + '1')).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(() => traceIdRatio(1.5)).toThrow(/from 0 to 1/);
  });

  it('trace-id ratio decides from the rightmost 56 bits of the trace id (W3C Level 2 random bits), exactly at the threshold', () => {
    // ratio 0.5: keep when those 56 bits are below 2^55 = 0x80000000000000.
    const half = traceIdRatio(0.5);
    const id = (prefix: string, low56: string) => prefix.padEnd(18, '0') + low56;
    const KEEP = SamplingDecision.RECORD_AND_SAMPLED;
    const DROP = SamplingDecision.NOT_RECORD;
    expect(sample(half, ROOT_CONTEXT, id('', '7fffffffffffff'))).toBe(KEEP); // 2^55 - 1
    expect(sample(half, ROOT_CONTEXT, id('', '80000000000000'))).toBe(DROP); // 2^55
    // The leading 72 bits do not count: ids that differ only there decide alike.
    for (const prefix of ['ffffffffffffffffff', '123456789abcdef012', '000000000000000001']) {
      expect(sample(half, ROOT_CONTEXT, id(prefix, '7fffffffffffff'))).toBe(KEEP);
      expect(sample(half, ROOT_CONTEXT, id(prefix, '80000000000000'))).toBe(DROP);
    }
    // Both halves of the 56 bits count (the comparison is split at 28 bits): the low half decides at the edge.
    const quarter = traceIdRatio(0.25); // threshold 2^54 = 0x40000000000000
    expect(sample(quarter, ROOT_CONTEXT, id('f', '3fffffffffffff'))).toBe(KEEP);
    expect(sample(quarter, ROOT_CONTEXT, id('f', '40000000000000'))).toBe(DROP);
    expect(sample(quarter, ROOT_CONTEXT, id('f', '40000000000001'))).toBe(DROP);
    const odd = traceIdRatio(0x1234567_89abcde / 2 ** 56); // a threshold with both halves non-zero
    expect(sample(odd, ROOT_CONTEXT, id('a', '123456789abcdd'))).toBe(KEEP);
    expect(sample(odd, ROOT_CONTEXT, id('a', '123456789abcde'))).toBe(DROP);
    // A high half above the threshold's drops, however low the low half.
    expect(sample(odd, ROOT_CONTEXT, id('a', '12345680000000'))).toBe(DROP);
  });

  it('parent-based follows the parent flag and uses the root sampler for new traces', () => {
    const s = parentBased(alwaysOff());
    const sampledParent = setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, isRemote: true });
    const unsampledParent = setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 0, isRemote: false });
    expect(sample(s)).toBe(SamplingDecision.NOT_RECORD);
    expect(sample(s, sampledParent)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sample(parentBased(alwaysOn()), unsampledParent)).toBe(SamplingDecision.NOT_RECORD);
  });

  it('a RECORD decision records the span for processors but never exports it', () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false, registerGlobals: false, sampler: { shouldSample: () => ({ decision: SamplingDecision.RECORD }) } });
    const span = tracer.startSpan('local only');
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0);
    span.end();
    expect(exporter.spans).toEqual([]);
  });

  it("a sampler's attributes are recorded on the span it keeps", () => {
    const exporter = memoryExporter();
    const sampler = { shouldSample: () => ({ decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { 'sampling.rule': 'checkout' } }) };
    const { tracer } = createTracing({ exporter, batch: false, registerGlobals: false, sampler });
    tracer.startSpan('x', { attributes: { own: 1 } }).end();
    expect({ ...exporter.spans[0]!.attributes }).toEqual({ own: 1, 'sampling.rule': 'checkout' });
  });

  it('describe themselves as the OpenTelemetry samplers do', () => {
    expect(String(alwaysOn())).toBe('AlwaysOnSampler');
    expect(String(alwaysOff())).toBe('AlwaysOffSampler');
    expect(String(parentBased(traceIdRatio(0.5)))).toBe('ParentBased{root=TraceIdRatioBased{0.5}}');
  });

  it('parent-based picks the sampler given for each kind of parent: remote or local, sampled or not', () => {
    const parent = (isRemote: boolean, sampled: boolean) =>
      setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: sampled ? TraceFlags.SAMPLED : 0, isRemote });
    // Each choice the opposite of the default, so the default cannot pass for it.
    const inverted = parentBased({
      root: alwaysOn(),
      remoteParentSampled: alwaysOff(),
      remoteParentNotSampled: alwaysOn(),
      localParentSampled: alwaysOff(),
      localParentNotSampled: alwaysOn(),
    });
    const KEEP = SamplingDecision.RECORD_AND_SAMPLED;
    const DROP = SamplingDecision.NOT_RECORD;
    expect([sample(inverted, parent(true, true)), sample(inverted, parent(true, false)), sample(inverted, parent(false, true)), sample(inverted, parent(false, false))]).toEqual([DROP, KEEP, DROP, KEEP]);
    const defaults = parentBased({ root: alwaysOff() });
    expect([sample(defaults, parent(true, true)), sample(defaults, parent(true, false)), sample(defaults, parent(false, true)), sample(defaults, parent(false, false))]).toEqual([KEEP, DROP, KEEP, DROP]);
  });

  it('an unsampled span is not recorded or exported but still carries context', () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false, sampler: 'always_off' });
    const span = tracer.startSpan('x');
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0);
    span.end();
    expect(exporter.spans).toHaveLength(0);
  });

  it('knows every OTEL_TRACES_SAMPLER name and rejects unknown ones', () => {
    for (const name of ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio']) {
      expect(samplerFromName(name, '0.5').shouldSample).toBeTypeOf('function');
    }
    expect(() => samplerFromName('sometimes')).toThrow(
      'tracelet: unknown sampler "sometimes"; use one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio or a Sampler object',
    );
  });

  it('each OTEL_TRACES_SAMPLER name gives the sampler it names', () => {
    const sampledParent = setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true });
    const KEEP = SamplingDecision.RECORD_AND_SAMPLED;
    const DROP = SamplingDecision.NOT_RECORD;
    // [new trace, sampled parent]
    const decisions = (name: string) => [sample(samplerFromName(name, '0.5')), sample(samplerFromName(name, '0.5'), sampledParent)];
    expect(decisions('always_on')).toEqual([KEEP, KEEP]);
    expect(decisions('always_off')).toEqual([DROP, DROP]);
    expect(decisions('parentbased_always_on')).toEqual([KEEP, KEEP]);
    expect(decisions('parentbased_always_off')).toEqual([DROP, KEEP]);
    expect(String(samplerFromName('traceidratio', '0.5'))).toBe('TraceIdRatioBased{0.5}');
    expect(String(samplerFromName('parentbased_traceidratio', 0.25))).toBe('ParentBased{root=TraceIdRatioBased{0.25}}');
    // By name, not by chance: with the argument 1 a ratio sampler would keep every new trace, so
    // parentbased_always_off read as parentbased_traceidratio could not hide behind a dropped id.
    expect(decisions('parentbased_always_off').concat(sample(samplerFromName('parentbased_always_off', '1')))).toEqual([DROP, KEEP, DROP]);
    expect(String(samplerFromName('parentbased_always_off', '1'))).toBe('ParentBased{root=AlwaysOffSampler}');
    expect(String(samplerFromName('parentbased_always_on', '0'))).toBe('ParentBased{root=AlwaysOnSampler}');
  });

  it('the ratio argument defaults to 1 when absent or empty (OTEL_TRACES_SAMPLER_ARG unset or set to nothing)', () => {
    for (const arg of [undefined, '']) {
      expect(String(samplerFromName('traceidratio', arg))).toBe('TraceIdRatioBased{1}');
      expect(String(samplerFromName('parentbased_traceidratio', arg))).toBe('ParentBased{root=TraceIdRatioBased{1}}');
    }
  });
});
