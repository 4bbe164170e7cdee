import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// DESIGN.md "rules of the house": imports only point down the floors
// core <- propagation, export, context <- pipeline.ts, tracing.ts <- browser, worker <- entries.
const src = resolve(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function floorOf(file: string): string {
  const rel = relative(src, file);
  return rel.includes('/') ? rel.split('/')[0]! : rel;
}

// version.ts is a leaf (one constant, no imports): any floor may read it.
const allowed: Record<string, string[]> = {
  core: ['core'],
  propagation: ['core', 'propagation'],
  export: ['core', 'export'],
  context: ['core', 'context'],
  http: ['core', 'http'],
  browser: ['core', 'propagation', 'export', 'context', 'http', 'browser', 'tracing.js', 'pipeline.js', 'version.js'],
  worker: ['core', 'propagation', 'export', 'context', 'http', 'worker', 'tracing.js', 'api.js', 'version.js'],
};

describe('architecture', () => {
  const all = files(src);

  it('imports only point down the floors', () => {
    const violations: string[] = [];
    for (const file of all) {
      const floor = floorOf(file);
      const rules = allowed[floor];
      if (!rules) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from\s+'(\.[^']+)'/g)) {
        const target = floorOf(resolve(dirname(file), m[1]!));
        if (!rules.includes(target)) violations.push(`${relative(src, file)} imports ${m[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('core touches no DOM or Workers globals', () => {
    const forbidden = /\b(window|document|navigator|location|localStorage|XMLHttpRequest|caches|addEventListener)\b/;
    const offenders = all
      .filter((f) => ['core', 'propagation', 'export', 'http'].includes(floorOf(f)))
      .filter((f) => readFileSync(f, 'utf8').split('\n').some((line) => !/^\s*(\/\/|\/?\*)/.test(line) && forbidden.test(line)));
    expect(offenders.map((f) => relative(src, f))).toEqual([]);
  });
});
