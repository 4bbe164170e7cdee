import { SUPPRESS_TRACING } from '../core/context.js';
import { warnOnce } from '../core/diag.js';
import { ExportResultCode, type ExportResult, type ReadableSpan, type SpanExporter } from '../core/types.js';
import { encodeOtlpJson } from './otlp-json.js';

export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318/v1/traces';

export interface RetryOptions {
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** Wait before the first retry (default 1000 ms), grown by `multiplier` (1.5) up to `maxBackoffMillis` (5000 ms), with ±20 % jitter. */
  initialBackoffMillis?: number;
  maxBackoffMillis?: number;
  multiplier?: number;
}

export interface OtlpHttpExporterOptions {
  /** Full OTLP/HTTP traces URL (default `http://localhost:4318/v1/traces`). */
  endpoint?: string;
  /** Base for a relative `endpoint` (the browser passes `location.href`). */
  baseUrl?: string;
  /** Extra request headers, e.g. `{ authorization: 'Bearer …' }`. */
  headers?: Record<string, string>;
  /** Longest one HTTP attempt may take (default 10 000 ms). */
  timeoutMillis?: number;
  /** Longest one export may take, retries and waits included (default 20 000 ms). */
  maxElapsedMillis?: number;
  /** `'gzip'` (default where `CompressionStream` exists, for bodies over 1 KiB) or `'none'`. */
  compression?: 'gzip' | 'none';
  /** Retry policy, or `false` for a single attempt. */
  retry?: RetryOptions | false;
  /** The fetch to call (default: `globalThis.fetch` at export time). */
  fetch?: typeof fetch;
  /** Send bodies under 60 KiB with `keepalive: true`, so they outlive the page (browsers). */
  keepalive?: boolean;
}

const RETRYABLE = new Set([429, 502, 503, 504]);
const GZIP_MIN_BYTES = 1024;

