// tracelet in the page: createTracing with a no-op exporter behind the default batch processor.
import { createTracing } from '../../dist/index.js';
import { spanBench } from './span-loop.mjs';
const { tracer } = createTracing({ serviceName: 'bench', exporter: { export() {} } });
window.bench = spanBench(tracer);
