// Bytes are deterministic, so size budgets can be tests (timings never are).
// The budgets live in .size-limit.mjs, one per bundle: the fetch-only ESM
// bundle through rollup + terser and through esbuild --minify, the script tag
// dist/tracelet.min.js, the Worker bundle through esbuild. This test runs
// size-limit with that file and fails on any bundle over its budget; the
// issue's bars (5,000 / 5,500 / 14,000 / 10,000 B) are written beside them.
// BENCHMARKS.md has the same figures for the field and where the bytes go.
// It also checks that tree-shaking really drops what an app does not import.
// dist/ is built by `npm test` first (pretest).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper without types
import { bundle } from '../../bench/size.mjs';

const root = resolve(import.meta.dirname, '../..');

interface Check {
  name: string;
  passed?: boolean;
  size?: number;
  sizeLimit?: number;
}

describe('bundle size', () => {
  it('every bundle is within its budget in .size-limit.mjs (size-limit, gzip)', () => {
    const run = spawnSync(process.execPath, [`${root}/node_modules/size-limit/bin.js`, '--json'], { cwd: root, encoding: 'utf8' });
    let checks: Check[];
    try {
      checks = JSON.parse(run.stdout);
    } catch {
      throw new Error(`size-limit printed no results (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    }
    if (!Array.isArray(checks)) throw new Error(`size-limit failed: ${JSON.stringify(checks)}\n${run.stderr}`);
    expect(checks.length, 'one check per bundle: fetch-only (rollup, esbuild), script tag, worker').toBeGreaterThanOrEqual(4);
    const row = (c: Check) => `${c.name}: ${c.size?.toLocaleString('en-US')} B gzip, budget ${c.sizeLimit?.toLocaleString('en-US')} B`;
    const over = checks.filter((c) => c.passed !== true || typeof c.size !== 'number' || typeof c.sizeLimit !== 'number');
    expect(over.map(row), `over budget (.size-limit.mjs):\n${over.map(row).join('\n')}`).toEqual([]);
    expect(run.status).toBe(0);
  });

  it('startBrowserTracing with fetchInstrumentation only: no web-vitals, XHR, RUM, zone or extractor code', async () => {
    const code: string = await bundle(`${root}/bench/fixtures/tracelet-browser-fetch.mjs`);
    // Markers of code the fixture does not import.
    const markers = {
      webVitals: 'largestShiftTarget', // web-vitals attribution build
      webVitalsAnyBuild: 'largest-contentful-paint', // web-vitals' LCP observer, standard or attribution build
      xhr: 'XMLHttpRequest',
      documentLoad: 'documentLoad',
      vitalsSpans: 'web_vital',
      session: 'session.id',
      zone: '.fork(',
      b3: 'X-B3-',
      consoleExporter: 'SpanKind.INTERNAL',
      tracestateParser: '@]{0,255}$/', // the tracestate parser's key grammar
    };
    const present = Object.entries(markers).filter(([, marker]) => code.includes(marker)).map(([name]) => name);
    expect(present).toEqual([]);
    expect(code.includes('traceparent')).toBe(true);
  });

  it('Zipkin code is only in bundles that import tracelet/zipkin', async () => {
    // Markers of the Zipkin mapping and exporter: the field and the default URL.
    const zipkin = (code: string) => ['localEndpoint', '/api/v2/spans'].filter((marker) => code.includes(marker));
    for (const fixture of ['tracelet-browser-fetch.mjs', 'tracelet-worker.mjs', 'tracelet-core-otlp.mjs']) {
      expect(zipkin(await bundle(`${root}/bench/fixtures/${fixture}`)), fixture).toEqual([]);
    }
    expect(zipkin(readFileSync(`${root}/dist/tracelet.min.js`, 'utf8'))).toEqual([]);
    expect(zipkin(await bundle(`${root}/bench/fixtures/tracelet-zipkin.mjs`))).toEqual(['localEndpoint', '/api/v2/spans']);
  });

  it('no bundle but the opted-in one carries tracelet/otel-api: no @opentelemetry/api import, no W60, no setGlobal* call', async () => {
    const bridge = ['@opentelemetry/api', 'W60', 'setGlobalTracerProvider', 'setGlobalContextManager'];
    const others = {
      fetchOnly: await bundle(`${root}/bench/fixtures/tracelet-browser-fetch.mjs`),
      worker: await bundle(`${root}/bench/fixtures/tracelet-worker.mjs`),
      scriptTag: readFileSync(`${root}/dist/tracelet.min.js`, 'utf8'),
    };
    const found = Object.entries(others).flatMap(([name, code]) => bridge.filter((m) => code.includes(m)).map((m) => `${name}: ${m}`));
    expect(found).toEqual([]);
    // The markers do find the bridge where it is imported.
    const withBridge: string = await bundle(`${root}/bench/fixtures/tracelet-browser-fetch-otel-api.mjs`);
    expect(bridge.filter((m) => withBridge.includes(m))).toEqual(bridge);
  });

  it('the script tag injects headers only: B3 on request, no tracestate parser', () => {
    const code = readFileSync(`${root}/dist/tracelet.min.js`);
    expect(code.includes('X-B3-TraceId')).toBe(true);
    expect(code.includes('@]{0,255}$/')).toBe(false);
  });
});
