// Production messages are codes that point at docs/diagnostics.md
// (`[tracelet] W5 503 (docs/diagnostics.md#w5)`), so every code in src/ must
// have its section there and every section a code in src/. Each call of
// warnOnce / fail passes its sentence as `DEV && '...'`, which the production
// build drops. Read from the source text, not from dist/: the test needs no build.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/diagnostics.md'), 'utf8');

/** Index after the string literal that starts at `i`. */
function skipString(s: string, i: number): number {
  const quote = s[i];
  for (i++; i < s.length && s[i] !== quote; i++) if (s[i] === '\\') i++;
  return i + 1;
}

/** Index after the template literal that starts at `i`, `${...}` parts included. */
function skipTemplate(s: string, i: number): number {
  for (i++; i < s.length && s[i] !== '`'; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '$' && s[i + 1] === '{') i = skipBalanced(s, i + 1) - 1;
  }
  return i + 1;
}

/** Index after the bracket that closes the one at `i`. */
function skipBalanced(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'" || c === '"') i = skipString(s, i);
    else if (c === '`') i = skipTemplate(s, i);
    else {
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c) && --depth === 0) return i + 1;
      i++;
    }
  }
  throw new Error('unbalanced brackets');
}

/** The arguments of the call whose `(` is at `open`, as source text. */
function callArguments(s: string, open: number): string[] {
  const args: string[] = [];
  let start = open + 1;
  let i = start;
  for (;;) {
    const c = s[i];
    if (c === undefined) throw new Error('unterminated call');
    if (c === "'" || c === '"') i = skipString(s, i);
    else if (c === '`') i = skipTemplate(s, i);
    else if ('([{'.includes(c)) i = skipBalanced(s, i);
    else if (c === ',' || c === ')') {
      if (s.slice(start, i).trim()) args.push(s.slice(start, i).trim());
      if (c === ')') return args;
      start = ++i;
    } else i++;
  }
}

/** The literal text of an expression: its strings, and its templates cut at each `${...}`. */
function literalParts(expr: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i < expr.length; ) {
    const c = expr[i];
    if (c === "'" || c === '"') {
      const end = skipString(expr, i);
      parts.push(expr.slice(i + 1, end - 1).replace(/\\(.)/g, '$1'));
      i = end;
    } else if (c === '`') {
      let chunk = '';
      for (i++; i < expr.length && expr[i] !== '`'; i++) {
        if (expr[i] === '\\') chunk += expr[++i];
        else if (expr[i] === '$' && expr[i + 1] === '{') {
          const end = skipBalanced(expr, i + 1);
          parts.push(chunk, ...literalParts(expr.slice(i + 2, end - 1)));
          chunk = '';
          i = end - 1;
        } else chunk += expr[i];
      }
      parts.push(chunk);
      i++;
    } else i++;
  }
  return parts;
}

interface Call {
  where: string;
  fn: string;
  args: string[];
  /** Inside an `if (DEV) { ... }` block, which the production build drops whole. */
  inDevBlock: boolean;
}

function sourceFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
}

