// The floor: the same page lifetime over empty functions.
import { memBench } from './mem-loop.mjs';
const emptySpan = { setAttribute() { return this; }, end() {} };
window.bench = memBench({ startSpan: () => emptySpan });
