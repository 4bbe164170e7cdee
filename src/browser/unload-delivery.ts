import { SUPPRESS_TRACING } from '../core/context.js';
import { warnOnce } from '../core/diag.js';
import { ExportResultCode, type ExportResult, type ReadableSpan, type SpanExporter } from '../core/types.js';
import { OtlpHttpExporter, type OtlpHttpExporterOptions } from '../export/otlp-http.js';
import { encodeOtlpJson } from '../export/otlp-json.js';
import { localSpanStore, type SpanStore } from './lib/span-store.js';

export interface BrowserDeliveryOptions extends OtlpHttpExporterOptions {
  /** Keep undeliverable spans in localStorage for the next page load (default true). */
  persist?: boolean;
  /** Bound of the stored spans (default 256 KiB). */
  maxStoredBytes?: number;
}

// Chromium allows 64 KiB of keepalive request bodies in flight per page
// (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch, "inflight
// keepalive bytes"); keep a margin for headers.
// Beacons are keepalive requests too and share the budget. Small chunks fill
// it closely; what does not fit is stored for the next page load.
const KEEPALIVE_BUDGET = 60 * 1024;
const CHUNK_BYTES = 12 * 1024;

/** Splits spans into request bodies no larger than `limit` characters (a single huge span goes alone). */
export function encodeInChunks(spans: ReadableSpan[], limit = CHUNK_BYTES): string[] {
  if (spans.length === 0) return [];
  const body = encodeOtlpJson(spans);
  if (body.length <= limit || spans.length === 1) return [body];
  const half = spans.length >> 1;
  return [...encodeInChunks(spans.slice(0, half), limit), ...encodeInChunks(spans.slice(half), limit)];
}

/**
 * The browser's exporter. Regular batches go through the OTLP/HTTP exporter
 * (fetch, retries). When the page is hidden, `sendNow` delivers what is left
 * synchronously-started: `fetch(..., { keepalive: true })` within the
 * keepalive budget, else `navigator.sendBeacon` with an `application/json`
 * Blob. What cannot be sent (collector unreachable during this page, beacon
 * refused) is stored and sent on the next page load of this origin.
 */
export class BrowserDelivery implements SpanExporter {
  readonly otlp: OtlpHttpExporter;
  readonly #headers: Record<string, string>;
  readonly #store: SpanStore | undefined;
  #collectorDown = false;
  #keepaliveInFlight = 0;

  constructor(options: BrowserDeliveryOptions) {
    // keepalive: a regular export still in flight when the page goes away completes.
    this.otlp = new OtlpHttpExporter({ keepalive: true, ...options });
    this.#headers = { ...(options.headers ?? {}), 'content-type': 'application/json' };
    this.#store = options.persist === false ? undefined : localSpanStore('tracelet:undelivered:' + this.otlp.endpoint, options.maxStoredBytes ?? 256 * 1024);
  }

  async export(spans: ReadableSpan[]): Promise<ExportResult> {
    return this.#deliver(encodeOtlpJson(spans), spans.length);
  }

  /**
   * Sends one body. While the collector is known to be unreachable the body is
   * stored *before* sending and removed on success, so a page that goes away
   * mid-request loses nothing.
   */
  async #deliver(body: string, count: number): Promise<ExportResult> {
    const writeAhead = this.#collectorDown && this.#store !== undefined;
    if (writeAhead) this.#store!.add(body);
    const result = await this.otlp.exportBody(body, count);
    const unreachable = result.code === ExportResultCode.FAILED && (result.error as { retryable?: boolean } | undefined)?.retryable === true;
    this.#collectorDown = unreachable;
    if (!unreachable) {
      if (writeAhead) this.#store!.remove(body);
    } else if (this.#store && !writeAhead) {
      this.#store.add(body);
      warnOnce('stored', 'the collector is unreachable; undelivered spans are kept in localStorage and sent on the next page load');
    }
    return result;
  }

  /** Sends spans stored by earlier page loads (call once at startup). */
  async sendStored(): Promise<void> {
    const bodies = this.#store?.takeAll() ?? [];
    for (const body of bodies) await this.#deliver(body, 0);
  }

  /** The page is being hidden: start delivery of `spans` now, with no awaiting. */
  sendNow(spans: ReadableSpan[]): void {
    const bodies = encodeInChunks(spans);
    for (const body of bodies) {
      if (this.#collectorDown && this.#store) {
        this.#store.add(body);
        continue;
      }
      if (this.#keepalive(body)) continue;
      if (this.#beacon(body)) continue;
      this.#store?.add(body);
    }
  }

  #keepalive(text: string): boolean {
    // Bytes, not characters, count against the budget.
    const body = new TextEncoder().encode(text);
    const size = body.byteLength;
    if (this.#keepaliveInFlight + size > KEEPALIVE_BUDGET || typeof fetch !== 'function') return false;
    try {
      this.#keepaliveInFlight += size;
      const init: RequestInit & { [SUPPRESS_TRACING]?: true } = { method: 'POST', keepalive: true, headers: this.#headers, body, [SUPPRESS_TRACING]: true };
      fetch(this.otlp.endpoint, init).then(
        () => {
          this.#keepaliveInFlight -= size;
        },
        () => {
          this.#keepaliveInFlight -= size;
          // Refused while the page still runs (e.g. over the browser's budget): try the beacon.
          if (!this.#beacon(text)) this.#store?.add(text);
        },
      );
      return true;
    } catch {
      this.#keepaliveInFlight -= size;
      return false;
    }
  }

  #beacon(body: string): boolean {
    const nav = globalThis.navigator as Navigator | undefined;
    if (!nav || typeof nav.sendBeacon !== 'function') return false;
    try {
      // A Blob typed application/json: the collector accepts only JSON (415 for
      // text/plain). Cross-origin this is a credentialed, preflighted request.
      return nav.sendBeacon(this.otlp.endpoint, new Blob([body], { type: 'application/json' }));
    } catch {
      return false;
    }
  }

  forceFlush(): Promise<void> {
    return this.otlp.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.otlp.shutdown();
  }
}
