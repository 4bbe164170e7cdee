// No instrumentation: the baseline of the fetch-overhead bench.
import { fetchBench } from './fetch-loop.mjs';
window.bench = fetchBench;
