import { SUPPRESS_TRACING } from '../core/context.js';
import { DEV } from '../core/dev.js';
import { fail, numberOption, warnOnce } from '../core/diag.js';
import { ExportResultCode, type ExportResult, type ReadableSpan, type SpanExporter } from '../core/types.js';
import { createSender, failed, inFlight, RETRYABLE_STATUS, unreachable, type Compressor, type Sender, type SenderOptions } from '../export/otlp-http.js';
import { encodeOtlpJson } from '../export/otlp-json.js';
import { localSpanStore, type SpanStore } from './lib/span-store.js';

export interface BrowserDeliveryOptions extends SenderOptions {
  /** `'none'` (default: Content-Encoding is not CORS-safelisted) or `gzip` imported from `tracelet/browser`. */
  compression?: 'none' | Compressor;
  /** Keep undeliverable spans in localStorage for later (default true). */
  persist?: boolean;
  /** Bound of the stored spans (default 256 KiB). */
  maxStoredBytes?: number;
}

// Chromium allows 64 KiB of keepalive request bodies in flight per page
// (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch, "inflight
// keepalive bytes"); keep a margin for headers.
// Beacons are keepalive requests too and share the budget. Small chunks fill
// it closely; what does not fit is stored for later.
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

/** Every span of an OTLP body has one startTimeUnixNano: the count, for messages. */
const countSpans = (body: string) => body.split('"startTimeUnixNano"').length - 1;

/**
 * The browser's exporter: OTLP/HTTP JSON with retries (regular exports use
 * `keepalive`, so one in flight when the page goes away completes). When the
 * page is hidden, `sendNow` delivers what is left synchronously-started:
 * `fetch(..., { keepalive: true })` within the keepalive budget, else
 * `navigator.sendBeacon` with an `application/json` Blob. What cannot be sent
 * (collector unreachable, beacon refused, collector refused by the page:
 * `refusedByPage`) is stored in localStorage, and sent by the next export that
 * succeeds, in this page or a later one of this origin: one tab at a time
 * (Web Locks), each body once.
 */
export class BrowserDelivery implements SpanExporter {
  declare readonly endpoint: string;
  /** The request headers (not enumerable: serializing the delivery shows no API key). */
  declare readonly headers: Readonly<Record<string, string>>;
  readonly #sender: Sender;
  readonly #store: SpanStore | undefined;
  readonly #pending = inFlight();
  /** The collector could not be reached by the last export (until one succeeds). */
  #down = false;
  #refused = false;
  /** Bodies in the store while their export still runs, and their keys there. */
  readonly #ahead = new Map<string, string>();
  #keepaliveInFlight = 0;
  #draining = false;
  /** This page, in the keys of bodies it writes ahead; it holds the Web Lock `tracelet:page:<id>` while it lives. */
  readonly #page = Math.random().toString(36).slice(2);

