import { describe, expect, it, vi } from 'vitest';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, W3CTraceState, consoleExporter, createTracing, setSpanContext, spanToConsoleJson, type ReadableSpan } from '../../src/index.js';

describe('console exporter', () => {
  it('prints spans in the shape of OpenTelemetry Python ConsoleSpanExporter', async () => {
    const lines: string[] = [];
    const t = createTracing({ serviceName: 'console-demo', exporter: consoleExporter((s) => lines.push(s)), batch: false });
    const parent = setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, isRemote: true });
    const span = t.tracer.startSpan('baz', { kind: SpanKind.SERVER, startTime: 1_588_862_392_906.272, attributes: { 'http.route': '/x' } }, parent);
    span.addEvent('cache miss', { key: 'k' }, 1_588_862_392_907);
    span.setStatus({ code: 2, message: 'failed' });
    span.end(1_588_862_392_908.5);
    await t.flush();
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0]!);
    expect(lines[0]).toContain('\n    "name": "baz"'); // 4-space indent, like Python's json.dumps(indent=4)
    expect(printed).toEqual({
      name: 'baz',
      context: { trace_id: '0x' + 'a'.repeat(32), span_id: printed.context.span_id, trace_state: '[]' },
      kind: 'SpanKind.SERVER',
      parent_id: '0x' + 'b'.repeat(16),
      start_time: '2020-05-07T14:39:52.906272Z',
      end_time: '2020-05-07T14:39:52.908500Z',
      status: { status_code: 'ERROR', description: 'failed' },
      attributes: { 'http.route': '/x' },
      events: [{ name: 'cache miss', timestamp: '2020-05-07T14:39:52.907000Z', attributes: { key: 'k' } }],
      links: [],
      resource: {
        attributes: { 'service.name': 'console-demo', 'telemetry.sdk.name': 'tracelet', 'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.version': printed.resource.attributes['telemetry.sdk.version'] },
        schema_url: '',
      },
    });
    expect(printed.context.span_id).toMatch(/^0x[0-9a-f]{16}$/);
  });
});

describe('console exporter, field by field as Python prints them', () => {
  async function printed(build: (tracer: ReturnType<typeof createTracing>['tracer']) => void) {
    const spans: ReadableSpan[] = [];
    const t = createTracing({ serviceName: 'console-demo', exporter: { export: (batch) => void spans.push(...batch) }, batch: false });
    build(t.tracer);
    await t.flush();
    return spans.map((s) => JSON.parse(JSON.stringify(spanToConsoleJson(s))) as Record<string, any>);
  }

  it('kind is the SpanKind member name, status_code the StatusCode name, description only when there is one', async () => {
    const out = await printed((tracer) => {
      for (const kind of [SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER]) tracer.startSpan('k', { kind }).end();
      tracer.startSpan('unset').end();
      tracer.startSpan('ok').setStatus({ code: SpanStatusCode.OK }).end();
      tracer.startSpan('error, empty message').setStatus({ code: SpanStatusCode.ERROR, message: '' }).end();
    });
    expect(out.slice(0, 5).map((s) => s.kind)).toEqual(['SpanKind.INTERNAL', 'SpanKind.SERVER', 'SpanKind.CLIENT', 'SpanKind.PRODUCER', 'SpanKind.CONSUMER']);
    // Python: `if self._status.description: status["description"] = ...`
    expect(out.slice(5).map((s) => s.status)).toEqual([{ status_code: 'UNSET' }, { status_code: 'OK' }, { status_code: 'ERROR' }]);
  });

  it('trace_state is repr() of the TraceState: a list of "{key=k, value=v}" strings', async () => {
    // opentelemetry-python, opentelemetry-api/src/opentelemetry/trace/span.py, TraceState.__repr__:
    // `pairs = [f"{{key={key}, value={value}}}" for key, value in self._dict.items()]; return str(pairs)`.
    const remote = (traceState: string) =>
      setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, isRemote: true, traceState: new W3CTraceState(traceState) });
    const out = await printed((tracer) => {
      tracer.startSpan('two members', {}, remote('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE')).end();
      // str() of a list quotes each string as repr() does: double quotes for one with a ' and no ", backslashes doubled.
      tracer.startSpan('quotes', {}, remote(`a=it's,b=say "x",c=both'"\\`)).end();
    });
    expect(out[0]!.context.trace_state).toBe("['{key=rojo, value=00f067aa0ba902b7}', '{key=congo, value=t61rcWkgMzE}']");
    expect(out[1]!.context.trace_state).toBe(`["{key=a, value=it's}", '{key=b, value=say "x"}', '{key=c, value=both\\'"\\\\}']`);
  });

  it('links carry their context (trace_state included) and attributes', async () => {
    const out = await printed((tracer) =>
      tracer
        .startSpan('linked', {
          links: [
            { context: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1, traceState: new W3CTraceState('k=v') }, attributes: { why: 'retry of' } },
            { context: { traceId: 'e'.repeat(32), spanId: 'f'.repeat(16), traceFlags: 0 } },
          ],
        })
        .end(),
    );
    expect(out[0]!.links).toEqual([
      { context: { trace_id: '0x' + 'c'.repeat(32), span_id: '0x' + 'd'.repeat(16), trace_state: "['{key=k, value=v}']" }, attributes: { why: 'retry of' } },
      { context: { trace_id: '0x' + 'e'.repeat(32), span_id: '0x' + 'f'.repeat(16), trace_state: '[]' }, attributes: {} },
    ]);
  });

  it('prints to console.log when given no writer', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const t = createTracing({ serviceName: 'console-demo', exporter: consoleExporter(), batch: false });
      t.tracer.startSpan('to the console').end();
      await t.flush();
      expect(log).toHaveBeenCalledTimes(1);
      expect(JSON.parse(log.mock.calls[0]![0] as string).name).toBe('to the console');
    } finally {
      log.mockRestore();
    }
  });
});
