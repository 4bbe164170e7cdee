// The Chromium memory bench's page lifetime: `total` spans (start + 3
// attributes + end) in chunks of `chunk`, a `pauseMs` timer between chunks
// so the SDK's timers, exports and failures run as they would in an app.
import { flatSpans } from '../span-loops.mjs';

export function memBench(tracer) {
  return {
    async run(total, chunk, pauseMs) {
      for (let done = 0; done < total; done += chunk) {
        flatSpans(tracer, chunk);
        await new Promise((r) => setTimeout(r, pauseMs));
      }
    },
  };
}
// The collector: the same-origin sink, or (?down=<port>) a closed 127.0.0.1 port.
export const endpoint = () => {
  const down = new URLSearchParams(location.search).get('down');
  return down ? `http://127.0.0.1:${down}/v1/traces` : `${location.origin}/v1/traces`;
};
