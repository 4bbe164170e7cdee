import { SUPPRESS_TRACING } from '../core/context.js';
import { DEV } from '../core/dev.js';
import { fail, numberOption, warnOnce } from '../core/diag.js';
import { errorMessage } from '../core/attributes.js';
import { failedWith, unrefTimer } from '../core/export-once.js';
import { ExportResultCode, type ExportResult, type ReadableSpan, type SpanExporter } from '../core/types.js';
import { encodeOtlpJson } from './otlp-json.js';
import { gzip, type Compressor } from './gzip.js';

export type { Compressor } from './gzip.js';

export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318/v1/traces';

export interface RetryOptions {
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** Wait before the first retry (default 1000 ms), grown by `multiplier` (1.5) up to `maxBackoffMillis` (5000 ms), with ±20 % jitter. */
  initialBackoffMillis?: number;
  maxBackoffMillis?: number;
  multiplier?: number;
}

/** What one POST to the collector needs: the transport settings, without the encoding or compression choice. */
export interface SenderOptions {
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
  /** Retry policy, or `false` for a single attempt. */
  retry?: RetryOptions | false;
  /** The fetch to call (default: `globalThis.fetch` at export time). */
  fetch?: typeof fetch;
  /** Send bodies under 60 KiB with `keepalive: true`, so they outlive the page (browsers). */
  keepalive?: boolean;
}

export interface OtlpHttpExporterOptions extends SenderOptions {
  /**
   * `'gzip'` (default where `CompressionStream` exists, for bodies over 1 KiB),
   * `'none'`, or a function from the JSON body to compressed bytes.
   */
  compression?: 'gzip' | 'none' | Compressor;
}

/** Validates an OTLP endpoint; throws a TypeError naming the problem. */
export function resolveEndpoint(endpoint: string, baseUrl?: string): string {
  let url: URL | undefined;
  try {
    url = new URL(endpoint, baseUrl);
  } catch {
    // below
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    fail('E2', DEV && (url ? `endpoint "${endpoint}" must be an http: or https: URL` : `endpoint "${endpoint}" is not a valid URL (give the full traces URL, e.g. ${DEFAULT_OTLP_ENDPOINT})`), endpoint);
  }
  return url!.href;
}

/**
 * Parses `Retry-After` (https://www.rfc-editor.org/rfc/rfc9110#name-retry-after):
 * delay-seconds (digits only) or an HTTP-date. Returns milliseconds (0 for a
 * date in the past), or undefined if absent or neither: the caller then backs
 * off. Date.parse alone is too lenient: it reads "1.5" or "5 GMT" as days in
 * 2001, which meant "retry at once". Every HTTP-date form has letters (day and
 * month names) before an hh:mm:ss time
 * (https://www.rfc-editor.org/rfc/rfc9110#name-date-time-formats): IMF-fixdate
 * "Sun, 06 Nov 1994 08:49:37 GMT", the obsolete RFC 850 "Sunday, 06-Nov-94
 * 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994"; only such a value is
 * parsed as a date. Every HTTP-date is in GMT, asctime just does not say so
 * (Date.parse would read it as local time).
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const v = value?.trim() ?? '';
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z].* \d\d:\d\d:\d\d/i.test(v)) return undefined;
  const date = Date.parse(/ GMT$/.test(v) ? v : v + ' GMT');
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The statuses worth retrying (https://opentelemetry.io/docs/specs/otlp/#retryable-response-codes). */
export const RETRYABLE_STATUS = [429, 502, 503, 504];

/** A FAILED result; `retryable` marks a collector that could not be reached (the browser then keeps the spans). */
export const failed = (reason: string, retryable?: boolean): ExportResult => failedWith(Object.assign(new Error(reason), retryable && { retryable }));

/** Whether a result is the failure of a collector that could not be reached (worth keeping the body for later). */
export const unreachable = (result: ExportResult): boolean => (result.error as { retryable?: boolean } | undefined)?.retryable === true;

/** The collector's answer to a POST: sent, and what happened. */
export interface Sender {
  readonly endpoint: string;
  /** The request headers: the configured ones with lower-cased names, and `content-type: application/json`. */
  readonly headers: Readonly<Record<string, string>>;
  /** POSTs one encoded body with the retry policy; never rejects. */
  send(json: string, count: number): Promise<ExportResult>;
}

