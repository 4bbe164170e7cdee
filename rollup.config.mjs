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

/**
 * The production build: src/core/dev.ts becomes `export const DEV = false`,
 * so rollup drops every `DEV && '...'` diagnostic sentence and `if (DEV)`
 * block; what is left are the codes docs/diagnostics.md explains. The
 * development build (dist/dev/, the `development` export condition) keeps them.
 */
const production = () => ({
  name: 'production',
  async resolveId(source, importer, options) {
    if (!source.endsWith('/dev.js')) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved?.id.endsWith('/src/core/dev.ts') ? '\0tracelet-production' : resolved;
  },
  load: (id) => (id === '\0tracelet-production' ? 'export const DEV = false;' : null),
});

export const entries = {
  index: 'src/index.ts',
  browser: 'src/browser.ts',
  zone: 'src/zone.ts',
  worker: 'src/worker.ts',
  hono: 'src/hono.ts',
  zipkin: 'src/zipkin.ts',
  'otel-api': 'src/otel-api.ts',
};

/** The ESM entries: production in dist/ (with the .d.ts), development in dist/dev/. */
const library = (dev) => ({
  input: entries,
  output: {
    dir: dev ? 'dist/dev' : 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    // One file per source module, as in src/: an app's bundler then drops whole
    // modules it does not use, with their imports (web-vitals among them: its
    // module-level code would otherwise stay in every bundle, esbuild's included).
    preserveModules: true,
    preserveModulesRoot: 'src',
    // The maps point at ../src, which the package does not ship: they carry the
    // sources themselves (sourcesContent, rollup's default; test/unit/package-is-publishable checks it).
    sourcemap: true,
  },
  plugins: [
    ...(dev ? [] : [clean(), production()]),
    nodeResolve(),
    dev ? typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined, outDir: 'dist/dev' }) : typescript({ tsconfig: './tsconfig.build.json' }),
  ],
  // Runtime dependencies stay imports in the ESM build; the bundler of the app resolves them.
  external: [/^web-vitals/, /^hono/, /^@opentelemetry\/api$/],
  treeshake: { moduleSideEffects: false },
});

// The <script> tag: one self-starting IIFE with web-vitals inside, minified;
// tracelet.min.js is the production build, tracelet.dev.js the development one.
const scriptTag = (dev) => ({
  input: 'src/script-tag.ts',
  output: { file: dev ? 'dist/tracelet.dev.js' : 'dist/tracelet.min.js', format: 'iife', sourcemap: true },
  plugins: [
    ...(dev ? [] : [production()]),
    nodeResolve({ browser: true }),
    typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined }),
    // Two compress passes: about 1 % smaller than one, measured on this build.
    terser({ compress: { passes: 2 }, format: { comments: false } }),
    ...(dev ? [] : [sri()]),
  ],
  treeshake: { moduleSideEffects: (id) => id.endsWith('script-tag.ts') },
});

/** Marks a finished build (test/support/fresh-dist.ts compares it with src/). */
const stamp = () => ({
  name: 'stamp',
  writeBundle() {
    writeFileSync('dist/.build-stamp', new Date().toISOString() + '\n');
  },
});

const last = scriptTag(true);
last.plugins.push(stamp());
export default [library(false), library(true), scriptTag(false), last];
