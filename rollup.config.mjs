// One ESM file per public entry (with .d.ts), wired through package.json "exports".
// Later issues add entries here and in "exports" together.
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/**
 * Prints the script tag's size and its Subresource Integrity hash after the build,
 * and writes the hash, one line, to `<file>.sri` beside it: the package ships it,
 * so a site that serves (or loads from a CDN) the installed tracelet.min.js reads
 * its `integrity` value there. Hashed from the file as written, after terser.
 */
const sri = () => ({
  name: 'sri',
  writeBundle(options) {
    const code = readFileSync(options.file);
    const hash = 'sha384-' + createHash('sha384').update(code).digest('base64');
    writeFileSync(`${options.file}.sri`, `${hash}\n`);
    console.log(`${options.file}: ${code.length} bytes, ${gzipSync(code, { level: 9 }).length} gzip; integrity="${hash}" (also in ${options.file}.sri)`);
  },
});

/**
 * Empties dist/ when the build starts (the first config; rollup -c builds them
 * in order): a file an earlier build left there, such as a chunk since renamed,
 * would otherwise be packed and published with the rest.
 */
const clean = () => ({
  name: 'clean',
  buildStart() {
    rmSync('dist', { recursive: true, force: true });
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
    // The maps point at ../src, which the package does not ship: they carry the
    // sources themselves (sourcesContent, rollup's default; test/unit/package-is-publishable checks it).
    sourcemap: true,
  },
  plugins: [
    clean(),
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
