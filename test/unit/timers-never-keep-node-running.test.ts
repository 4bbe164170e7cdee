// tracelet's timers (the batch delay, an export's timeout) must never keep a
// Node process (a script, a CLI, a test run) from exiting: they are unref'd.
// process.getActiveResourcesInfo() lists what keeps the event loop alive.
import { describe, expect, it } from 'vitest';
import { BatchSpanProcessor, ExportResultCode, SimpleSpanProcessor, type ExportResult, type SpanExporter } from '../../src/index.js';
import { makeSpans } from './helpers/spans.js';

const keepingAlive = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('timers', () => {
  it('a queued span and an export waiting for its collector keep no timer holding Node', async () => {
    const [span] = await makeSpans(1);
    const release: ((r: ExportResult) => void)[] = [];
    const waiting: SpanExporter = { export: () => new Promise<ExportResult>((resolve) => release.push(resolve)) };
    const batch = new BatchSpanProcessor(waiting, { scheduledDelayMillis: 60_000 });
    const simple = new SimpleSpanProcessor(waiting, 60_000);
    const before = keepingAlive();
    batch.onEnd(span!); // arms the 60 s delay
    simple.onEnd(span!); // starts an export with its 60 s timeout
    expect(keepingAlive()).toBe(before);
    expect(release).toHaveLength(1);
    release.splice(0).forEach((r) => r({ code: ExportResultCode.SUCCESS }));
    batch.takeAll();
    await simple.forceFlush();
  });
});
