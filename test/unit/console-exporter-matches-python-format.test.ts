import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, SpanKind, consoleExporter, createTracing, setSpanContext } from '../../src/index.js';

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
