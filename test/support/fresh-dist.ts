// The browser, worker and e2e tests (and the size test) run the built dist/,
// not src/. However vitest is started (`npm test` builds first; a bare
// `npx vitest run` does not), this runs once before any test: it builds when
// dist/ is missing or older than anything it is built from, so no test ever
// runs stale code.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
/** Written by rollup.config.mjs when a build has finished. */
export const STAMP = join(root, 'dist/.build-stamp');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

/** The build's inputs: newer than the stamp means dist/ is stale. */
export function sourcesNewerThanDist(): boolean {
  if (!existsSync(STAMP)) return true;
  const inputs = ['src', 'package.json', 'rollup.config.mjs', 'tsconfig.json', 'tsconfig.build.json'].map((p) => newest(join(root, p)));
  return Math.max(...inputs) > statSync(STAMP).mtimeMs;
}

export default function setup(): void {
  if (!sourcesNewerThanDist()) return;
  console.log('dist/ is missing or older than src/: building it first (npm run build)');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
