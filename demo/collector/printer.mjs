// Prints each trace as a tree once it has been quiet for `quietMs`, with one
// timer for all traces. Traces that fall due together beyond `maxTrees` are
// summarised in one line: a batch of 100,000 traces prints ten trees and a
// count, not 100,000 trees.
import { formatTrace } from './tree.mjs';

/**
 * @param {{ print: (text: string) => void, quietMs: number, store: { get(id: string): { spans: object[] } | undefined }, viewerUrl: () => string, maxTrees?: number }} options
 */
export function createPrinter({ print, quietMs, store, viewerUrl, maxTrees = 10 }) {
  /** traceId -> when it is due; Map order is due order, since every update re-inserts. */
  const due = new Map();
  let timer;

  function arm() {
    if (timer || due.size === 0) return;
    const first = due.values().next().value;
    timer = setTimeout(tick, Math.max(0, first - Date.now()));
    timer.unref();
  }

  function tick() {
    timer = undefined;
    const now = Date.now();
    const ready = [];
    for (const [traceId, at] of due) {
      if (at > now) break;
      ready.push(traceId);
    }
    let printed = 0;
    let skippedTraces = 0;
    let skippedSpans = 0;
    for (const traceId of ready) {
      due.delete(traceId);
      const trace = store.get(traceId);
      if (!trace) continue; // dropped by the store's bounds meanwhile
      if (printed < maxTrees) {
        print(formatTrace(trace.spans) + '\n');
        printed++;
      } else {
        skippedTraces++;
        skippedSpans += trace.spans.length;
      }
    }
    if (skippedTraces > 0) print(`… and ${skippedTraces} more trace${skippedTraces === 1 ? '' : 's'} (${skippedSpans} span${skippedSpans === 1 ? '' : 's'}) arrived together; not printed here, the viewer at ${viewerUrl()}/ shows them\n`);
    arm();
  }

  return {
    /** Notes that these traces got spans now. */
    touch(traceIds) {
      const at = Date.now() + quietMs;
      for (const traceId of traceIds) {
        due.delete(traceId);
        due.set(traceId, at);
      }
      arm();
    },
    clear() {
      due.clear();
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