  constructor(options: BrowserDeliveryOptions) {
    let compression = options.compression as BrowserDeliveryOptions['compression'] | 'gzip';
    if (compression === 'gzip') {
      // The gzip code is an opt-in import; the string alone cannot bring it.
      warnOnce('W6', DEV && "compression: 'gzip' needs the gzip compressor: import { gzip } from 'tracelet/browser' and pass compression: gzip; sending uncompressed");
      compression = 'none';
    }
    if (compression !== undefined && compression !== 'none' && typeof compression !== 'function') fail('E4', DEV && `compression must be 'none' or gzip from tracelet/browser, got ${String(compression)}`, compression);
    const sender = (this.#sender = createSender({ ...options, keepalive: true }, compression === 'none' ? undefined : compression, {
      beforeRetry: (body) => this.#writeAhead(body),
      refused: () => this.#refused,
    }));
    this.endpoint = sender.endpoint;
    Object.defineProperty(this, 'headers', { value: sender.headers });
    this.#store = options.persist === false ? undefined : localSpanStore('tracelet:undelivered:' + this.endpoint, numberOption('maxStoredBytes', options.maxStoredBytes, 256 * 1024, '>=0'));
    // Held until the page is gone: other tabs then know its bodies written ahead are orphaned.
    void locks()?.request('tracelet:page:' + this.#page, () => new Promise(() => {})).catch(() => {});
  }

  /**
   * Sends a batch in bodies of at most 48 KiB, one after another. Once one
   * finds the collector unreachable, the rest are stored without trying.
   */
  async export(spans: ReadableSpan[]): Promise<ExportResult> {
    let result: ExportResult = { code: ExportResultCode.SUCCESS };
    for (const { body, count } of encodeInChunks(spans, EXPORT_CHUNK)) {
      if (result.code !== ExportResultCode.SUCCESS && this.#down) this.#keep(body, count);
      else result = await this.exportBody(body, count);
    }
    return result;
  }

  /**
   * Sends one body. While the collector is known to be unreachable, or once
   * the sender waits to retry it, the body is in the store and removed on
   * success, so a page that goes away mid-request or mid-backoff loses
   * nothing. Once the page refused the collector, it is stored without a
   * request. A success sends what is stored.
   */
  exportBody(body: string, count: number): Promise<ExportResult> {
    return this.#pending.track(this.#deliver(body, count));
  }

  async #deliver(body: string, count: number): Promise<ExportResult> {
    if (this.#down) this.#writeAhead(body);
    // Failed and retryable, as when the collector cannot be reached: the body is kept.
    const result = this.#refused ? failed('CSP', true) : await this.#sender.send(body, count);
    const key = this.#ahead.get(body);
    this.#ahead.delete(body);
    if ((this.#down = unreachable(result))) this.#keep(body, count, key);
    else {
      if (key) this.#store!.remove(key);
      // The collector takes spans again: send what waits in the store, in this page.
      if (result.code === ExportResultCode.SUCCESS) void this.sendStored();
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
   */
  refusedByPage(): void {
    this.#refused = true;
    warnOnce('W7', DEV && `Content-Security-Policy connect-src blocks ${this.endpoint}; no spans are sent`);
  }

  /**
   * Writes a body ahead to the store (once) while its export still runs. A
   * retry means the collector cannot take spans now: until an export
   * succeeds, what the page hands over when hidden is stored too.
   */
  #writeAhead(body: string): void {
    this.#down = true;
    const key = !this.#ahead.has(body) && this.#store?.add(body, this.#page);
    if (key) this.#ahead.set(body, key);
  }

  /** Stores a body (or settles the one written ahead under `key`), and says once what happened to it. */
  #keep(body: string, count: number, key?: string): void {
    if (key ? this.#store!.settle(key) : this.#store?.add(body)) warnOnce('W8', DEV && 'the collector cannot be reached; spans are kept in localStorage and sent once an export gets through again (in this page, or a later load of this origin)');
    else warnOnce('W9', DEV && `the collector is unreachable and ${count} spans could not be kept (${this.#store ? 'localStorage is full or maxStoredBytes too small' : 'no localStorage, or persist: false'}); they are lost`);
  }

  /**
   * Sends the bodies in the store (at startup, and after each export that
   * succeeds). One tab of the origin at a time does it, under a Web Lock
   * (https://w3c.github.io/web-locks/), so two open tabs never send the same
   * body; without Web Locks, a claim in storage stands in for the lock. Each
   * body stays stored until delivered; once one finds the collector
   * unreachable (or the page refused it), the rest wait.
   */
  sendStored(): Promise<void> {
    const store = this.#store;
    if (!store || this.#draining || this.#refused) return Promise.resolve();
    this.#draining = true;
    const lockManager = locks();
    const drain = async (held: unknown) => {
      if (!held) return; // another tab is sending them
      // Pages alive now (each holds its lock): their bodies written ahead are still theirs to send.
      const alive = lockManager && new Set((await lockManager.query()).held?.map((lock) => lock.name));
      for (const [key, body] of store.sendable(alive && ((page) => page === this.#page || alive.has('tracelet:page:' + page)))) {
        this.#ahead.set(body, key); // already stored: a retry does not store it again
        const result = await this.#sender.send(body, countSpans(body));
        this.#ahead.delete(body);
        if ((this.#down = unreachable(result))) return;
        store.remove(key);
      }
    };
    const name = 'tracelet:undelivered:' + this.endpoint;
    return (lockManager ? (lockManager.request(name, { ifAvailable: true }, drain) as unknown as Promise<void>) : withStorageClaim(name, drain))
      .catch(() => {})
      .finally(() => (this.#draining = false));
  }

  /** The page is being hidden: start delivery of `spans` now, with no awaiting. */
  sendNow(spans: ReadableSpan[]): void {
    for (const { body, count } of encodeInChunks(spans)) {
      if (this.#down && this.#store) this.#keep(body, count);
      else this.#hide(body, count, true);
    }
  }

  /** Keepalive fetch (when `viaFetch` and within the budget), else a beacon, else the store. */
  #hide(text: string, count: number, viaFetch?: boolean): void {
    if (this.#refused) return this.#keep(text, count);
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
            // keep the body rather than losing it.
            (response) => void (RETRYABLE_STATUS.includes(response.status) && this.#keep(text, count)),
            // Refused while the page still runs (e.g. over the browser's budget): try the beacon,
            // a task later. A refusal by the page's CSP is reported (securitypolicyviolation,
            // refusedByPage) only after the fetch rejects; the beacon would be refused too,
            // yet sendBeacon returns true and the spans would be lost (measured in Chromium).
            // Stored meanwhile: a page that is going away (a navigation) runs no later task,
            // and the next load sends the body; the task takes it back out before trying again.
            () => {
              const key = this.#store?.add(text);
              setTimeout(() => {
                if (key) this.#store!.remove(key);
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

  /** Waits for exports in flight. */
  forceFlush(): Promise<void> {
    return this.#pending.settled();
  }

  shutdown(): Promise<void> {
    return this.forceFlush();
  }
}

/** The Web Locks API (https://w3c.github.io/web-locks/), where the browser has it. */
const locks = (): LockManager | undefined => (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;

/**
 * Where Web Locks are missing: runs `fn` when no other tab's claim (a storage
 * item with an expiry) is in force, under a claim of our own.
 */
async function withStorageClaim(name: string, fn: (held: unknown) => Promise<void>): Promise<void> {
  const key = 'tracelet:claim:' + name;
  const mine = Math.random().toString(36);
  const claimed = () => (localStorage.getItem(key) ?? '').split(' ');
  const [, until] = claimed();
  if (Number(until) > Date.now()) return;
  localStorage.setItem(key, mine + ' ' + (Date.now() + 60_000));
  // Another tab that wrote at the same moment: the last write wins, the other leaves.
  await new Promise((resolve) => setTimeout(resolve, 50));
  if (claimed()[0] !== mine) return;
  try {
    await fn(true);
  } finally {
    localStorage.removeItem(key);
  }
}
