import { exportOnce, unrefTimer } from './export-once.js';
import { DEV } from './dev.js';
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
    o[k] = numberOption('batch.' + k, options?.[k], DEFAULT_BATCH[k], k === 'scheduledDelayMillis' ? 'int>=0' : 'int>=1');
  }
  if (o.maxExportBatchSize > o.maxQueueSize) {
    fail('E15', DEV && `batch.maxExportBatchSize (${o.maxExportBatchSize}) must not exceed batch.maxQueueSize (${o.maxQueueSize})`);
  }
  return o;
}

/** The batch processor: a SpanProcessor with a bounded queue. */
export interface BatchSpanProcessor extends SpanProcessor {
  /** Spans waiting in the queue. */
  readonly queueSize: number;
  /** Spans dropped because the queue was full, since this processor started. */
  readonly droppedSpans: number;
  /**
   * Removes and returns every queued span, synchronously. For the page being
   * hidden, when there is no time left for an asynchronous export.
   */
  takeAll(): ReadableSpan[];
}

/**
 * Queues finished spans and exports them in batches
 * (https://opentelemetry.io/docs/specs/otel/trace/sdk/#batching-processor).
 * The queue is a fixed ring: when it is full the oldest span is dropped and
 * counted, so memory stays bounded however long the collector is down. Export
 * never starts inside `span.end()`; it is scheduled, so ending a span costs
 * the same whether or not a batch is due. `new BatchSpanProcessor(...)` works
 * too, as in OpenTelemetry.
 */
export function batchSpanProcessor(exporter: SpanExporter, options?: BatchOptions): BatchSpanProcessor {
  const { maxQueueSize: max, maxExportBatchSize: batchSize, scheduledDelayMillis, exportTimeoutMillis, maxConcurrentExports } = resolveBatchOptions(options);
  // A fixed ring: dropping the oldest span when full is O(1), as ending a span must stay cheap while the collector is down.
  const ring: (ReadableSpan | undefined)[] = new Array(max);
  let head = 0;
  let size = 0;
  let dropped = 0;
  /** Exports in flight. */
  const flights = new Set<Promise<void>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let drainScheduled = false;
  let stopped = false;

  /** Removes and returns up to `n` of the oldest spans. */
  const take = (n: number): ReadableSpan[] => {
    const out: ReadableSpan[] = [];
    while (size && out.length < n) {
      out.push(ring[head]!);
      ring[head] = undefined;
      head = (head + 1) % max;
      size--;
    }
    return out;
  };
  const stopTimer = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const startTimer = () => {
    if (timer !== undefined || !size) return;
    timer = setTimeout(() => {
      timer = undefined;
      exportBatches();
    }, scheduledDelayMillis);
    unrefTimer(timer);
  };
  const scheduleDrain = () => {
    if (drainScheduled) return;
    drainScheduled = true;
    // A macrotask, not a microtask: a loop that ends thousands of spans
    // finishes before any export work starts.
    unrefTimer(
      setTimeout(() => {
        drainScheduled = false;
        exportBatches(true);
      }, 0),
    );
  };
  /** Starts exports while slots are free; `fullOnly` waits for full batches (size trigger). */
  function exportBatches(fullOnly?: boolean): void {
    while (flights.size < maxConcurrentExports && size >= (fullOnly ? batchSize : 1)) {
      const flight = exportOnce(exporter, take(batchSize), exportTimeoutMillis).then(() => {
        flights.delete(flight);
        // A full batch may have queued while we were busy.
        if (size >= batchSize) scheduleDrain();
      });
      flights.add(flight);
    }
    startTimer();
  }
  /** Exports everything queued now and waits for every export in flight. */
  const forceFlush = async (): Promise<void> => {
    stopTimer();
    while (size || flights.size) {
      exportBatches();
      // Something is in flight here: either the queue was empty, or every slot is taken.
      await Promise.race(flights);
    }
    // The queue is empty: a timer armed while every slot was taken has nothing left to do.
    stopTimer();
    await exporter.forceFlush?.();
  };

  return {
    get queueSize() {
      return size;
    },
    get droppedSpans() {
      return dropped;
    },
    onStart() {},
    onEnd(span) {
      if (stopped) return;
      if (size === max) {
        // Drop the oldest: the newest spans are the ones a user is looking for.
        head = (head + 1) % max;
        size--;
        if (!dropped++) warnOnce('W17', DEV && `span queue full (${max}); dropping the oldest spans. Is the collector reachable?`);
      }
      ring[(head + size) % max] = span;
      if (++size >= batchSize) scheduleDrain();
      else startTimer();
    },
    takeAll() {
      stopTimer();
      return take(size);
    },
    forceFlush,
    /** Flushes, then shuts the exporter down; spans ended afterwards are ignored. */
    async shutdown() {
      if (stopped) return;
      await forceFlush();
      stopped = true;
      await exporter.shutdown?.();
    },
  };
}

/** `new BatchSpanProcessor(exporter, options)`: the OpenTelemetry spelling of `batchSpanProcessor`. */
// eslint-disable-next-line @typescript-eslint/no-redeclare
export const BatchSpanProcessor = batchSpanProcessor as unknown as new (exporter: SpanExporter, options?: BatchOptions) => BatchSpanProcessor;