/**
 * The POST and its retry loop (https://opentelemetry.io/docs/specs/otlp/#otlphttp).
 * Retries only what the spec calls retryable (429, 502, 503, 504 and network
 * failures, https://opentelemetry.io/docs/specs/otlp/#retryable-response-codes),
 * honouring `Retry-After`, else exponential backoff with jitter. Every failure
 * becomes a FAILED result and a one-time console diagnostic.
 * `hooks.beforeRetry` runs before each wait (the browser stores the body
 * meanwhile); `hooks.refused` says that no attempt can succeed any more (the
 * page's CSP refused the collector), checked after each wait.
 */
export function createSender(options: SenderOptions, compress?: Compressor, hooks: { beforeRetry?(json: string): void; refused?(): boolean } = {}): Sender {
  const endpoint = resolveEndpoint(options.endpoint ?? DEFAULT_OTLP_ENDPOINT, options.baseUrl);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    if (typeof v !== 'string') fail('E3', DEV && `header "${k}" must be a string, got ${typeof v}`, k);
    headers[k.toLowerCase()] = v;
  }
  headers['content-type'] = 'application/json';
  const timeout = numberOption('timeoutMillis', options.timeoutMillis, 10_000);
  const maxElapsed = numberOption('maxElapsedMillis', options.maxElapsedMillis, 20_000);
  const r = options.retry === false ? { maxAttempts: 1 } : (options.retry ?? {});
  const maxAttempts = Math.floor(numberOption('retry.maxAttempts', r.maxAttempts, 5));
  const initialBackoff = numberOption('retry.initialBackoffMillis', r.initialBackoffMillis, 1000);
  const maxBackoff = numberOption('retry.maxBackoffMillis', r.maxBackoffMillis, 5000);
  const multiplier = numberOption('retry.multiplier', r.multiplier, 1.5);
  const { keepalive, fetch: customFetch } = options;

  async function send(json: string, count: number): Promise<ExportResult> {
    const doFetch = customFetch ?? (globalThis.fetch as typeof fetch | undefined);
    if (typeof doFetch !== 'function') {
      warnOnce('W1', DEV && 'no fetch() to call (none in this runtime, or the fetch option is not a function); spans cannot be exported');
      return failed('no fetch');
    }
    let h = headers;
    let body: string | Uint8Array = json;
    // The body's size in bytes decides keepalive (only measured where it is wanted).
    let size = keepalive ? new Blob([json]).size : 0;
    if (compress && json.length > 1024) {
      try {
        body = await compress(json);
        size = body.byteLength;
        h = { ...headers, 'content-encoding': 'gzip' };
      } catch {
        // send uncompressed
      }
    }
    const deadline = Date.now() + maxElapsed;
    let backoff = initialBackoff;
    for (let attempt = 1; ; attempt++) {
      const ms = Math.min(timeout, Math.max(deadline - Date.now(), 1));
      const controller = new AbortController();
      // The timeout also ends the wait itself: a custom fetch may ignore the signal.
      let timer!: ReturnType<typeof setTimeout>;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => (controller.abort(), reject(controller.signal.reason)), ms);
      });
      timedOut.catch(() => {});
      unrefTimer(timer);
      let response: Response | undefined;
      // A fetch that resolves to no response at all is a failed attempt too.
      let reason = 'no response';
      let text = '';
      try {
        const init: RequestInit & { [SUPPRESS_TRACING]?: true } = {
          method: 'POST',
          headers: h,
          body: body as BodyInit,
          signal: controller.signal,
          // The browser's in-flight keepalive budget is 64 KiB (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch).
          keepalive: keepalive && size < 60 * 1024,
          [SUPPRESS_TRACING]: true,
        };
        response = await Promise.race([doFetch(endpoint, init), timedOut]);
        // Read the body so the connection is released; its content is the
        // collector's explanation for a failure or a partial success.
        text = await Promise.race([response.text(), timedOut]).catch(() => '');
      } catch (error) {
        reason = controller.signal.aborted ? `no answer within ${ms} ms` : `network error (${errorMessage(error) ?? ''})`;
      }
      clearTimeout(timer);
      let retryAfter: number | undefined;
      if (response) {
        const status = response.status;
        // ok: a 2xx status (https://fetch.spec.whatwg.org/#ok-status).
        if (response.ok) {
          // A 200 may still reject some spans; say so once, never retry
          // (https://opentelemetry.io/docs/specs/otlp/#partial-success-1). Most
          // collectors answer `{}`: look further only when the body names one.
          if (text.includes('partialSuccess')) {
            try {
              const { rejectedSpans, errorMessage: message } = (JSON.parse(text) as { partialSuccess: { rejectedSpans?: string | number; errorMessage?: string } }).partialSuccess;
              if (Number(rejectedSpans ?? 0) > 0 || message) {
                warnOnce('W2', DEV && `the collector accepted the export partially: ${Number(rejectedSpans ?? 0)} of ${count} spans rejected${message ? ` (${message})` : ''}; not retried`);
              }
            } catch {
              // a non-JSON success body, or partialSuccess null: fine
            }
          }
          return { code: ExportResultCode.SUCCESS };
        }
        reason = 'HTTP ' + status;
        if (!RETRYABLE_STATUS.includes(status)) {
          warnOnce('W3', DEV && `the collector at ${endpoint} answered ${reason}${text ? ': ' + text.slice(0, 300) : ''}; ${count} spans dropped (not retryable)`, status);
          return failed(reason);
        }
        retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      }
      // Retryable. Wait as the server asked, or back off with ±20 % jitter.
      const wait = retryAfter ?? Math.min(backoff, maxBackoff) * (0.8 + Math.random() * 0.4);
      backoff *= multiplier;
      if (attempt >= maxAttempts || wait >= deadline - Date.now()) {
        warnOnce('W4', DEV && `gave up exporting ${count} spans to ${endpoint} after ${attempt} attempt(s): ${reason}`, DEV ? undefined : reason);
        return failed(reason, true);
      }
      hooks.beforeRetry?.(json);
      await new Promise((resolve) => unrefTimer(setTimeout(resolve, wait)));
      // Learnt while waiting that no retry can succeed (the browser: the page's CSP refused the collector).
      if (hooks.refused?.()) return failed(reason, true);
    }
  }

  return {
    endpoint,
    // Read-only and not enumerable: logging or serializing shows no API key, and nothing can change what is sent.
    headers: Object.freeze(headers),
    send: (json, count) =>
      send(json, count).catch((error: unknown) => {
        warnOnce('W5', DEV && `export failed unexpectedly: ${String(error)}`, DEV ? undefined : String(error));
        return failedWith(error);
      }),
  };
}

