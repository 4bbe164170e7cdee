import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup, type Plugin } from 'rollup';
import type { Build } from './harness.js';

const root = resolve(import.meta.dirname, '../../..');

/**
 * Bundles `test/browser/pages/<entry>` with rollup for the browser, as an
 * app's bundler would (npm packages from node_modules, tracelet from dist/),
 * into test-results/pages/ (git-ignored; the test site serves the repository
 * root), and writes an HTML page that loads it, after zone.js when `zone`.
 * Pages import tracelet's development build (dist/dev/); `build: 'prod'`
 * bundles the production one (dist/) in its place. Returns the page's path on the site.
 */
export async function bundlePage(entry: string, name: string, options: { zone?: boolean; build?: Build } = {}): Promise<string> {
  const dist = resolve(root, 'dist') + '/';
  const production: Plugin = {
    name: 'production-build',
    resolveId(source, importer) {
      const path = importer && source.startsWith('.') ? resolve(importer, '..', source) : '';
      return path.startsWith(dist + 'dev/') ? dist + path.slice(dist.length + 'dev/'.length) : null;
    },
  };
  const plugins = [...(options.build === 'prod' ? [production] : []), nodeResolve({ browser: true })];
  const b = await rollup({ input: resolve(root, 'test/browser/pages', entry), plugins, onwarn: () => {} });
  const { output } = await b.generate({ format: 'iife' });
  await b.close();
  const dir = resolve(root, 'test-results/pages');
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, `${name}.js`), output[0].code);
  const zone = options.zone ? '<script src="/node_modules/zone.js/fesm2015/zone.js"></script>\n' : '';
  writeFileSync(resolve(dir, `${name}.html`), `<!doctype html>\n<meta charset="utf-8">\n<title>${name}</title>\n<button id="buy">Buy</button>\n${zone}<script src="/test-results/pages/${name}.js"></script>\n`);
  return `/test-results/pages/${name}.html`;
}