/** Validates an OTLP endpoint; throws a TypeError naming the problem. */
export function resolveEndpoint(endpoint: string, baseUrl?: string): string {
  let url: URL;
  try {
    url = new URL(endpoint, baseUrl);
  } catch {
    throw new TypeError(`tracelet: endpoint "${endpoint}" is not a valid URL; give the full OTLP traces URL, e.g. ${DEFAULT_OTLP_ENDPOINT}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`tracelet: endpoint "${endpoint}" must be an http: or https: URL`);
  }
  return url.href;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0)) throw new TypeError(`tracelet: ${name} must be a number > 0, got ${String(value)}`);
  return value;
}

/**
 * Parses `Retry-After` (https://www.rfc-editor.org/rfc/rfc9110#name-retry-after):
 * delay-seconds or an HTTP-date. Returns milliseconds, or undefined if absent or bad.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function gzip(body: string): Promise<Uint8Array> {
  const stream = new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    (t as { unref?: () => void }).unref?.();
  });
}

/**
 * Sends spans as OTLP/HTTP JSON (https://opentelemetry.io/docs/specs/otlp/#otlphttp).
 * Retries only what the spec calls retryable (429, 502, 503, 504 and network
 * failures, https://opentelemetry.io/docs/specs/otlp/#retryable-response-codes),
 * honouring `Retry-After`, else exponential backoff with jitter. Never throws:
 * every failure becomes a FAILED result and a one-time console diagnostic.
 *
 * @example
 * const exporter = new OtlpHttpExporter({ endpoint: 'https://otel.example.com/v1/traces', headers: { 'x-api-key': key } });
 */
export class OtlpHttpExporter implements SpanExporter {
  readonly endpoint: string;
  readonly #headers: Record<string, string>;
  readonly #timeout: number;
  readonly #maxElapsed: number;
  readonly #gzip: boolean;
  readonly #retry: Required<RetryOptions>;
  readonly #fetch: typeof fetch | undefined;
  readonly #keepalive: boolean;
  readonly #pending = new Set<Promise<ExportResult>>();
  #shutdown = false;

  constructor(options: OtlpHttpExporterOptions = {}) {
    this.endpoint = resolveEndpoint(options.endpoint ?? DEFAULT_OTLP_ENDPOINT, options.baseUrl);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.headers ?? {})) {
      if (typeof v !== 'string') throw new TypeError(`tracelet: header "${k}" must be a string, got ${typeof v}`);
      headers[k.toLowerCase()] = v;
    }
    headers['content-type'] = 'application/json';
    this.#headers = headers;
    this.#timeout = positive('timeoutMillis', options.timeoutMillis, 10_000);
    this.#maxElapsed = positive('maxElapsedMillis', options.maxElapsedMillis, 20_000);
    if (options.compression !== undefined && options.compression !== 'gzip' && options.compression !== 'none') {
      throw new TypeError(`tracelet: compression must be 'gzip' or 'none', got ${String(options.compression)}`);
    }
    this.#gzip = options.compression !== 'none' && typeof CompressionStream === 'function';
    const r = options.retry === false ? { maxAttempts: 1 } : (options.retry ?? {});
    this.#retry = {
      maxAttempts: Math.floor(positive('retry.maxAttempts', r.maxAttempts, 5)),
      initialBackoffMillis: positive('retry.initialBackoffMillis', r.initialBackoffMillis, 1000),
      maxBackoffMillis: positive('retry.maxBackoffMillis', r.maxBackoffMillis, 5000),
      multiplier: positive('retry.multiplier', r.multiplier, 1.5),
    };
    this.#fetch = options.fetch;
    this.#keepalive = options.keepalive === true;
  }

  export(spans: ReadableSpan[]): Promise<ExportResult> {
    if (spans.length === 0) return Promise.resolve({ code: ExportResultCode.SUCCESS });
    return this.exportBody(encodeOtlpJson(spans), spans.length);
  }

  /**
   * Sends an already encoded request body (e.g. spans stored by a previous
   * page) with the same headers, compression and retry policy. A failure whose
   * error has `retryable: true` means the collector could not be reached.
   */
  exportBody(json: string, spanCount: number): Promise<ExportResult> {
    if (this.#shutdown) return Promise.resolve({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
    const p = this.#send(json, spanCount).catch((error: unknown) => {
      warnOnce('otlp-unexpected', `export failed unexpectedly: ${String(error)}`);
      return { code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) };
    });
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
    return p;
  }

  async #send(json: string, count: number): Promise<ExportResult> {
    const doFetch = this.#fetch ?? (globalThis.fetch as typeof fetch | undefined);
    if (typeof doFetch !== 'function') {
      warnOnce('otlp-no-fetch', 'no fetch() in this runtime; spans cannot be exported over OTLP/HTTP');
      return { code: ExportResultCode.FAILED, error: new Error('no fetch') };
    }
    const headers = { ...this.#headers };
    let body: string | Uint8Array = json;
    if (this.#gzip && json.length > GZIP_MIN_BYTES) {
      try {
        body = await gzip(json);
        headers['content-encoding'] = 'gzip';
      } catch {
        body = json;
      }
    }
    const started = Date.now();
    let backoff = this.#retry.initialBackoffMillis;
    for (let attempt = 1; ; attempt++) {
      const remaining = this.#maxElapsed - (Date.now() - started);
      const outcome = await this.#attempt(doFetch, body, headers, Math.min(this.#timeout, Math.max(remaining, 1)), count);
      if (outcome.done) return outcome.result;
      // Retryable. Wait as the server asked, or back off with ±20 % jitter.
      const wait = outcome.retryAfter ?? Math.min(backoff, this.#retry.maxBackoffMillis) * (0.8 + Math.random() * 0.4);
      backoff *= this.#retry.multiplier;
      const left = this.#maxElapsed - (Date.now() - started);
      if (attempt >= this.#retry.maxAttempts || wait >= left) {
        warnOnce(
          'otlp-gave-up',
          `gave up exporting ${count} spans to ${this.endpoint} after ${attempt} attempt(s): ${outcome.reason}; not delivered`,
        );
        return { code: ExportResultCode.FAILED, error: Object.assign(new Error(outcome.reason), { retryable: true }) };
      }
      await sleep(wait);
    }
  }

  async #attempt(
    doFetch: typeof fetch,
    body: string | Uint8Array,
    headers: Record<string, string>,
    timeout: number,
    count: number,
  ): Promise<{ done: true; result: ExportResult } | { done: false; reason: string; retryAfter?: number }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    (timer as { unref?: () => void }).unref?.();
    let response: Response;
    try {
      const init: RequestInit & { [SUPPRESS_TRACING]?: true } = {
        method: 'POST',
        headers,
        body: body as BodyInit,
        signal: controller.signal,
        [SUPPRESS_TRACING]: true,
      };
      // The browser's in-flight keepalive budget is 64 KiB (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch).
      if (this.#keepalive && (typeof body === 'string' ? body.length * 3 : body.byteLength) < 60 * 1024) init.keepalive = true;
      response = await doFetch(this.endpoint, init);
    } catch (error) {
      clearTimeout(timer);
      const reason = controller.signal.aborted ? `no answer within ${timeout} ms` : `network error (${String((error as Error)?.message ?? error)})`;
      return { done: false, reason };
    }
    let text = '';
    try {
      // Read the body so the connection is released; its content is the
      // collector's explanation for a failure or a partial success.
      text = await response.text();
    } catch {
      // ignore: the status is what counts
    } finally {
      clearTimeout(timer);
    }
    const status = response.status;
    if (status >= 200 && status < 300) {
      this.#checkPartialSuccess(text, count);
      return { done: true, result: { code: ExportResultCode.SUCCESS } };
    }
    if (RETRYABLE.has(status)) {
      return { done: false, reason: `HTTP ${status}`, retryAfter: parseRetryAfter(response.headers.get('retry-after')) };
    }
    warnOnce(
      'otlp-status-' + status,
      `the collector at ${this.endpoint} answered HTTP ${status}${text ? ': ' + text.slice(0, 300) : ''}; ${count} spans dropped (not retryable)`,
    );
    return { done: true, result: { code: ExportResultCode.FAILED, error: new Error(`HTTP ${status}`) } };
  }

  /** A 200 may still reject some spans; say so once, never retry (https://opentelemetry.io/docs/specs/otlp/#partial-success-1). */
  #checkPartialSuccess(text: string, count: number): void {
    if (!text || text[0] !== '{') return;
    try {
      const parsed = JSON.parse(text) as { partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string } };
      const partial = parsed.partialSuccess;
      if (!partial) return;
      const rejected = Number(partial.rejectedSpans ?? 0);
      if (rejected > 0 || partial.errorMessage) {
        warnOnce(
          'otlp-partial',
          `the collector accepted the export partially: ${rejected} of ${count} spans rejected${partial.errorMessage ? ` (${partial.errorMessage})` : ''}; not retried`,
        );
      }
    } catch {
      // A non-JSON success body is fine.
    }
  }

  /** Waits for exports in flight. */
  async forceFlush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.#shutdown = true;
  }
}
