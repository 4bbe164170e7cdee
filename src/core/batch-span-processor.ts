import { exportOnce, unrefTimer } from './export-once.js';
import { warnOnce } from './diag.js';
import type { ReadableSpan, SpanExporter, SpanProcessor } from './types.js';

export interface BatchOptions {
  /** Spans kept while waiting for export; when full, the oldest is dropped (default 2048). */
  maxQueueSize?: number;
  /** Spans per export request; a full batch is exported at once (default 512). */
  maxExportBatchSize?: number;
  /** Longest a span waits before export (default 5000 ms). */
  scheduledDelayMillis?: number;
  /** Longest one export may take, retries included, before it is given up (default 30 000 ms). */
  exportTimeoutMillis?: number;
  /** Exports in flight at once (default 1). */
  maxConcurrentExports?: number;
}

export const DEFAULT_BATCH: Required<BatchOptions> = {
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
  scheduledDelayMillis: 5000,
  exportTimeoutMillis: 30_000,
  maxConcurrentExports: 1,
};

/** Checks batch options and fills defaults; throws a clear TypeError on bad values. */
export function resolveBatchOptions(options: BatchOptions | undefined): Required<BatchOptions> {
  const o = { ...DEFAULT_BATCH, ...options };
  for (const key of Object.keys(DEFAULT_BATCH) as (keyof BatchOptions)[]) {
    const v = o[key];
    const min = key === 'scheduledDelayMillis' ? 0 : 1;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || Math.floor(v) !== v) {
      throw new TypeError(`tracelet: batch.${key} must be a whole number >= ${min}, got ${String(v)}`);
    }
  }
  if (o.maxExportBatchSize > o.maxQueueSize) {
    throw new TypeError(`tracelet: batch.maxExportBatchSize (${o.maxExportBatchSize}) must not exceed batch.maxQueueSize (${o.maxQueueSize})`);
  }
  return o;
}

/**
 * Queues finished spans and exports them in batches
 * (https://opentelemetry.io/docs/specs/otel/trace/sdk/#batching-processor).
 * The queue is a fixed ring: when it is full the oldest span is dropped and
 * counted, so memory stays bounded however long the collector is down. Export
 * never starts inside `span.end()`; it is scheduled, so ending a span costs
 * the same whether or not a batch is due.
 */
export class BatchSpanProcessor implements SpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #options: Required<BatchOptions>;
  readonly #ring: (ReadableSpan | undefined)[];
  #head = 0;
  #size = 0;
  #dropped = 0;
  #inFlight = 0;
  readonly #flights = new Set<Promise<void>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #drainScheduled = false;
  #shutdown = false;

  constructor(exporter: SpanExporter, options?: BatchOptions) {
    this.#exporter = exporter;
    this.#options = resolveBatchOptions(options);
    this.#ring = new Array(this.#options.maxQueueSize);
  }

  /** Spans waiting in the queue. */
  get queueSize(): number {
    return this.#size;
  }

  /** Spans dropped because the queue was full, since this processor started. */
  get droppedSpans(): number {
    return this.#dropped;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#shutdown) return;
    const capacity = this.#options.maxQueueSize;
    if (this.#size === capacity) {
      // Drop the oldest: the newest spans are the ones a user is looking for.
      this.#head = (this.#head + 1) % capacity;
      this.#size--;
      this.#dropped++;
      if (this.#dropped === 1) {
        warnOnce('queue-full', `span queue full (${capacity}); dropping the oldest spans. Is the collector reachable?`);
      }
    }
    this.#ring[(this.#head + this.#size) % capacity] = span;
    this.#size++;
    if (this.#size >= this.#options.maxExportBatchSize) this.#scheduleDrain();
    else this.#startTimer();
  }

  /** Removes up to `max` spans from the front of the queue. */
  #take(max: number): ReadableSpan[] {
    const n = Math.min(max, this.#size);
    const out = new Array<ReadableSpan>(n);
    const capacity = this.#options.maxQueueSize;
    for (let i = 0; i < n; i++) {
      out[i] = this.#ring[this.#head]!;
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % capacity;
    }
    this.#size -= n;
    return out;
  }

  #startTimer(): void {
    if (this.#timer !== undefined || this.#size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#exportBatches(false);
    }, this.#options.scheduledDelayMillis);
    unrefTimer(this.#timer);
  }

  #scheduleDrain(): void {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    // A macrotask, not a microtask: a loop that ends thousands of spans
    // finishes before any export work starts.
    const t = setTimeout(() => {
      this.#drainScheduled = false;
      this.#exportBatches(true);
    }, 0);
    unrefTimer(t);
  }

  /** Starts exports while slots are free; `fullOnly` waits for full batches (size trigger). */
  #exportBatches(fullOnly: boolean): void {
    while (this.#inFlight < this.#options.maxConcurrentExports && this.#size > 0) {
      if (fullOnly && this.#size < this.#options.maxExportBatchSize) break;
      this.#exportOne();
    }
    if (this.#size > 0) this.#startTimer();
  }

  #exportOne(): Promise<void> {
    const batch = this.#take(this.#options.maxExportBatchSize);
    this.#inFlight++;
    const flight = exportOnce(this.#exporter, batch, this.#options.exportTimeoutMillis).then(() => {
      this.#inFlight--;
      this.#flights.delete(flight);
      // A full batch may have queued while we were busy.
      if (this.#size >= this.#options.maxExportBatchSize) this.#scheduleDrain();
    });
    this.#flights.add(flight);
    return flight;
  }

  /**
   * Removes and returns every queued span, synchronously. For the page being
   * hidden, when there is no time left for an asynchronous export.
   */
  takeAll(): ReadableSpan[] {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    return this.#take(this.#size);
  }

  /** Exports everything queued now and waits for every export in flight. */
  async forceFlush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#size > 0 || this.#flights.size > 0) {
      while (this.#size > 0 && this.#inFlight < this.#options.maxConcurrentExports) this.#exportOne();
      if (this.#flights.size > 0) await Promise.race(this.#flights);
    }
    await this.#exporter.forceFlush?.();
  }

  /** Flushes, then shuts the exporter down; spans ended afterwards are ignored. */
  async shutdown(): Promise<void> {
    if (this.#shutdown) return;
    await this.forceFlush();
    this.#shutdown = true;
    await this.#exporter.shutdown?.();
  }
}
