// The dev collector as users run it: `tracelet-collector` in its own process,
// so a test can read its memory, send it signals and see whether it stays up.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';

const cli = fileURLToPath(new URL('../../../demo/collector/cli.mjs', import.meta.url));

export interface CollectorProcess {
  child: ChildProcess;
  url: string;
  /** Everything printed so far (stdout and stderr apart). */
  stdout(): string;
  stderr(): string;
  /** Peak resident memory of the process so far, in MiB (Linux /proc). */
  peakRssMiB(): number;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function startCollectorProcess(args: string[] = []): Promise<CollectorProcess> {
  const child = spawn(process.execPath, [cli, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`tracelet-collector exited ${code}: ${err}`)));
  });
  return {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    peakRssMiB: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A raw HTTP request with exactly the headers given (fetch would add or refuse some). */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * An ExportTraceServiceRequest of `count` small spans, `perTrace` to a trace,
 * as a JSON string. `batch` makes the ids differ from every other batch.
 */
export function otlpBatch(count: number, { perTrace = 1, batch = 0, service = 'load', name = (i: number) => `GET /items/${i}` } = {}): string {
  const spans: string[] = [];
  for (let i = 0; i < count; i++) {
    const trace = Math.floor(i / perTrace);
    spans.push(
      `{"traceId":"${hex(batch + 1, 8)}${hex(trace + 1, 24)}","spanId":"${hex(batch + 1, 6)}${hex(i + 1, 10)}","name":${JSON.stringify(name(i))},"kind":3,` +
        `"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000005000000"}`,
    );
  }
  return `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"${service}"}}]},"scopeSpans":[{"scope":{"name":"load"},"spans":[${spans.join(',')}]}]}]}`;
}
