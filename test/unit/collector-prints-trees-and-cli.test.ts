import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { formatTrace } from '../../demo/collector/tree.mjs';
import { startCollector, type Collector, type StoredSpan } from '../../demo/collector/collector.mjs';
import { createTracing } from '../../src/index.js';
import { otlpBatch } from './helpers/collector-process.js';

const span = (name: string, spanId: string, parentSpanId: string | undefined, startMs: number, durMs: number, extra: Partial<StoredSpan> = {}): StoredSpan => ({
  traceId: 't'.repeat(32),
  spanId,
  parentSpanId,
  name,
  kind: 1,
  startTimeUnixNano: String(BigInt(startMs) * 1_000_000n),
  endTimeUnixNano: String(BigInt(startMs) * 1_000_000n + BigInt(durMs * 1e6)),
  resource: { 'service.name': 'svc' },
  scope: { name: 's' },
  attributesMap: {},
  ...extra,
});

describe('trace trees', () => {
  it('nests by parent, orders siblings by start, marks errors and orphans', () => {
    const text = formatTrace([
      span('late child', 'c2', 'r1', 20, 1),
      span('root', 'r1', undefined, 0, 30.04),
      span('early child', 'c1', 'r1', 10, 2.5, { kind: 3, status: { code: 2 }, resource: { 'service.name': 'edge' } }),
      span('grandchild', 'g1', 'c1', 11, 0.25),
      span('lost', 'o1', 'ffffffffffffffff', 5, 1),
    ]);
    expect(text).toBe(
      [
        `trace ${'t'.repeat(32)} (5 spans, svc, edge)`,
        '  root  [svc] internal 30.0 ms',
        '    early child  [edge] client 2.5 ms ERROR',
        '      grandchild  [svc] internal 0.3 ms',
        '    late child  [svc] internal 1.0 ms',
        '  lost  [svc] internal 1.0 ms (orphan: parent ffffffffffffffff missing)',
      ].join('\n'),
    );
  });
});

describe('collector printing and CLI', () => {
  let collector: Collector | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await collector?.close();
    collector = undefined;
  });

  it('prints each trace once it has been quiet for quietMs', async () => {
    // The printer's clock (Date.now and its timer) is stepped, never waited for; the HTTP exchange is real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const printed: string[] = [];
    collector = await startCollector({ port: 0, quietMs: 100, print: (t) => printed.push(t) });
    const tracing = createTracing({ serviceName: 'printer', endpoint: collector.tracesUrl });
    tracing.tracer.startActiveSpan('foo', (foo) => {
      tracing.tracer.startSpan('bar').end();
      foo.end();
    });
    await tracing.flush();
    expect(printed).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(99);
    expect(printed).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(printed).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000); // and only once
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^trace [0-9a-f]{32} \(2 spans, printer\)\n {2}foo {2}\[printer\] internal [\d.]+ ms\n {4}bar {2}\[printer\]/);
  });

  const cli = fileURLToPath(new URL('../../demo/collector/cli.mjs', import.meta.url));
  const runCli = (args: string[], untilLine: RegExp) =>
    new Promise<{ out: string; code: number | null }>((resolve) => {
      const child = spawn(process.execPath, [cli, ...args]);
      let out = '';
      const onData = (d: Buffer) => {
        out += d.toString();
        if (untilLine.test(out)) child.kill('SIGTERM');
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', (code) => resolve({ out, code }));
    });

  it('the CLI prints where it listens and stops on SIGTERM', async () => {
    const { out } = await runCli(['--port', '0'], /listening/);
    expect(out).toMatch(/^tracelet dev collector listening on http:\/\/127\.0\.0\.1:(\d+) \(POST \/v1\/traces, viewer at http:\/\/127\.0\.0\.1:\1\/\)\n$/);
  });

  it('the CLI exits 1 with one clear line when the port is busy', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { out, code } = await runCli(['--port', String(port)], /$^/);
      expect(code).toBe(1);
      expect(out.trim()).toBe(`tracelet-collector: port ${port} on 127.0.0.1 is busy; stop what uses it or pass --port <other port> (0 picks a free one)`);
    } finally {
      blocker.close();
    }
  });
});

describe('what the collector prints is safe for a terminal', () => {
  let c: Collector | undefined;
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it('escapes control characters, so a span name can neither forge a line nor retitle the terminal', () => {
    const forged = 'pay\x1b]0;pwned\x07\n  forged  [bank] server 1.0 ms\r\u202eevil';
    const text = formatTrace([span(forged, 'r1', undefined, 0, 1, { resource: { 'service.name': 'svc\x1b[31m' } })]);
    expect(text.split('\n')).toEqual([`trace ${'t'.repeat(32)} (1 span, svc\\x1b[31m)`, '  pay\\x1b]0;pwned\\x07\\x0a  forged  [bank] server 1.0 ms\\x0d\\u202eevil  [svc\\x1b[31m] internal 1.0 ms']);
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
  });

  it('prints at most ten trees of the traces that fall due together, then one line for the rest', async () => {
    const printed: string[] = [];
    let summarised!: () => void;
    const summary = new Promise<void>((resolve) => (summarised = resolve));
    c = await startCollector({ port: 0, quietMs: 50, print: (t) => (printed.push(t), t.startsWith('…') && summarised()) });
    await fetch(c.tracesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: otlpBatch(30, { name: (i) => `span ${i}` }) });
    await summary; // the rest line comes last, in the same pass as the trees
    expect(printed.filter((t) => t.startsWith('trace '))).toHaveLength(10);
    expect(printed.at(-1)).toBe(`… and 20 more traces (20 spans) arrived together; not printed here, the viewer at ${c.url}/ shows them\n`);
    expect(printed).toHaveLength(11);
  });

  it('a trace of many spans prints its first 200 lines and how many more there are', () => {
    const many = Array.from({ length: 500 }, (_, i) => span(`s${i}`, `c${i}`, i === 0 ? undefined : 'c0', i, 1));
    const lines = formatTrace(many).split('\n');
    expect(lines).toHaveLength(1 + 200 + 1);
    expect(lines.at(-1)).toBe('  … 300 more spans (the viewer shows them all)');
  });
});
