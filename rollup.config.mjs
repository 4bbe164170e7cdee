// One ESM file per public entry (with .d.ts), wired through package.json "exports".
// Later issues add entries here and in "exports" together.
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';

export const entries = {
  index: 'src/index.ts',
  browser: 'src/browser.ts',
  zone: 'src/zone.ts',
  worker: 'src/worker.ts',
  hono: 'src/hono.ts',
};

export default {
  input: entries,
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
  plugins: [
    nodeResolve(),
    typescript({
      tsconfig: './tsconfig.build.json',
    }),
  ],
  // Runtime dependencies stay imports in the ESM build; the bundler of the app resolves them.
  external: [/^web-vitals/, /^hono/],
  treeshake: { moduleSideEffects: false },
};
