// The Zipkin v2 mapping, rule by rule, as the OpenTelemetry specification's
// Zipkin exporter section says (https://opentelemetry.io/docs/specs/otel/trace/sdk_exporters/zipkin/)
// with the generic non-OTLP rules (https://opentelemetry.io/docs/specs/otel/common/mapping-to-non-otlp/).
import { beforeAll, describe, expect, it } from 'vitest';
import { createTracing, ROOT_CONTEXT, setSpanContext, SpanKind, type ReadableSpan } from '../../src/index.js';
import { encodeZipkinJson, toZipkinSpan, type ZipkinSpan } from '../../src/zipkin.js';
import { memoryExporter } from './helpers/spans.js';
import { REMOTE_PARENT, zipkinSampleSpans } from './helpers/zipkin-spans.js';

let spans: Map<string, ReadableSpan>;
const zipkin = (name: string): ZipkinSpan => JSON.parse(JSON.stringify(toZipkinSpan(spans.get(name)!)));

beforeAll(async () => {
  spans = await zipkinSampleSpans();
});

describe('Zipkin v2 spans', () => {
  it('ids as lower-case hex, the parent id, times in whole microseconds, service name from the resource', () => {
    const internal = zipkin('internal work');
    const source = spans.get('internal work')!;
    expect(internal.traceId).toBe(source.spanContext().traceId);
    expect(internal.id).toBe(source.spanContext().spanId);
    expect(internal.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(internal.id).toMatch(/^[0-9a-f]{16}$/);
    expect('parentId' in internal).toBe(false);
    expect(internal.timestamp).toBe(1_700_000_000_123_456);
    expect(internal.duration).toBe(12_345);
    expect(internal.localEndpoint).toEqual({ serviceName: 'zipkin-test' });
    const server = zipkin('GET /cart');
    expect(server.parentId).toBe(REMOTE_PARENT.spanId);
    expect(zipkin('GET').parentId).toBe(server.id);
    expect(zipkin('GET').duration).toBe(3_001);
  });

  it('kinds: SERVER, CLIENT, PRODUCER, CONSUMER by name; INTERNAL has none', () => {
    expect(zipkin('GET /cart').kind).toBe('SERVER');
    expect(zipkin('GET').kind).toBe('CLIENT');
    expect(zipkin('publish orders').kind).toBe('PRODUCER');
    expect(zipkin('process orders').kind).toBe('CONSUMER');
    expect('kind' in zipkin('internal work')).toBe(false);
  });

  it('shared: true only on a SERVER span that continues a remote parent', () => {
    expect(zipkin('GET /cart').shared).toBe(true);
    expect(zipkin('GET /health').kind).toBe('SERVER');
    expect(zipkin('GET /local').parentId).toBe(zipkin('GET /cart').id);
    for (const name of ['GET /health', 'GET /local', 'GET', 'publish orders', 'process orders', 'internal work']) expect('shared' in zipkin(name), name).toBe(false);
  });

  it('tags: attributes as strings (numbers, lower-case booleans), arrays as JSON lists, the resource, the scope', () => {
    const internal = zipkin('internal work');
    expect(internal.tags).toMatchObject({ 'cart.items': '3', ratio: '0.25', ok: 'true', note: 'plain' });
    expect(internal.tags).toMatchObject({ 'service.name': 'zipkin-test', 'service.version': '1.2.3', 'service.namespace': 'shop', 'deployment.environment.name': 'test', 'telemetry.sdk.name': 'tracelet' });
    expect(internal.tags['otel.scope.name']).toBe('tracelet');
    expect(zipkin('GET').tags).toMatchObject({ 'otel.scope.name': 'checkout-lib', 'otel.scope.version': '0.9.0', 'server.port': '8443' });
    const divergent = zipkin('divergent');
    expect(divergent.tags['http.request.header.accept']).toBe('["text/html","application/json"]');
    expect(divergent.tags.codes).toBe('[1,2]');
  });

  it('status: otel.status_code OK or ERROR, error = the description (empty without one), nothing for UNSET', () => {
    expect(zipkin('GET').tags).toMatchObject({ 'otel.status_code': 'ERROR', error: 'upstream unavailable' });
    expect(zipkin('divergent').tags).toMatchObject({ 'otel.status_code': 'ERROR', error: '' });
    expect(zipkin('process orders').tags['otel.status_code']).toBe('OK');
    expect('error' in zipkin('process orders').tags).toBe(false);
    const unset = zipkin('internal work').tags;
    expect('otel.status_code' in unset || 'error' in unset).toBe(false);
  });

  it('an error attribute saying "false" is removed unless the status is ERROR (Zipkin reads any error tag as a failure)', () => {
    const source = spans.get('internal work')!;
    const withError = (attributes: Record<string, unknown>, code = 0) => toZipkinSpan({ ...source, spanContext: () => source.spanContext(), attributes, status: { code } } as ReadableSpan).tags;
    expect('error' in withError({ error: false })).toBe(false);
    expect(withError({ error: true }).error).toBe('true');
    expect(withError({ error: false }, 2).error).toBe('');
  });

  it('a span attribute wins over a resource attribute of the same name, and the status tags over both', () => {
    const source = spans.get('GET')!;
    const tags = toZipkinSpan({ ...source, spanContext: () => source.spanContext(), attributes: { 'service.version': 'span', 'otel.status_code': 'UNSET?', 'server.port': 1 }, resource: { attributes: { 'service.name': 's', 'service.version': 'resource', 'otel.status_code': 'x' } } } as ReadableSpan).tags;
    expect(tags).toMatchObject({ 'service.version': 'span', 'otel.status_code': 'ERROR', error: 'upstream unavailable' });
  });

  it('dropped attribute, event and link counts as otel.dropped_*_count tags, only when not zero', () => {
    expect(zipkin('over the limits').tags).toMatchObject({ 'otel.dropped_attributes_count': '2', 'otel.dropped_events_count': '1', 'otel.dropped_links_count': '1' });
    expect(Object.keys(zipkin('internal work').tags).filter((k) => k.startsWith('otel.dropped'))).toEqual([]);
  });

  it('events as annotations: the name, or "name":{attributes} with attributes; none without events', () => {
    expect(zipkin('GET /cart').annotations).toEqual([{ timestamp: 1_700_000_000_124_956, value: 'cache miss' }]);
    expect(zipkin('divergent').annotations).toEqual([{ timestamp: 1_700_000_000_174_456, value: '"retry":{"attempt":2,"reason":"timeout \\"x\\""}' }]);
    expect('annotations' in zipkin('internal work')).toBe(false);
  });

  it('remoteEndpoint for CLIENT and PRODUCER only, from the highest-ranked attribute, IP literals as ipv4/ipv6', () => {
    expect(zipkin('GET').remoteEndpoint).toEqual({ serviceName: 'api.example.com', port: 8443 });
    // peer.service (rank 1) wins over server.address (rank 2).
    expect(zipkin('publish orders').remoteEndpoint).toEqual({ serviceName: 'orders-queue' });
    expect(zipkin('divergent').remoteEndpoint).toEqual({ ipv6: '2001:db8::1', port: 443 });
    expect('remoteEndpoint' in zipkin('GET /cart')).toBe(false);
    expect('remoteEndpoint' in zipkin('process orders')).toBe(false);
    const source = spans.get('GET')!;
    const endpoint = (attributes: Record<string, unknown>) => toZipkinSpan({ ...source, spanContext: () => source.spanContext(), attributes } as ReadableSpan).remoteEndpoint;
    expect(endpoint({ 'server.address': '10.1.2.3', 'server.port': '80' })).toEqual({ ipv4: '10.1.2.3', port: 80 });
    expect(endpoint({ 'server.address': '[::1]' })).toEqual({ ipv6: '::1' });
    expect(endpoint({ 'server.address': '300.1.2.3' })).toEqual({ serviceName: '300.1.2.3' });
    expect(endpoint({ 'network.peer.address': '10.0.0.1', 'network.peer.port': 70000, 'db.name': 'orders' })).toEqual({ ipv4: '10.0.0.1' });
    expect(endpoint({ 'network.peer.address': '10.0.0.1', 'network.peer.port': 65536 })).toEqual({ ipv4: '10.0.0.1' });
    expect(endpoint({ 'network.peer.address': '10.0.0.1', 'network.peer.port': 65535 })).toEqual({ ipv4: '10.0.0.1', port: 65535 });
    expect(endpoint({ 'network.peer.address': '10.0.0.1', 'network.peer.port': 0 })).toEqual({ ipv4: '10.0.0.1' });
    expect(endpoint({ 'net.sock.peer.addr': '10.0.0.2', 'net.sock.peer.port': 9042, 'peer.hostname': 'h' })).toEqual({ ipv4: '10.0.0.2', port: 9042 });
    expect(endpoint({ 'peer.address': 'p', 'peer.hostname': 'h' })).toEqual({ serviceName: 'h' });
    expect(endpoint({ 'db.name': 'orders' })).toEqual({ serviceName: 'orders' });
    expect(endpoint({ 'http.request.method': 'GET' })).toBeUndefined();
  });

  it('remoteEndpoint: each of the spec\'s eleven attributes alone names the peer, and each outranks the ones below it', () => {
    const source = spans.get('GET')!;
    const endpoint = (attributes: Record<string, unknown>) => toZipkinSpan({ ...source, spanContext: () => source.spanContext(), attributes } as ReadableSpan).remoteEndpoint;
    // spec, "Remote endpoint", the rank table; each with the port attribute that goes with it.
    const ranks: [string, string?][] = [
      ['peer.service'],
      ['server.address', 'server.port'],
      ['net.peer.name'],
      ['network.peer.address', 'network.peer.port'],
      ['server.socket.domain'],
      ['server.socket.address', 'server.socket.port'],
      ['net.sock.peer.name'],
      ['net.sock.peer.addr', 'net.sock.peer.port'],
      ['peer.hostname'],
      ['peer.address'],
      ['db.name'],
    ];
    ranks.forEach(([key, portKey], i) => {
      expect(endpoint({ [key]: `peer-${i + 1}` }), key).toEqual({ serviceName: `peer-${i + 1}` });
      if (portKey) expect(endpoint({ [key]: '10.9.8.7', [portKey]: 1000 + i }), portKey).toEqual({ ipv4: '10.9.8.7', port: 1000 + i });
      // A port attribute that goes with another rank does not give this one a port.
      expect(endpoint({ [key]: `peer-${i + 1}`, 'server.port': 1, 'network.peer.port': 2, 'server.socket.port': 3, 'net.sock.peer.port': 4, ...(portKey ? { [portKey]: 5 } : {}) }), key).toEqual(portKey ? { serviceName: `peer-${i + 1}`, port: 5 } : { serviceName: `peer-${i + 1}` });
      // With every lower rank present too, this one still wins.
      const lower = Object.fromEntries(ranks.slice(i + 1).map(([k], j) => [k, `lower-${i + j + 2}`]));
      expect(endpoint({ ...lower, [key]: `peer-${i + 1}` }), `${key} over the ranks below`).toEqual({ serviceName: `peer-${i + 1}` });
    });
  });

  it('remoteEndpoint: ipv4 only for four dot-separated numbers 0-255, ipv6 only for a (bracketed) hex-and-colon literal; anything else is a serviceName', () => {
    const source = spans.get('GET')!;
    const endpoint = (address: string) => toZipkinSpan({ ...source, spanContext: () => source.spanContext(), attributes: { 'server.address': address } } as ReadableSpan).remoteEndpoint;
    for (const ipv4 of ['10.200.30.40', '192.168.100.254', '255.255.255.255', '0.0.0.0', '1.2.3.4']) expect(endpoint(ipv4), ipv4).toEqual({ ipv4 });
    for (const name of ['1.2.3.256', '256.1.2.3', '5.1.2.3.4', '1.2.3.4.5', 'x1.2.3.4', '1.2.3.4x', '1.2.3', '1.2.3.1000', '1000.2.3.4']) expect(endpoint(name), name).toEqual({ serviceName: name });
    for (const ipv6 of ['::1', '2001:db8::1', 'fe80::a:b', '::ffff:10.0.0.1']) expect(endpoint(ipv6), ipv6).toEqual({ ipv6 });
    expect(endpoint('[::1]')).toEqual({ ipv6: '::1' });
    expect(endpoint('[2001:db8::1]')).toEqual({ ipv6: '2001:db8::1' });
    // Brackets only around the whole value; ':' with anything but hex digits, ':' and '.' around it is a name.
    for (const name of ['a[::1]', '[::1]b', 'host:8080', 'db:5432', 'fe80::1%eth0', '::1 x', 'ff:gg']) expect(endpoint(name), name).toEqual({ serviceName: name });
  });

  it('remoteEndpoint only for CLIENT and PRODUCER: SERVER, CONSUMER and INTERNAL spans with peer attributes have none', () => {
    const source = spans.get('GET')!;
    const attributes = { 'peer.service': 'orders', 'server.address': 'api.example.com', 'server.port': 443, 'network.peer.address': '10.0.0.1' };
    const as = (kind: SpanKind) => toZipkinSpan({ ...source, spanContext: () => source.spanContext(), kind, attributes } as ReadableSpan);
    expect(as(SpanKind.CLIENT).remoteEndpoint).toEqual({ serviceName: 'orders' });
    expect(as(SpanKind.PRODUCER).remoteEndpoint).toEqual({ serviceName: 'orders' });
    for (const [name, kind] of [['SERVER', SpanKind.SERVER], ['CONSUMER', SpanKind.CONSUMER], ['INTERNAL', SpanKind.INTERNAL]] as const) expect('remoteEndpoint' in JSON.parse(JSON.stringify(as(kind))), name).toBe(false);
  });

  it('shared: not on a CLIENT, CONSUMER or INTERNAL span that continues a remote parent (only SERVER spans are shared)', async () => {
    const exporter = memoryExporter();
    const tracing = createTracing({ serviceName: 'zipkin-test', exporter, batch: false, registerGlobals: false });
    const remote = setSpanContext(ROOT_CONTEXT, REMOTE_PARENT);
    for (const name of ['SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER', 'INTERNAL'] as const) tracing.tracer.startSpan(name, { kind: SpanKind[name] }, remote).end();
    await tracing.shutdown();
    const byName = new Map(exporter.spans.map((s) => [s.name, JSON.parse(JSON.stringify(toZipkinSpan(s))) as ZipkinSpan]));
    expect(exporter.spans.every((s) => s.parentIsRemote === true)).toBe(true);
    expect(byName.get('SERVER')!.shared).toBe(true);
    for (const name of ['CLIENT', 'PRODUCER', 'CONSUMER', 'INTERNAL']) expect('shared' in byName.get(name)!, name).toBe(false);
  });

  it('a scope with an empty name gives no otel.scope.name tag; a resource without service.name is "unknown_service"', () => {
    const source = spans.get('GET')!;
    const tags = toZipkinSpan({ ...source, spanContext: () => source.spanContext(), scope: { name: '' } } as ReadableSpan).tags;
    expect('otel.scope.name' in tags || 'otel.scope.version' in tags).toBe(false);
    // spec, "Service name": "If no service.name is found, the value unknown_service SHOULD be used" (as for any non-OTLP exporter).
    const nameless = toZipkinSpan({ ...source, spanContext: () => source.spanContext(), resource: { attributes: { 'service.version': '1' } } } as ReadableSpan);
    expect(nameless.localEndpoint).toEqual({ serviceName: 'unknown_service' });
  });

  it('a span shorter than a microsecond lasts 1 (zipkin2-api: durations of less than one are rounded up)', () => {
    expect(zipkin('divergent').duration).toBe(1);
  });

  it('the body is a JSON list of spans, without keys for absent fields', () => {
    const all = [...spans.values()];
    const body = encodeZipkinJson(all);
    const parsed = JSON.parse(body) as ZipkinSpan[];
    expect(parsed.map((s) => s.name)).toEqual(all.map((s) => s.name));
    expect(body).not.toContain('null');
    expect(body).not.toContain('undefined');
  });
});
