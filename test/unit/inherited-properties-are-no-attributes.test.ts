// A page (or an old library) that assigns to Object.prototype makes an
// enumerable member every object inherits. Attributes are copied by their own
// keys, so such a member is no attribute of spans, events, links or the resource.
// Pure logic: Node.
import { afterEach, describe, expect, it } from 'vitest';
import { createTracing, encodeOtlpJson } from '../../src/index.js';
import { memoryExporter } from './helpers/spans.js';

const proto = Object.prototype as Record<string, unknown>;
afterEach(() => {
  delete proto.pageFlag;
});

describe('attributes from objects', () => {
  it("an enumerable Object.prototype member (Object.prototype.pageFlag = 'x') becomes no attribute anywhere", async () => {
    proto.pageFlag = 'x';
    const exporter = memoryExporter();
    const tracing = createTracing({ exporter, batch: false, registerGlobals: false, resource: { 'team.name': 'web' } });
    const other = tracing.tracer.startSpan('other');
    const span = tracing.tracer.startSpan('checkout', { attributes: { 'cart.items': 3 }, links: [{ context: other.spanContext(), attributes: { 'link.kind': 'retry' } }] });
    span.setAttributes({ 'app.plan': 'pro' });
    span.addEvent('paid', { 'payment.method': 'card' });
    span.addLink({ context: other.spanContext(), attributes: { 'link.kind': 'follows' } });
    span.end();
    other.end();
    await tracing.flush();
    const s = exporter.spans.find((x) => x.name === 'checkout')!;
    expect(Object.keys(s.attributes)).toEqual(['cart.items', 'app.plan']);
    expect(s.droppedAttributesCount).toBe(0);
    expect(Object.keys(s.events[0]!.attributes)).toEqual(['payment.method']);
    expect(s.links.map((l) => Object.keys(l.attributes))).toEqual([['link.kind'], ['link.kind']]);
    expect(Object.keys(s.resource.attributes)).not.toContain('pageFlag');
    expect(JSON.stringify(encodeOtlpJson(exporter.spans))).not.toContain('pageFlag');
  });

  it('an attributes object with a prototype of its own: only its own keys are recorded', async () => {
    const exporter = memoryExporter();
    const tracing = createTracing({ exporter, batch: false, registerGlobals: false });
    const defaults = { 'inherited.key': 'from-prototype' };
    const attributes = Object.assign(Object.create(defaults) as Record<string, string>, { 'own.key': 'mine' });
    tracing.tracer.startSpan('s', { attributes }).end();
    await tracing.flush();
    expect({ ...exporter.spans[0]!.attributes }).toEqual({ 'own.key': 'mine' });
  });
});
