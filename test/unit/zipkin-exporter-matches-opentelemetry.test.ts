// Oracle: OpenTelemetry JS's own Zipkin exporter (@opentelemetry/exporter-zipkin,
// pinned beside @opentelemetry/sdk-trace-base 2.12.1) and tracelet's
// ZipkinExporter send the same spans to one real HTTP server on 127.0.0.1;
// the JSON bodies it receives must hold the same fields and values.
//
// Where the two differ, OpenTelemetry JS departs from the specification
// (https://opentelemetry.io/docs/specs/otel/trace/sdk_exporters/zipkin/) and
// tracelet follows it; each such field is listed in SPEC_ONLY or asserted in
// the second test, so any other difference fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportResultCode as OtelResultCode, type ExportResult as OtelResult } from '@opentelemetry/core';
import { ZipkinExporter as OtelZipkinExporter } from '@opentelemetry/exporter-zipkin';
import type { ReadableSpan as OtelReadableSpan } from '@opentelemetry/sdk-trace-base';
import { toHrTime, type ReadableSpan } from '../../src/index.js';
import { ZipkinExporter, type ZipkinSpan } from '../../src/zipkin.js';
import { startServer, type TestServer } from './helpers/http-server.js';
import { zipkinSampleSpans } from './helpers/zipkin-spans.js';

/** The same finished span as OpenTelemetry's ReadableSpan (HrTime times, the parent as a span context). */
function asOtel(span: ReadableSpan): OtelReadableSpan {
  const start = toHrTime(span.startTime);
  const end = toHrTime(span.endTime);
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  const context = span.spanContext();
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => context,
    parentSpanContext: span.parentSpanId ? { traceId: context.traceId, spanId: span.parentSpanId, traceFlags: 1, isRemote: span.parentIsRemote } : undefined,
    startTime: start,
    endTime: end,
    duration: [seconds, nanos],
    status: span.status,
    attributes: span.attributes,
    links: span.links.map((l) => ({ context: l.context, attributes: l.attributes })),
    events: span.events.map((e) => ({ name: e.name, time: toHrTime(e.time), attributes: e.attributes, droppedAttributesCount: e.droppedAttributesCount })),
    resource: { attributes: span.resource.attributes } as unknown as OtelReadableSpan['resource'],
    instrumentationScope: span.scope,
    ended: true,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  } as OtelReadableSpan;
}

/** What tracelet sends that OpenTelemetry JS does not: spec fields it leaves out. */
const SPEC_ONLY = {
  // "Remote endpoint" (spec): OpenTelemetry JS never sets remoteEndpoint.
  remoteEndpoint: true,
  // zipkin2-api.yaml `shared`, asked for SERVER spans continuing a remote parent.
  shared: true,
} as const;
// non-OTLP mapping, "Instrumentation Scope": OpenTelemetry JS sends no scope tags.
const SPEC_ONLY_TAGS = ['otel.scope.name', 'otel.scope.version'];

function withoutSpecOnly(span: ZipkinSpan): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...span, tags: { ...span.tags } };
  for (const key of Object.keys(SPEC_ONLY)) delete copy[key];
  for (const tag of SPEC_ONLY_TAGS) delete (copy.tags as Record<string, string>)[tag];
  return copy;
}

let server: TestServer;
let ours: Map<string, ZipkinSpan>;
let theirs: Map<string, ZipkinSpan>;

beforeAll(async () => {
  server = await startServer((_req, res) => res.writeHead(202).end());
  const spans = [...(await zipkinSampleSpans()).values()];
  const url = `${server.url}/api/v2/spans`;

  const oracle = new OtelZipkinExporter({ url });
  const result = await new Promise<OtelResult>((resolve) => oracle.export(spans.map(asOtel), resolve));
  expect(result.code).toBe(OtelResultCode.SUCCESS);
  const mine = new ZipkinExporter({ url, compression: 'none' });
  expect((await mine.export(spans)).code).toBe(0);

  expect(server.requests.map((r) => [r.method, r.url, r.headers['content-type']])).toEqual([
    ['POST', '/api/v2/spans', 'application/json'],
    ['POST', '/api/v2/spans', 'application/json'],
  ]);
  const byName = (body: string) => new Map((JSON.parse(body) as ZipkinSpan[]).map((s) => [s.name, s]));
  theirs = byName(server.requests[0]!.body);
  ours = byName(server.requests[1]!.body);
});

afterAll(() => server?.close());

describe('ZipkinExporter against @opentelemetry/exporter-zipkin', () => {
  it('the same spans with the same fields and values, but for the spec fields OpenTelemetry JS leaves out', () => {
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    const same = ['internal work', 'GET /cart', 'GET /health', 'GET /local', 'GET', 'publish orders', 'process orders', 'over the limits'];
    for (const name of same) expect(withoutSpecOnly(ours.get(name)!), name).toEqual(theirs.get(name));
    // What is left out of the comparison is really there in ours.
    expect(ours.get('GET /cart')!.shared).toBe(true);
    expect(ours.get('GET')!.remoteEndpoint).toEqual({ serviceName: 'api.example.com', port: 8443 });
    expect(ours.get('GET')!.tags['otel.scope.name']).toBe('checkout-lib');
  });

  it('differs only where OpenTelemetry JS departs from the specification, field by field', () => {
    const mine = withoutSpecOnly(ours.get('divergent')!) as unknown as ZipkinSpan;
    const oracle = theirs.get('divergent')!;
    // spec, "Attribute": "Array values MUST be serialized to string like a JSON list"; OpenTelemetry JS writes String(array).
    expect([mine.tags['http.request.header.accept'], oracle.tags['http.request.header.accept']]).toEqual(['["text/html","application/json"]', 'text/html,application/json']);
    expect([mine.tags.codes, oracle.tags.codes]).toEqual(['[1,2]', '1,2']);
    // spec, "Status": `error` "MUST be set if the code is ERROR, use an empty string if Description has no value".
    expect([mine.tags.error, oracle.tags.error]).toEqual(['', undefined]);
    // spec, "Events": attributes go into the annotation; OpenTelemetry JS sends the name alone.
    expect([mine.annotations![0]!.value, oracle.annotations![0]!.value]).toEqual(['"retry":{"attempt":2,"reason":"timeout \\"x\\""}', 'retry']);
    // zipkin2-api.yaml `duration`: "Durations of less than one are rounded up"; OpenTelemetry JS sends 0.
    expect([mine.duration, oracle.duration]).toEqual([1, 0]);
    // Everything else is the same.
    const rest = (s: ZipkinSpan) => {
      const { 'http.request.header.accept': _a, codes: _c, error: _e, ...tags } = s.tags;
      return { ...s, tags, duration: undefined, annotations: s.annotations?.map((a) => a.timestamp) };
    };
    expect(rest(mine)).toEqual(rest(oracle));
  });
});
