import type { BindingWrapper } from './call.js';

/** queue bindings: not traced yet (passed on untouched). */
export const queue: BindingWrapper = () => undefined;