/** Tracks promises in flight so `forceFlush` can wait for them. */
export function inFlight(): { track<T>(p: Promise<T>): Promise<T>; settled(): Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  return {
    track(p) {
      pending.add(p);
      void p.finally(() => pending.delete(p));
      return p;
    },
    settled: async () => void (await Promise.all(pending)),
  };
}

/**
 * Sends spans as OTLP/HTTP JSON (https://opentelemetry.io/docs/specs/otlp/#otlphttp),
 * with the retry policy of `createSender`. Never throws: every failure becomes
 * a FAILED result and a one-time console diagnostic.
 *
 * @example
 * const exporter = new OtlpHttpExporter({ endpoint: 'https://otel.example.com/v1/traces', headers: { 'x-api-key': key } });
 */
export class OtlpHttpExporter implements SpanExporter {
  declare readonly endpoint: string;
  /** The request headers: the configured ones with lower-cased names, and `content-type: application/json`. */
  declare readonly headers: Readonly<Record<string, string>>;
  readonly #sender: Sender;
  readonly #pending = inFlight();
  #shutdown = false;

  constructor(options: OtlpHttpExporterOptions = {}) {
    const compression = options.compression;
    if (compression !== undefined && compression !== 'gzip' && compression !== 'none' && typeof compression !== 'function') {
      fail('E4', DEV && `compression must be 'gzip' or 'none', got ${String(compression)}`, compression);
    }
    const sender = (this.#sender = createSender(options, typeof compression === 'function' ? compression : compression === 'none' || typeof CompressionStream !== 'function' ? undefined : gzip));
    this.endpoint = sender.endpoint;
    // Not enumerable: `JSON.stringify(exporter)` shows no API key.
    Object.defineProperty(this, 'headers', { value: sender.headers });
  }

  async export(spans: ReadableSpan[]): Promise<ExportResult> {
    return spans.length ? this.exportBody(encodeOtlpJson(spans), spans.length) : { code: ExportResultCode.SUCCESS };
  }

  /**
   * Sends an already encoded request body with the same headers, compression
   * and retry policy. A failure whose error has `retryable: true` means the
   * collector could not be reached.
   */
  exportBody(json: string, spanCount: number): Promise<ExportResult> {
    return this.#shutdown ? Promise.resolve(failed('exporter is shut down')) : this.#pending.track(this.#sender.send(json, spanCount));
  }

  /** Waits for exports in flight. */
  forceFlush(): Promise<void> {
    return this.#pending.settled();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.#shutdown = true;
  }
}
