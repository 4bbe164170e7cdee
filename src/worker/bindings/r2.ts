import type { BindingWrapper } from './call.js';

/** r2 bindings: not traced yet (passed on untouched). */
export const r2: BindingWrapper = () => undefined;
