// Helpers for the src/browser/lib tests: a real tracer that keeps its spans,
// and real Resource Timing entries from requests to the vitest server.
import { expect } from 'vitest';
import { createTracing, type ReadableSpan, type SpanExporter } from '../../src/index.js';

/** A tracer whose finished spans land in `spans` at once (no batching). */
export function recordingTracer() {
  const spans: ReadableSpan[] = [];
  const exporter: SpanExporter = { export: (batch) => void spans.push(...batch) };
  const { tracer } = createTracing({ serviceName: 'browser-lib-test', exporter, batch: false });
  return { tracer, spans };
}

/** The fixture image, at a URL no other request of this page used. */
export function freshUrl(path = '/test/browser-lib/fixtures/dot.svg', query = ''): string {
  return new URL(`${path}?n=${crypto.randomUUID()}${query}`, location.href).href;
}

/** The Resource Timing entry of `url`, once the browser has recorded it. */
export async function entryOf(url: string): Promise<PerformanceResourceTiming> {
  await expect.poll(() => performance.getEntriesByName(url, 'resource').length).toBeGreaterThan(0);
  return performance.getEntriesByName(url, 'resource')[0] as PerformanceResourceTiming;
}

/** Loads `url` as an <img> (initiator type `img`) and waits for its entry. */
export async function loadImage(url: string): Promise<PerformanceResourceTiming> {
  const img = new Image();
  img.src = url;
  await img.decode().catch(() => undefined);
  return entryOf(url);
}

/** Fetches `url`, reads the body, and waits for the entry (initiator type `fetch`). */
export async function fetchEntry(url: string, init?: RequestInit): Promise<{ entry: PerformanceResourceTiming; body: string }> {
  const body = await (await fetch(url, init)).text();
  return { entry: await entryOf(url), body };
}
