// Where the bytes of a bundle go, per source module, by leave-one-out: the
// bundle is built from src/ (TypeScript transpiled once), then rebuilt with one
// module's code replaced by no-op stubs of its exports; the gzip difference is
// what that module costs, including code that only it pulls in. The columns
// do not add up to the total (shared code is counted under no one, code only
// one importer pulls in under both), but they rank the fat.
// Bundled as the size bench does: rollup (node-resolve, browser) + terser + gzip -9.
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { minify } from 'terser';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = '\0size-breakdown-entry';

/** `entryCode` is an ES module importing from `src/` by absolute path; `format` 'es' or 'iife'. */
export async function sizeBreakdown(entryCode, { format = 'es', sideEffects = () => false } = {}) {
  const treeshake = { moduleSideEffects: (id) => id === ENTRY || sideEffects(id) };
  const virtualEntry = { name: 'entry', resolveId: (id) => (id === ENTRY ? id : null), load: (id) => (id === ENTRY ? entryCode : null) };
  // Transpile once, keeping each module's JavaScript.
  const first = await rollup({
    input: ENTRY,
    onwarn() {},
    treeshake,
    plugins: [virtualEntry, nodeResolve({ browser: true }), typescript({ tsconfig: `${root}/tsconfig.build.json`, declaration: false, declarationDir: undefined, noEmitOnError: false })],
  });
  const js = new Map(first.cache.modules.map((m) => [m.id, m.code]));
  const resolved = new Map(first.cache.modules.map((m) => [m.id, m.resolvedIds]));
  await first.close();
  const build = async (stubbed) => {
    const b = await rollup({
      input: ENTRY,
      onwarn() {},
      treeshake,
      plugins: [
        {
          name: 'transpiled',
          resolveId: (id, importer) => (id === ENTRY ? id : (resolved.get(importer)?.[id]?.id ?? null)),
          load(id) {
            const code = js.get(id);
            if (id !== stubbed) return code;
            const names = new Set([...code.matchAll(/export (?:async )?(?:function\*?|class|const|let|var)\s+([\w$]+)/g)].map((m) => m[1]));
            for (const m of code.matchAll(/export\s*\{([^}]*)\}/g)) for (const part of m[1].split(',')) if (part.trim()) names.add(part.trim().split(/\s+as\s+/).pop());
            return [...names].map((n) => (n === 'default' ? 'export default function () {}' : `export const ${n} = function () { return this; };`)).join('\n');
          },
        },
      ],
    });
    const { output } = await b.generate({ format, name: 'x' });
    await b.close();
    const { code } = await minify(output[0].code, { module: format === 'es', format: { comments: false } });
    return gzipSync(code, { level: 9 }).length;
  };
  const total = await build(undefined);
  const rows = [];
  for (const id of js.keys()) {
    if (id === ENTRY) continue;
    const name = id.startsWith(root) ? id.slice(root.length).replace(/^\//, '') : id;
    rows.push({ module: name.replace(/^node_modules\/([^/]+)\/.*/, '$1 (dependency)'), gzip: total - (await build(id)) });
  }
  return { total, rows: rows.filter((r) => r.gzip > 0).sort((a, b) => b.gzip - a.gzip) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const src = `${root}/src`;
  const r = await sizeBreakdown(`import { startBrowserTracing, fetchInstrumentation } from '${src}/browser.ts';\nstartBrowserTracing({ serviceName: 'size', endpoint: 'https://otel.example.com/v1/traces', instrumentations: [fetchInstrumentation()] });`);
  console.log(r.total);
  for (const row of r.rows) console.log(String(row.gzip).padStart(6), row.module);
}
