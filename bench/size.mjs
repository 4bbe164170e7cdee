// Bundle size of equivalent setups, bundled two ways:
// - rollup (node-resolve, browser conditions, tree-shaking) + terser: `bundle()`;
// - esbuild --minify as size-limit runs it (`esbuildSize()`: size-limit's API
//   with @size-limit/esbuild and @size-limit/file, the same plugins and the
//   same esbuild options as the budgets in .size-limit.mjs).
// Each fixture is a small ESM file under bench/fixtures/. CommonJS
// dependencies of the anchors (ua-parser-js, error-stack-parser, tracekit)
// go through @rollup/plugin-commonjs, as in any rollup app; tracelet has none.
// Worker fixtures resolve with the workerd/worker conditions and keep
// `node:*` and `cloudflare:*` imports external (provided by workerd).
//
// gzip: every figure is size-limit's gzip. For a file (rollup + terser output,
// the script tag) that is gzip -9 of its bytes, exactly `gzip -9 -c f | wc -c`.
// For an esbuild check, @size-limit/esbuild then subtracts 32 B, its constant
// for an empty esbuild project, so those figures are gzip -9 of esbuild's
// output minus 32 B.
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import terser from '@rollup/plugin-terser';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import sizeLimit from 'size-limit';
import esbuildPlugin from '@size-limit/esbuild';
import filePlugin from '@size-limit/file';

const root = fileURLToPath(new URL('..', import.meta.url));

export const isWorkerFixture = (entry) => /(worker|otel-cf-workers)[^/]*\.mjs$/.test(entry);

// Returns the minified ESM code; `inline` inlines dynamic imports (one file to run).
// `depsSideEffects`: keep the top-level statements of node_modules files as
// rollup does by default (the measurement assumes they have no side effects).
export async function bundle(entry, { minify = true, worker = isWorkerFixture(entry), inline = false, depsSideEffects = false } = {}) {
  const conditions = worker ? ['workerd', 'worker', 'browser', 'import', 'default'] : ['browser', 'import', 'default'];
  const b = await rollup({
    input: entry,
    external: worker ? (id) => /^(node|cloudflare):/.test(id) : [],
    plugins: [
      nodeResolve({ browser: true, exportConditions: conditions, preferBuiltins: false }),
      commonjs(),
      ...(minify ? [terser({ format: { comments: false } })] : []),
    ],
    onwarn: () => {},
    treeshake: depsSideEffects ? {} : { moduleSideEffects: (id) => !id.includes('node_modules') || /zone\.js/.test(id) },
  });
  const { output } = await b.generate({ format: 'es', inlineDynamicImports: inline });
  await b.close();
  return output.map((o) => (o.type === 'chunk' ? o.code : '')).join('');
}

export async function bundleSize(entry) {
  const code = await bundle(entry);
  const buf = Buffer.from(code);
  return {
    min: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

// esbuild options for size-limit's `modifyEsbuildConfig` (size-limit has set
// bundle, minify (identifiers, syntax, whitespace), tree shaking, metafile and
// externals: the package's peerDependencies). Without a format, esbuild would
// write an IIFE: an app bundles tracelet as ESM. logLevel 'error': esbuild
// warns that dist/worker.js imports a chunk for side effects the package
// says it has none of (rollup's output; dropping the import is right).
/** esbuild --minify, browser platform, ESM: the browser fixtures. */
export const esbuildBrowser = (config) => ({ ...config, platform: 'browser', format: 'esm', logLevel: 'error' });
/**
 * esbuild --minify for a Worker, as the rollup bundle above resolves it:
 * platform neutral, conditions workerd, worker, browser (esbuild adds import
 * and default), `node:*` and `cloudflare:*` left to workerd. Neutral has no
 * main fields of its own; these are rollup's (node-resolve, browser: true) and
 * esbuild's browser defaults. tracelet's worker bundle has no package import
 * to resolve: it is byte for byte the same with platform browser.
 */
export const esbuildWorker = (config) => ({
  ...config,
  platform: 'neutral',
  format: 'esm',
  logLevel: 'error',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['browser', 'module', 'main'],
  external: [...(config.external ?? []), 'node:*', 'cloudflare:*'],
});
/**
 * The same Worker options but platform browser (wrangler's default: it sets
 * no platform). esbuild applies a package's "browser" field map (a file
 * swapped for another, as OpenTelemetry packages swap their Node platform
 * files) only with platform browser; rollup's node-resolve applies it always.
 */
export const esbuildWorkerBrowserPlatform = (config) => ({ ...esbuildWorker(config), platform: 'browser' });
export const esbuildOptionsFor = (entry) => (isWorkerFixture(entry) ? esbuildWorker : esbuildBrowser);

/**
 * esbuild --minify through size-limit's API: { min, gzip, code, metafile }.
 * gzip is size-limit's (gzip -9 minus its 32 B for an empty esbuild project);
 * min is the length of the code esbuild wrote (size-limit's saveBundle, to a
 * temporary directory).
 */
export async function esbuildSize(entry, modifyEsbuildConfig = esbuildOptionsFor(entry)) {
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  const saveBundle = mkdtempSync(join(root, 'node_modules/.cache/tracelet-esbuild-'));
  try {
    const check = { files: [entry], gzip: true, modifyEsbuildConfig };
    const [{ size }] = await sizeLimit([esbuildPlugin, filePlugin], { checks: [check], saveBundle });
    const code = check.bundles.map((f) => readFileSync(f, 'utf8')).join('');
    return { min: Buffer.byteLength(code), gzip: size, code, metafile: check.esbuildMetafile };
  } finally {
    rmSync(saveBundle, { recursive: true, force: true });
  }
}

/** size-limit's gzip of a file as it is (no bundling): gzip -9. */
export async function fileGzip(file) {
  const [{ size }] = await sizeLimit([filePlugin], { checks: [{ files: [file], gzip: true }] });
  return size;
}

/**
 * Writes the rollup + terser bundle of `entry` to a fresh directory under
 * node_modules/.cache (one per process: several runs may share the checkout;
 * removed when the process exits) and returns its path relative to the
 * repository root, for size-limit to measure as a file.
 */
export async function writeRollupBundle(entry) {
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  const dir = mkdtempSync(join(root, 'node_modules/.cache/tracelet-size-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, entry.replace(/^.*\//, '').replace(/\.mjs$/, '.rollup.js'));
  writeFileSync(file, await bundle(join(root, entry)));
  return relative(root, file);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of process.argv.slice(2)) {
    const { min, gzip } = await esbuildSize(f);
    console.log(f, { rollupTerser: await bundleSize(f), esbuild: { min, gzip } });
  }
}
