// Where the bytes of a bundle go, per source module, two ways:
// - `sizeBreakdown()`, leave-one-out with rollup + terser: the bundle is built
//   from src/ (TypeScript transpiled once), then rebuilt with one module's code
//   replaced by no-op stubs of its exports; the gzip difference is what that
//   module costs, including code that only it pulls in. The column does not
//   add up to the total (shared code is counted under no one, code only one
//   importer pulls in under both), but it ranks the fat. Bundled as the size
//   bench does: rollup (node-resolve, browser) + terser + gzip -9.
// - `esbuildBreakdown()`, esbuild's metafile: the same entry bundled from src/
//   by esbuild --minify through size-limit (bench/size.mjs `esbuildSize`), and
//   for each input the bytes it left in the minified output (`bytesInOutput`).
//   Exact and additive (the rows sum to the output, less esbuild's few bytes
//   of glue), but before compression: gzip does not split by module.
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { minify } from 'terser';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { esbuildBrowser, esbuildSize, esbuildWorker } from './size.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = '\0size-breakdown-entry';

/** A module's name in a breakdown: its path from the repository root, a dependency by package. */
export const moduleName = (id) => {
  const name = id.startsWith(root) ? id.slice(root.length).replace(/^\//, '') : id;
  return name.replace(/^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\/.*/, '$1 (dependency)');
};

/**
 * `entryCode` is an ES module importing from `src/` by absolute path; `format` 'es' or 'iife';
 * `worker`: resolve with the workerd/worker conditions and keep node:* and cloudflare:* external.
 */
export async function sizeBreakdown(entryCode, { format = 'es', sideEffects = () => false, worker = false } = {}) {
  const treeshake = { moduleSideEffects: (id) => id === ENTRY || sideEffects(id) };
  const resolveOptions = worker ? { browser: true, exportConditions: ['workerd', 'worker', 'browser', 'import', 'default'], preferBuiltins: false } : { browser: true };
  const external = worker ? (id) => /^(node|cloudflare):/.test(id) : [];
  const virtualEntry = { name: 'entry', resolveId: (id) => (id === ENTRY ? id : null), load: (id) => (id === ENTRY ? entryCode : null) };
  // Transpile once, keeping each module's JavaScript.
  const first = await rollup({
    input: ENTRY,
    onwarn() {},
    treeshake,
    external,
    plugins: [virtualEntry, nodeResolve(resolveOptions), typescript({ tsconfig: `${root}/tsconfig.build.json`, declaration: false, declarationDir: undefined, noEmitOnError: false })],
  });
  const js = new Map(first.cache.modules.map((m) => [m.id, m.code]));
  const resolved = new Map(first.cache.modules.map((m) => [m.id, m.resolvedIds]));
  await first.close();
  const build = async (stubbed) => {
    const b = await rollup({
      input: ENTRY,
      onwarn() {},
      treeshake,
      external,
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
    rows.push({ module: moduleName(id), gzip: total - (await build(id)) });
  }
  return { total, rows: rows.filter((r) => r.gzip > 0).sort((a, b) => b.gzip - a.gzip) };
}

/**
 * esbuild's metafile for a bundle built from src/: `entry` is { code } (an ES
 * module importing src/ by absolute path, written to a temporary file) or
 * { file } (a source file that is itself the entry, such as src/script-tag.ts:
 * the package says "sideEffects": false, so a bare import of it would be
 * dropped). `modifyEsbuildConfig` as for size-limit (bench/size.mjs).
 * Returns { min, gzip (size-limit's), rows: [{ module, bytes }] }; a
 * dependency's files are summed under its package.
 */
export async function esbuildBreakdown(entry, modifyEsbuildConfig) {
  let file = entry.file;
  let dir;
  if (!file) {
    mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
    dir = mkdtempSync(join(root, 'node_modules/.cache/tracelet-breakdown-'));
    file = join(dir, 'entry.mjs');
    writeFileSync(file, entry.code);
  }
  try {
    const { min, gzip, metafile } = await esbuildSize(file, modifyEsbuildConfig);
    const bytes = new Map();
    const entryPath = realpathSync(file);
    for (const output of Object.values(metafile.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        const abs = realpathSync(resolve(process.cwd(), input));
        const name = abs === entryPath && !entry.file ? '(entry: the call)' : moduleName(abs);
        bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
      }
    }
    const rows = [...bytes].map(([module, b]) => ({ module, bytes: b })).filter((r) => r.bytes > 0).sort((a, b) => b.bytes - a.bytes);
    return { min, gzip, rows };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

const src = `${root}/src`;
const fetchOnly = `import { startBrowserTracing, fetchInstrumentation } from '${src}/browser.ts';\nstartBrowserTracing({ serviceName: 'size', endpoint: 'https://otel.example.com/v1/traces', instrumentations: [fetchInstrumentation()] });`;
const worker = `import { instrument } from '${src}/worker.ts';\nexport default instrument({ fetch: () => new Response('ok') }, { serviceName: 'size' });`;
const zipkin = `import { createPipeline } from '${src}/pipeline.ts';\nimport { W3CTraceContextPropagator } from '${src}/propagation/trace-context.ts';\nimport { ZipkinExporter } from '${src}/zipkin.ts';\nconst { tracer } = createPipeline({ serviceName: 'size', exporter: new ZipkinExporter({ url: 'https://zipkin.example.com/api/v2/spans' }), propagator: new W3CTraceContextPropagator() });\ntracer.startSpan('x').end();`;
/** The bundles BENCHMARKS.md breaks down, each the source form of a budgeted bundle (.size-limit.mjs). */
export const bundles = [
  {
    title: 'startBrowserTracing + fetchInstrumentation (the fetch-only fixture)',
    rollup: () => sizeBreakdown(fetchOnly),
    esbuild: () => esbuildBreakdown({ code: fetchOnly }, esbuildBrowser),
  },
  {
    title: 'script tag (src/script-tag.ts as an IIFE)',
    rollup: () => sizeBreakdown(`import '${src}/script-tag.ts';`, { format: 'iife', sideEffects: (id) => id.endsWith('script-tag.ts') }),
    esbuild: () => esbuildBreakdown({ file: `${src}/script-tag.ts` }, (config) => ({ ...esbuildBrowser(config), format: 'iife' })),
  },
  {
    title: 'Worker: instrument({ fetch }) (the worker fixture)',
    rollup: () => sizeBreakdown(worker, { worker: true }),
    esbuild: () => esbuildBreakdown({ code: worker }, esbuildWorker),
  },
  {
    title: 'createPipeline + ZipkinExporter (the tracelet/zipkin fixture)',
    rollup: () => sizeBreakdown(zipkin),
    esbuild: () => esbuildBreakdown({ code: zipkin }, esbuildBrowser),
  },
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const b of bundles) {
    const e = await b.esbuild();
    console.log(`${b.title}: esbuild ${e.min} B min, ${e.gzip} B gzip`);
    for (const row of e.rows) console.log(String(row.bytes).padStart(6), row.module);
    if (process.argv.includes('--esbuild-only')) continue;
    const r = await b.rollup();
    console.log(`${b.title}: rollup + terser ${r.total} B gzip, leave-one-out`);
    for (const row of r.rows) console.log(String(row.gzip).padStart(6), row.module);
  }
}