/** Every call of diag.ts's warnOnce, fail and numberOption in src/. */
function diagnosticCalls(): Call[] {
  const calls: Call[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const path = relative(root, file);
    // Comments blanked (whole-line `//` and block comments), keeping offsets for line numbers.
    const text = readFileSync(file, 'utf8').replace(/^[ \t]*\/\/.*$|^[ \t]*\/\*[\s\S]*?\*\//gm, (m) => m.replace(/[^\n]/g, ' '));
    // Only the names imported from diag.ts are its functions (worker/invocation.ts has a fail() of its own).
    const imported = path === join('src', 'core', 'diag.ts') ? ['fail'] : [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'[./]*(?:core\/)?diag\.js'/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()));
    const names = imported.filter((n) => ['warnOnce', 'fail', 'numberOption'].includes(n));
    if (!names.length) continue;
    const devBlocks = [...text.matchAll(/\bif\s*\(\s*DEV\s*\)\s*\{/g)].map((m) => [m.index, skipBalanced(text, m.index + m[0].length - 1)] as const);
    for (const m of text.matchAll(new RegExp(String.raw`(?<![\w$.]|function\s+)(${names.join('|')})\s*\(`, 'g'))) {
      const open = m.index + m[0].length - 1;
      calls.push({
        where: `${path}:${text.slice(0, m.index).split('\n').length}`,
        fn: m[1]!,
        args: callArguments(text, open),
        inDevBlock: devBlocks.some(([from, to]) => m.index > from && m.index < to),
      });
    }
  }
  return calls;
}

const calls = diagnosticCalls();
const coded = calls.filter((c) => c.fn !== 'numberOption');
const code = (c: Call) => /^'([WE]\d+)'$/.exec(c.args[0] ?? '')?.[1];

/** Codes in src/: those passed to warnOnce and fail, and E1 wherever numberOption is called. */
const usedCodes = new Set([...coded.map(code).filter((c) => c !== undefined), ...(calls.some((c) => c.fn === 'numberOption') ? ['E1'] : [])]);

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

/** The doc's sections whose anchor is a code, in order, each with its text up to the next heading of its level or above. */
function documentedSections(): { code: string; text: string }[] {
  const lines = doc.split('\n');
  const headings: { line: number; level: number; anchors: string[] }[] = [];
  let fenced = false;
  lines.forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) return;
    const ids = [...line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)].map((m) => m[1]!);
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) headings.push({ line: i, level: h[1]!.length, anchors: [anchor(h[2]!.replace(/<[^>]*>/g, '')), ...ids] });
    else if (ids.length) headings.push({ line: i, level: 7, anchors: ids });
  });
  return headings.flatMap((h, k) => {
    const codes = h.anchors.filter((a) => /^[we]\d+$/.test(a));
    const next = headings.slice(k + 1).find((n) => n.level <= Math.min(h.level, 6));
    return codes.map((c) => ({ code: c.toUpperCase(), text: lines.slice(h.line, next?.line).join('\n') }));
  });
}

const sections = documentedSections();
const byCode = (a: string, b: string) => a[0]!.localeCompare(b[0]!) || Number(a.slice(1)) - Number(b.slice(1));

describe('every diagnostic is documented in docs/diagnostics.md', () => {
  it('finds the calls in src/ (the scan itself works)', () => {
    expect(coded.length).toBeGreaterThan(50);
    expect(calls.filter((c) => c.fn === 'numberOption').length).toBeGreaterThan(10);
    expect(calls.some((c) => c.where.startsWith(join('src', 'worker', 'invocation.ts')) && c.fn === 'fail'), "worker/invocation.ts's own fail() is not diag's").toBe(false);
    expect(usedCodes).toContain('W1');
    expect(usedCodes).toContain('E17');
  });

  it('every warnOnce and fail passes a code such as W5 or E2 as its first argument', () => {
    const bad = coded.filter((c) => code(c) === undefined).map((c) => `${c.where}: ${c.fn}(${c.args[0]}, ...)`);
    expect(bad).toEqual([]);
  });

  it("every warnOnce and fail passes its sentence as `DEV && '...'` (or inside `if (DEV)`), so the production build drops it", () => {
    const bad = coded.filter((c) => !c.inDevBlock && !/^DEV\s*(&&|\?)/.test(c.args[1] ?? '')).map((c) => `${c.where}: ${c.fn}(${c.args[0]}, ${c.args[1]?.slice(0, 60)}...)`);
    expect(bad).toEqual([]);
  });

  it('every code used in src/ has its section, and every section is a code used in src/, in order E1.., W1..', () => {
    const documented = sections.map((s) => s.code);
    expect([...usedCodes].filter((c) => !documented.includes(c)), 'used in src/ but without a section').toEqual([]);
    expect(documented.filter((c) => !usedCodes.has(c)), 'documented but used nowhere in src/').toEqual([]);
    expect(documented, 'one section per code, E1..E17 then W1..').toEqual([...usedCodes].sort(byCode));
  });

  it("each code's section quotes the sentences of its call sites and names the production form", () => {
    const missing: string[] = [];
    for (const c of coded) {
      const section = sections.find((s) => s.code === code(c))?.text ?? '';
      const parts = literalParts(c.args[1] ?? '').map((p) => p.trim()).filter((p) => p.length >= 10);
      for (const part of parts) if (!section.includes(part)) missing.push(`${c.where} ${code(c)}: "${part}"`);
    }
    for (const s of sections) {
      if (!s.text.includes(`(docs/diagnostics.md#${s.code.toLowerCase()})`) && s.code !== 'W12') missing.push(`${s.code}: no production form`);
    }
    expect(missing).toEqual([]);
  });
});

