/**
 * Which build this is. The development build (the `development` export
 * condition, and tests run from source) carries every diagnostic as a
 * sentence; the production build (the default) carries a short code instead,
 * listed with its full text in docs/diagnostics.md. rollup.config.mjs swaps
 * this module for `export const DEV = false` in the production build, and
 * rollup drops every `DEV && '...'` text there.
 */
export const DEV: boolean = true;
