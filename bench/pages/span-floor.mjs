// The floor page: the same loops over empty functions.
import { spanBench, emptyTracer } from './span-loop.mjs';
window.bench = spanBench(emptyTracer);
