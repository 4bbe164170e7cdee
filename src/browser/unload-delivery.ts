import { SUPPRESS_TRACING } from '../core/context.js';
import { numberOption, warnOnce } from '../core/diag.js';
import { ExportResultCode, type ExportResult, type ReadableSpan } from '../core/types.js';
import { failed, OtlpHttpExporter, RETRYABLE_STATUS, type OtlpHttpExporterOptions } from '../export/otlp-http.js';
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
// Regular exports: bodies that a keepalive request can carry (so one in flight
// outlives the page) and the store can keep (a full 512-span batch is ~400 KB).
const EXPORT_CHUNK = 48 * 1024;

/** Splits spans into request bodies no larger than `limit` characters (a single huge span goes alone). */
export function encodeInChunks(spans: ReadableSpan[], limit = CHUNK_BYTES): { body: string; count: number }[] {
  if (!spans.length) return [];
  const body = encodeOtlpJson(spans);
  const half = spans.length >> 1;
  return body.length <= limit || !half ? [{ body, count: spans.length }] : [...encodeInChunks(spans.slice(0, half), limit), ...encodeInChunks(spans.slice(half), limit)];
}

/**
 * The browser's exporter: an OTLP/HTTP exporter (fetch, retries; regular
 * exports use `keepalive` so one in flight when the page goes away
 * completes). When the page is hidden, `sendNow` delivers what is left
 * synchronously-started: `fetch(..., { keepalive: true })` within the
 * keepalive budget, else `navigator.sendBeacon` with an `application/json`
 * Blob. What cannot be sent (collector unreachable during this page, beacon
 * refused, collector refused by the page: `refusedByPage`) is stored and sent
 * on the next page load of this origin.
 */
export class BrowserDelivery extends OtlpHttpExporter {
  /** The exporter for regular batches: this object (kept for code that reads `delivery.otlp.endpoint`). */
  readonly otlp: OtlpHttpExporter = this;
  readonly #store: SpanStore | undefined;
  #collectorDown = false;
  /** Bodies in the store while their export is still running (written ahead). */
  readonly #ahead = new Set<string>();
  #keepaliveInFlight = 0;

  constructor(options: BrowserDeliveryOptions) {
    super({ keepalive: true, ...options });
    this.#store = options.persist === false ? undefined : localSpanStore('tracelet:undelivered:' + this.endpoint, numberOption('maxStoredBytes', options.maxStoredBytes, 256 * 1024, 'number >= 0'));
  }

