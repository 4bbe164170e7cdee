import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  ROOT_CONTEXT,
  SpanKind,
  createTracing,
  encodeOtlpJson,
  setSpanContext,
  toOtlpRequest,
  type AttributeValue,
  type Attributes,
  type ReadableSpan,
  type SpanContext,
  type TraceState,
} from '../../src/index.js';
import { encodeAttributes } from '../../src/export/otlp-json.js';
import { memoryExporter } from './helpers/spans.js';

// The oracle: the official OpenTelemetry JS encoder. Our spans are converted to
// its ReadableSpan shape (times as exact integer HrTime pairs computed here, not
// by tracelet), both outputs are parsed and compared after removing proto3
// defaults and normalising int64 to decimal strings.

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`)).filter((s) => !/^0+$/.test(s));

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
  fc.boolean(),
);
const attrValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  scalar,
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 4 }),
  fc.array(fc.integer(), { maxLength: 4 }),
  fc.array(fc.boolean(), { maxLength: 4 }),
  fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)), { maxLength: 3 }),
);
const attrs = fc.dictionary(fc.stringMatching(/^[a-z][a-z.]{0,8}$/), attrValue, { maxKeys: 6 });

// Times as integer microseconds since the epoch: exactly representable as HrTime.
const micros = fc.integer({ min: 1_600_000_000_000_000, max: 1_900_000_000_000_000 });

const spanSpec = fc.record({
  name: fc.string({ minLength: 1, maxLength: 20 }),
  kind: fc.constantFrom(SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER),
  status: fc.oneof(fc.constant(undefined), fc.constant({ code: 1 as const }), fc.record({ code: fc.constant(2 as const), message: fc.string({ maxLength: 10 }) })),
  start: micros,
  duration: fc.integer({ min: 0, max: 10_000_000 }),
  attributes: attrs,
  events: fc.array(fc.record({ name: fc.string({ maxLength: 8 }), offset: fc.integer({ min: 0, max: 1000 }), attributes: attrs }), { maxLength: 5 }),
  links: fc.array(fc.record({ traceId: hex(32), spanId: hex(16), flags: fc.constantFrom(0, 1, 3), remote: fc.boolean(), attributes: attrs }), { maxLength: 4 }),
  parent: fc.option(fc.record({ traceId: hex(32), spanId: hex(16), flags: fc.constantFrom(1, 3), remote: fc.boolean() }), { nil: undefined }),
  scope: fc.constantFrom(['lib-a', '1.0.0'], ['lib-b', undefined]),
  service: fc.constantFrom('svc-one', 'svc-two'),
});

const stateOf = (s: string): TraceState => ({ get: () => undefined, set() { return this; }, unset() { return this; }, serialize: () => s });

const toHr = (us: number): [number, number] => [Math.floor(us / 1e6), (us % 1e6) * 1000];

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // An AnyValue's payload is never a default to drop: intValue 0 is a value.
      if (k === 'intValue' || k === 'doubleValue' || k === 'boolValue' || k === 'stringValue') {
        out[k] = k === 'intValue' ? String(v) : v;
        continue;
      }
      if (v === 0 || v === '' || v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
      {
        const stripped = strip(v);
        if (stripped && typeof stripped === 'object' && !Array.isArray(stripped) && Object.keys(stripped).length === 0 && k !== 'value') continue;
        out[k] = stripped;
      }
    }
    return out;
  }
  return value;
}

function sortGroups(req: { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { scope: { name: string } }[] }[] }) {
  const svc = (r: (typeof req.resourceSpans)[number]) => r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
  req.resourceSpans.sort((a, b) => svc(a).localeCompare(svc(b)));
  for (const r of req.resourceSpans) r.scopeSpans.sort((a, b) => a.scope.name.localeCompare(b.scope.name));
  return req;
}

function toOtelSpan(span: ReadableSpan, times: { start: number; end: number; events: number[] }, resources: Map<object, unknown>) {
  const ctx = span.spanContext();
  let resource = resources.get(span.resource);
  if (!resource) resources.set(span.resource, (resource = resourceFromAttributes({ ...span.resource.attributes } as never)));
  const conv = (a: Attributes) => ({ ...a });
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => ({ traceId: ctx.traceId, spanId: ctx.spanId, traceFlags: ctx.traceFlags, traceState: ctx.traceState }),
    parentSpanContext: span.parentSpanId ? { traceId: ctx.traceId, spanId: span.parentSpanId, traceFlags: 1, isRemote: span.parentIsRemote } : undefined,
    startTime: toHr(times.start),
    endTime: toHr(times.end),
    duration: toHr(times.end - times.start),
    status: span.status,
    attributes: conv(span.attributes),
    links: span.links.map((l) => ({ context: l.context, attributes: conv(l.attributes), droppedAttributesCount: l.droppedAttributesCount })),
    events: span.events.map((e, i) => ({ name: e.name, time: toHr(times.events[i]!), attributes: conv(e.attributes), droppedAttributesCount: e.droppedAttributesCount })),
    ended: true,
    resource,
    instrumentationScope: span.scope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

describe('OTLP JSON encoding', () => {
  it('is semantically equal to @opentelemetry/otlp-transformer for randomized spans', () => {
    fc.assert(
      fc.property(fc.array(spanSpec, { minLength: 1, maxLength: 8 }), (specs) => {
        const exporter = memoryExporter();
        // Small limits so dropped counts show up in the encoding.
        const limits = { attributeCountLimit: 4, eventCountLimit: 3, linkCountLimit: 2, attributePerEventCountLimit: 2, attributePerLinkCountLimit: 2 };
        const tracings = {
          'svc-one': createTracing({ serviceName: 'svc-one', resource: { 'host.name': 'h1', 'x.count': 3 }, exporter, batch: false, spanLimits: limits }),
          'svc-two': createTracing({ serviceName: 'svc-two', serviceVersion: '2.0', environment: 'prod', exporter, batch: false, spanLimits: limits }),
        };
        const times = new Map<ReadableSpan, { start: number; end: number; events: number[] }>();
        for (const spec of specs) {
          const tracer = tracings[spec.service].getTracer(spec.scope[0]!, spec.scope[1]);
          const parentContext = spec.parent
            ? setSpanContext(ROOT_CONTEXT, {
                traceId: spec.parent.traceId,
                spanId: spec.parent.spanId,
                traceFlags: spec.parent.flags,
                isRemote: spec.parent.remote,
                traceState: spec.parent.remote ? stateOf('vendor=abc') : undefined,
              } as SpanContext)
            : ROOT_CONTEXT;
          const span = tracer.startSpan(
            spec.name,
            {
              kind: spec.kind,
              startTime: spec.start / 1000,
              attributes: spec.attributes,
              links: spec.links.map((l) => ({
                context: { traceId: l.traceId, spanId: l.spanId, traceFlags: l.flags, isRemote: l.remote, traceState: l.remote ? stateOf('k=v') : undefined },
                attributes: l.attributes,
              })),
            },
            parentContext,
          );
          const eventTimes: number[] = [];
          for (const e of spec.events) {
            span.addEvent(e.name, e.attributes, (spec.start + e.offset) / 1000);
            if (eventTimes.length < limits.eventCountLimit) eventTimes.push(spec.start + e.offset);
          }
          if (spec.status) span.setStatus(spec.status);
          span.end((spec.start + spec.duration) / 1000);
          const finished = exporter.spans[exporter.spans.length - 1]!;
          times.set(finished, { start: spec.start, end: spec.start + spec.duration, events: eventTimes });
        }
        const ours = JSON.parse(encodeOtlpJson(exporter.spans));
        const resources = new Map<object, unknown>();
        const official = JSON.parse(
          new TextDecoder().decode(
            JsonTraceSerializer.serializeRequest(exporter.spans.map((s) => toOtelSpan(s, times.get(s)!, resources)) as never),
          ),
        );
        expect(strip(sortGroups(ours))).toEqual(strip(sortGroups(official)));
      }),
      { numRuns: 150 },
    );
  });

  it('writes 64-bit integers as decimal strings, ids as hex, kinds and status codes as integers', () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ serviceName: 's', exporter, batch: false });
    const span = tracer.startSpan('x', { kind: SpanKind.CLIENT, startTime: 1_700_000_000_123.456, attributes: { big: 2 ** 53 - 1, f: 0.5, nan: NaN } });
    span.setStatus({ code: 2, message: 'bad' });
    span.end(1_700_000_001_000.000_5);
    const body = JSON.parse(encodeOtlpJson(exporter.spans));
    const out = body.resourceSpans[0].scopeSpans[0].spans[0];
    expect(out.kind).toBe(3);
    expect(out.status).toEqual({ code: 2, message: 'bad' });
    expect(out.startTimeUnixNano).toBe('1700000000123456000');
    expect(out.endTimeUnixNano).toBe('1700000001000000000');
    expect(out.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(out.attributes).toEqual([
      { key: 'big', value: { intValue: '9007199254740991' } },
      { key: 'f', value: { doubleValue: 0.5 } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
    ]);
  });

  it('sends an integer as intValue only where int64 holds it: 2^63 and beyond become doubles', () => {
    // int64 is -2^63 .. 2^63-1; the largest double below 2^63 is 2^63 - 1024 (written as JS writes it).
    expect(encodeAttributes({ below: 2 ** 63 - 1024, neg: -(2 ** 63 - 1024), at: 2 ** 63, huge: -1e300 })).toEqual([
      { key: 'below', value: { intValue: '9223372036854775000' } },
      { key: 'neg', value: { intValue: '-9223372036854775000' } },
      { key: 'at', value: { doubleValue: 2 ** 63 } },
      { key: 'huge', value: { doubleValue: -1e300 } },
    ]);
  });

  it('leaves out an attribute whose value is undefined', () => {
    expect(encodeAttributes({ a: 1, gone: undefined, b: 'x' })).toEqual([
      { key: 'a', value: { intValue: '1' } },
      { key: 'b', value: { stringValue: 'x' } },
    ]);
  });

  it("groups spans by instrumentation scope name and version (https://opentelemetry.io/docs/specs/otlp/ ScopeSpans), and keeps the resource's schemaUrl", () => {
    const exporter = memoryExporter();
    const tracing = createTracing({ serviceName: 's', exporter, batch: false });
    for (const [name, version] of [['lib', '1.0'], ['lib', '2.0'], ['lib', '1.0'], ['lib', undefined], ['other', '1.0']] as const) {
      tracing.getTracer(name, version).startSpan(`${name}@${version}`).end();
    }
    const request = toOtlpRequest(exporter.spans) as { resourceSpans: { scopeSpans: { scope: object; spans: { name: string }[] }[]; schemaUrl?: string }[] };
    expect(request.resourceSpans).toHaveLength(1);
    expect(request.resourceSpans[0]!.scopeSpans.map((g) => ({ scope: g.scope, spans: g.spans.map((x) => x.name) }))).toEqual([
      { scope: { name: 'lib', version: '1.0' }, spans: ['lib@1.0', 'lib@1.0'] },
      { scope: { name: 'lib', version: '2.0' }, spans: ['lib@2.0'] },
      { scope: { name: 'lib', version: undefined }, spans: ['lib@undefined'] },
      { scope: { name: 'other', version: '1.0' }, spans: ['other@1.0'] },
    ]);
    expect(request.resourceSpans[0]!.schemaUrl).toBeUndefined();
    // A span whose resource has a schema URL (an exporter may be handed spans made by other code).
    const resource = { ...exporter.spans[0]!.resource, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' };
    const withSchema = new Proxy(exporter.spans[0]!, {
      get: (span, key) => (key === 'resource' ? resource : typeof Reflect.get(span, key) === 'function' ? Reflect.get(span, key).bind(span) : Reflect.get(span, key)),
    });
    expect(JSON.parse(encodeOtlpJson([withSchema])).resourceSpans[0].schemaUrl).toBe('https://opentelemetry.io/schemas/1.26.0');
  });

  it('writes arrays and objects as JSON even on a page that gave them a toJSON (Prototype.js 1.6 turns arrays into strings)', () => {
    const exporter = memoryExporter();
    createTracing({ serviceName: 's', exporter, batch: false }).tracer.startSpan('x', { attributes: { list: ['a', 'b'] } }).end();
    const clean = encodeOtlpJson(exporter.spans);
    const protos = [Array.prototype, Object.prototype] as unknown as { toJSON?: () => unknown }[];
    for (const proto of protos) {
      proto.toJSON = function () {
        return 'mangled';
      };
      try {
        expect(encodeOtlpJson(exporter.spans)).toBe(clean);
      } finally {
        delete proto.toJSON;
      }
    }
    expect(JSON.parse(clean).resourceSpans[0].scopeSpans[0].spans[0].attributes).toEqual([{ key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } } }]);
  });
});
