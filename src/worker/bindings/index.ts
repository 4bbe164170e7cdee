import type { BindingWrapper } from './call.js';
import { d1 } from './d1.js';
import { kv } from './kv.js';
import { queue } from './queue.js';
import { r2 } from './r2.js';

/** The binding kinds the env wrapper traces, tried in order on each object member of `env`. */
export const BINDINGS: readonly BindingWrapper[] = [kv, r2, d1, queue];
