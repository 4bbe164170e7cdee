// Bundle size of equivalent setups, bundled the same way: rollup (node-resolve,
// browser conditions, tree-shaking) + terser, then gzip -9 and brotli.
// Each fixture is a small ESM file under bench/fixtures/.
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export async function bundleSize(entry) {
  const bundle = await rollup({
    input: entry,
    plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'] }), terser({ format: { comments: false } })],
    onwarn: () => {},
    treeshake: { moduleSideEffects: (id) => !id.includes('node_modules') || /zone\.js/.test(id) },
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  const code = output.map((o) => (o.type === 'chunk' ? o.code : '')).join('');
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