describe('the production build prints codes, not sentences', () => {
  type Diag = typeof import('../../src/core/diag.js');
  let temp: string;
  let bundled: string;
  let production: Diag;

  beforeAll(async () => {
    // src/core/diag.ts as rollup.config.mjs's production() plugin builds it: dev.js is `export const DEV = false`.
    const result = await build({
      entryPoints: [join(root, 'src/core/diag.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      minifySyntax: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'production',
          setup(b) {
            b.onResolve({ filter: /\/dev\.js$/ }, () => ({ path: 'dev', namespace: 'production' }));
            b.onLoad({ filter: /.*/, namespace: 'production' }, () => ({ contents: 'export const DEV = false;', loader: 'js' }));
          },
        },
      ],
    });
    bundled = result.outputFiles[0]!.text;
    temp = mkdtempSync(join(tmpdir(), 'tracelet-diag-'));
    writeFileSync(join(temp, 'diag.mjs'), bundled);
    production = (await import(pathToFileURL(join(temp, 'diag.mjs')).href)) as Diag;
  });
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('the bundle is the production one: no sentence of numberOption left', () => {
    expect(bundled).toContain('docs/diagnostics.md#');
    expect(bundled).not.toContain('must be a');
  });

  it('a warning is its code, its detail and its anchor, once per code and detail', () => {
    const messages: [string, string][] = [];
    const previous = production.setDiagnosticSink((level, message) => void messages.push([level, message]));
    try {
      production.warnOnce('W5', false, 503);
      production.warnOnce('W5', false, 503);
      production.warnOnce('W3', false, 401);
      production.warnOnce('W3', false, 404);
      production.warnOnce('W4', false);
      production.warnOnce('W32', false, 'tracelet: E16 x (docs/diagnostics.md#e16)', 'error');
    } finally {
      production.setDiagnosticSink(previous);
    }
    expect(messages).toEqual([
      ['warn', 'W5 503 (docs/diagnostics.md#w5)'],
      ['warn', 'W3 401 (docs/diagnostics.md#w3)'],
      ['warn', 'W3 404 (docs/diagnostics.md#w3)'],
      ['warn', 'W4 (docs/diagnostics.md#w4)'],
      ['error', 'W32 tracelet: E16 x (docs/diagnostics.md#e16) (docs/diagnostics.md#w32)'],
    ]);
  });

  it('the console gets it with the [tracelet] prefix', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      production.resetDiagnostics();
      production.warnOnce('W5', false, 503);
      expect(warn.mock.calls).toEqual([['[tracelet] W5 503 (docs/diagnostics.md#w5)']]);
    } finally {
      warn.mockRestore();
    }
  });

  it('a bad option is a TypeError with its code, its detail and its anchor', () => {
    const thrown = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const e2 = thrown(() => production.fail('E2', false, 'ftp://x'));
    expect(e2).toBeInstanceOf(TypeError);
    expect((e2 as TypeError).message).toBe('tracelet: E2 ftp://x (docs/diagnostics.md#e2)');
    const e1 = thrown(() => production.numberOption('batch.maxQueueSize', -1, 2048, 'int>=1'));
    expect(e1).toBeInstanceOf(TypeError);
    expect((e1 as TypeError).message).toBe('tracelet: E1 batch.maxQueueSize (docs/diagnostics.md#e1)');
  });

  it('the development build (the source) prints the sentence instead', async () => {
    const development = await import('../../src/core/diag.js');
    expect(() => development.fail('E2', 'endpoint "ftp://x" must be an http: or https: URL', 'ftp://x')).toThrow(/^tracelet: endpoint "ftp:\/\/x" must be an http: or https: URL$/);
    expect(() => development.numberOption('batch.maxQueueSize', -1, 2048, 'int>=1')).toThrow('tracelet: batch.maxQueueSize must be a whole number >= 1, got -1');
  });
});
