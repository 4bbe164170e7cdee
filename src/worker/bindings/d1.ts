import type { BindingWrapper } from './call.js';

/** d1 bindings: not traced yet (passed on untouched). */
export const d1: BindingWrapper = () => undefined;
