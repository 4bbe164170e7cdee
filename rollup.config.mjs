// One ESM file per public entry (with .d.ts), wired through package.json "exports".
// Later issues add entries here and in "exports" together.
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** Prints the script tag's size and its Subresource Integrity hash after the build. */
const sri = () => ({
  name: 'sri',
  writeBundle(options) {
    const code = readFileSync(options.file);
    const hash = 'sha384-' + createHash('sha384').update(code).digest('base64');
    console.log(`${options.file}: ${code.length} bytes, ${gzipSync(code, { level: 9 }).length} gzip; integrity="${hash}"`);
  },
});

export const entries = {
  index: 'src/index.ts',
  browser: 'src/browser.ts',
  zone: 'src/zone.ts',
  worker: 'src/worker.ts',
  hono: 'src/hono.ts',
};

const library = {
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

// The <script> tag: one self-starting IIFE with web-vitals inside, minified.
const scriptTag = {
  input: 'src/script-tag.ts',
  output: { file: 'dist/tracelet.min.js', format: 'iife', sourcemap: true },
  plugins: [
    nodeResolve({ browser: true }),
    typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined }),
    // Two compress passes: about 1 % smaller than one, measured on this build.
    terser({ compress: { passes: 2 }, format: { comments: false } }),
    sri(),
  ],
  treeshake: { moduleSideEffects: (id) => id.endsWith('script-tag.ts') },
};

export default [library, scriptTag];
