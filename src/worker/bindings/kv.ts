import type { BindingWrapper } from './call.js';

/** kv bindings: not traced yet (passed on untouched). */
export const kv: BindingWrapper = () => undefined;
