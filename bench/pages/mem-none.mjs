// The floor: the same page lifetime over empty functions.
import { emptyTracer } from '../span-loops.mjs';
import { memBench } from './mem-loop.mjs';
window.bench = memBench(emptyTracer);
