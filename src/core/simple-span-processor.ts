import { exportOnce } from './export-once.js';
import { numberOption, warnOnce } from './diag.js';
import { DEV } from './dev.js';
import type { ReadableSpan, SpanExporter, SpanProcessor } from './types.js';

/**
 * Exports every span as it ends, one export call per span. For tests, the
 * console exporter, and short scripts; use the batch processor in production.
 * At most `maxPendingExports` exports that return a promise are awaited at
 * once (default 64): while that many are unfinished (a collector that does not
 * answer, until each times out), further spans are dropped and counted, so a
 * burst of spans cannot grow memory without bound. An exporter that finishes
 * synchronously (memory, console) is never held back.
 */
export class SimpleSpanProcessor implements SpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #timeout: number;
  readonly #max: number;
  readonly #pending = new Set<Promise<unknown>>();
  #dropped = 0;
  #shutdown = false;

  constructor(exporter: SpanExporter, exportTimeoutMillis = 30_000, maxPendingExports?: number) {
    this.#exporter = exporter;
    this.#timeout = exportTimeoutMillis;
    this.#max = numberOption('maxPendingExports', maxPendingExports, 64, 'int>=1');
  }

  /** Spans dropped because `maxPendingExports` exports were unfinished, since this processor started. */
  get droppedSpans(): number {
    return this.#dropped;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#shutdown) return;
    if (this.#pending.size >= this.#max) {
      if (!this.#dropped++) warnOnce('W21', DEV && `batch: false: ${this.#max} exports unfinished, dropping spans. Is the collector answering? Or keep batch on.`);
      return;
    }
    let held: unknown;
    // exportOnce calls export() at once, so `held` tells whether it returned a promise.
    const p = exportOnce({ export: (spans) => (held = this.#exporter.export(spans)) }, [span], this.#timeout);
    if (typeof (held as PromiseLike<unknown> | undefined)?.then != 'function') return;
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.#pending);
    await this.#exporter.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    if (this.#shutdown) return;
    await this.forceFlush();
    this.#shutdown = true;
    await this.#exporter.shutdown?.();
  }
}
