// Bundle size of equivalent setups, bundled the same way: rollup (node-resolve,
// browser conditions, tree-shaking) + terser, then gzip -9 and brotli.
// Each fixture is a small ESM file under bench/fixtures/. CommonJS
// dependencies of the anchors (ua-parser-js, error-stack-parser, tracekit)
// go through @rollup/plugin-commonjs, as in any rollup app; tracelet has none.
// Worker fixtures resolve with the workerd/worker conditions and keep
// `node:*` and `cloudflare:*` imports external (provided by workerd).
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import terser from '@rollup/plugin-terser';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const isWorkerFixture = (entry) => /(worker|otel-cf-workers)[^/]*\.mjs$/.test(entry);

// Returns the minified ESM code; `inline` inlines dynamic imports (one file to run).
export async function bundle(entry, { minify = true, worker = isWorkerFixture(entry), inline = false } = {}) {
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
    treeshake: { moduleSideEffects: (id) => !id.includes('node_modules') || /zone\.js/.test(id) },
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of process.argv.slice(2)) console.log(f, await bundleSize(f));
}
