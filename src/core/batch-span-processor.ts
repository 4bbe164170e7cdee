import { exportOnce, unrefTimer } from './export-once.js';
import { fail, numberOption, warnOnce } from './diag.js';
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
  const o = {} as Required<BatchOptions>;
  // Own keys only: what a page put on Object.prototype is no option.
  for (const key of Object.keys(DEFAULT_BATCH)) {
    const k = key as keyof BatchOptions;
    o[k] = numberOption('batch.' + k, options?.[k], DEFAULT_BATCH[k], k === 'scheduledDelayMillis' ? 'whole number >= 0' : 'whole number >= 1');
  }
  if (o.maxExportBatchSize > o.maxQueueSize) {
    fail(`batch.maxExportBatchSize (${o.maxExportBatchSize}) must not exceed batch.maxQueueSize (${o.maxQueueSize})`);
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
  // A fixed ring: dropping the oldest span when full is O(1), as ending a span must stay cheap while the collector is down.
  readonly #ring: (ReadableSpan | undefined)[];
  #head = 0;
  #size = 0;
  readonly #o: Required<BatchOptions>;
  #dropped = 0;
  /** Exports in flight. */
  readonly #flights = new Set<Promise<void>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #drainScheduled = false;
  #shutdown = false;

  constructor(exporter: SpanExporter, options?: BatchOptions) {
    this.#exporter = exporter;
    this.#o = resolveBatchOptions(options);
    this.#ring = new Array(this.#o.maxQueueSize);
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
    const max = this.#o.maxQueueSize;
    if (this.#size === max) {
      // Drop the oldest: the newest spans are the ones a user is looking for.
      this.#head = (this.#head + 1) % max;
      this.#size--;
      if (!this.#dropped++) warnOnce('queue-full', `span queue full (${max}); dropping the oldest spans. Is the collector reachable?`);
    }
    this.#ring[(this.#head + this.#size) % max] = span;
    if (++this.#size >= this.#o.maxExportBatchSize) this.#scheduleDrain();
    else this.#startTimer();
  }

  /** Removes and returns up to `max` of the oldest spans. */
  #take(max: number): ReadableSpan[] {
    const n = Math.min(max, this.#size);
    const out = new Array<ReadableSpan>(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.#ring[this.#head]!;
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#o.maxQueueSize;
    }
    this.#size -= n;
    return out;
  }

  #startTimer(): void {
    if (this.#timer !== undefined || !this.#size) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#exportBatches();
    }, this.#o.scheduledDelayMillis);
    unrefTimer(this.#timer);
  }

  #stopTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #scheduleDrain(): void {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    // A macrotask, not a microtask: a loop that ends thousands of spans
    // finishes before any export work starts.
    unrefTimer(
      setTimeout(() => {
        this.#drainScheduled = false;
        this.#exportBatches(true);
      }, 0),
    );
  }

  /** Starts exports while slots are free; `fullOnly` waits for full batches (size trigger). */
  #exportBatches(fullOnly?: boolean): void {
    while (this.#flights.size < this.#o.maxConcurrentExports && this.#size >= (fullOnly ? this.#o.maxExportBatchSize : 1)) {
      const flight = exportOnce(this.#exporter, this.#take(this.#o.maxExportBatchSize), this.#o.exportTimeoutMillis).then(() => {
        this.#flights.delete(flight);
        // A full batch may have queued while we were busy.
        if (this.#size >= this.#o.maxExportBatchSize) this.#scheduleDrain();
      });
      this.#flights.add(flight);
    }
    this.#startTimer();
  }

  /**
   * Removes and returns every queued span, synchronously. For the page being
   * hidden, when there is no time left for an asynchronous export.
   */
  takeAll(): ReadableSpan[] {
    this.#stopTimer();
    return this.#take(this.#size);
  }

  /** Exports everything queued now and waits for every export in flight. */
  async forceFlush(): Promise<void> {
    this.#stopTimer();
    while (this.#size || this.#flights.size) {
      this.#exportBatches();
      // Something is in flight here: either the queue was empty, or every slot is taken.
      await Promise.race(this.#flights);
    }
    // The queue is empty: a timer armed while every slot was taken has nothing left to do.
    this.#stopTimer();
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