  /**
   * Sends a batch in bodies of at most 48 KiB, one after another. Once one
   * finds the collector unreachable, the rest are stored without trying.
   */
  override async export(spans: ReadableSpan[]): Promise<ExportResult> {
    let result: ExportResult = { code: ExportResultCode.SUCCESS };
    for (const { body, count } of encodeInChunks(spans, EXPORT_CHUNK)) {
      if (result.code !== ExportResultCode.SUCCESS && this.#collectorDown) this.#keep(body, count);
      else result = await this.exportBody(body, count);
    }
    return result;
  }

  /**
   * The page's Content-Security-Policy refused the collector (connect-src,
   * https://www.w3.org/TR/CSP3/#directive-connect-src): every later request
   * would be refused too, each one a console error and a violation report to
   * the site. From now on nothing is sent, not even when the page is hidden;
   * what would have been is kept in the store, for a later page load whose
   * policy allows the collector. An export waiting to retry gives up.
   *
   * @example
   * addEventListener('securitypolicyviolation', (e) => {
   *   if (e.disposition === 'enforce' && e.effectiveDirective === 'connect-src' && e.blockedURI && delivery.endpoint.startsWith(e.blockedURI)) delivery.refusedByPage();
   * });
   */
  refusedByPage(): void {
    this.refused = true;
    warnOnce('csp', `Content-Security-Policy connect-src blocks ${this.endpoint}; no spans are sent`);
  }

  /**
   * Sends one body. While the collector is known to be unreachable, or once
   * the exporter waits to retry it, the body is in the store and removed on
   * success, so a page that goes away mid-request or mid-backoff loses nothing.
   * Once the page refused the collector, it is stored without a request.
   */
  override async exportBody(body: string, count: number): Promise<ExportResult> {
    if (this.#collectorDown) this.beforeRetry(body);
    // Failed and retryable, as when the collector cannot be reached: the body is kept.
    const result = this.refused ? failed('CSP', true) : await super.exportBody(body, count);
    const stored = this.#ahead.delete(body);
    // Only a failure carries `retryable` (the collector could not be reached).
    if (!(this.#collectorDown = (result.error as { retryable?: boolean } | undefined)?.retryable === true)) {
      if (stored) this.#store!.remove(body);
    } else this.#keep(body, count, stored);
    return result;
  }

  /**
   * Writes a body ahead to the store (once) while its export is still
   * running. A retry means the collector cannot take spans now: until an
   * export succeeds, what the page hands over when hidden is stored too.
   */
  protected override beforeRetry(body: string): void {
    this.#collectorDown = true;
    if (!this.#ahead.has(body) && this.#store?.add(body)) this.#ahead.add(body);
  }

  /** Stores a body for the next page load (unless `stored` already), and says once what happened to it. */
  #keep(body: string, count: number, stored?: boolean): void {
    if (stored || this.#store?.add(body)) warnOnce('stored', 'the collector is unreachable; spans are kept in localStorage and sent on the next page load');
    else warnOnce('not-stored', `the collector is unreachable and ${count} spans could not be kept (${this.#store ? 'localStorage is full or maxStoredBytes too small' : 'no localStorage, or persist: false'}); they are lost`);
  }

  /**
   * Sends spans stored by earlier page loads (call once at startup). Each
   * stays stored until delivered: a page closed while the collector is still
   * down keeps them for the next load. Once one finds the collector
   * unreachable (or the page refused it), the rest wait for the next load.
   */
  async sendStored(): Promise<void> {
    for (const body of this.#store?.all() ?? []) {
      this.#ahead.add(body); // already stored: exportBody removes it on delivery and does not store it again
      // Every span of a body has one startTimeUnixNano: the count for messages.
      await this.exportBody(body, body.split('"startTimeUnixNano"').length - 1);
      if (this.#collectorDown) return;
    }
  }

  /** The page is being hidden: start delivery of `spans` now, with no awaiting. */
  sendNow(spans: ReadableSpan[]): void {
    for (const { body, count } of encodeInChunks(spans)) {
      if (this.#collectorDown && this.#store) this.#keep(body, count);
      else this.#hide(body, count, true);
    }
  }

  /** Keepalive fetch (when `viaFetch` and within the budget), else a beacon, else the store. */
  #hide(text: string, count: number, viaFetch?: boolean): void {
    if (this.refused) return this.#keep(text, count);
    // A Blob typed application/json: the collector accepts only JSON (415 for
    // text/plain); cross-origin a JSON beacon is a credentialed, preflighted
    // request. Its size is in bytes, which is what counts against the budget.
    const body = new Blob([text], { type: 'application/json' });
    const size = body.size;
    if (viaFetch && this.#keepaliveInFlight + size <= KEEPALIVE_BUDGET) {
      this.#keepaliveInFlight += size;
      try {
        const init: RequestInit & { [SUPPRESS_TRACING]?: true } = { method: 'POST', keepalive: true, headers: this.headers, body, [SUPPRESS_TRACING]: true };
        fetch(this.endpoint, init)
          .then(
            // The page still runs and the collector asked to retry later
            // (https://opentelemetry.io/docs/specs/otlp/#retryable-response-codes):
            // keep the body for the next page load rather than losing it.
            (response) => void (RETRYABLE_STATUS.includes(response.status) && this.#keep(text, count)),
            // Refused while the page still runs (e.g. over the browser's budget): try the beacon,
            // a task later. A refusal by the page's CSP is reported (securitypolicyviolation,
            // refusedByPage) only after the fetch rejects; the beacon would be refused too,
            // yet sendBeacon returns true and the spans would be lost (measured in Chromium).
            // Stored meanwhile: a page that is going away (a navigation) runs no later task,
            // and the next load sends the body; the task takes it back out before trying again.
            () => {
              const kept = this.#store?.add(text);
              setTimeout(() => {
                if (kept) this.#store!.remove(text);
                this.#hide(text, count);
              });
            },
          )
          .finally(() => (this.#keepaliveInFlight -= size));
        return;
      } catch {
        this.#keepaliveInFlight -= size; // no fetch
      }
    }
    try {
      if (navigator.sendBeacon(this.endpoint, body)) return;
    } catch {
      // no beacon
    }
    this.#keep(text, count);
  }
}
