import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as stableConventions from '@opentelemetry/semantic-conventions';
import * as incubatingConventions from '@opentelemetry/semantic-conventions/incubating';
import ts from 'typescript';
import type { MetricType } from 'web-vitals';
import { describe, expect, it } from 'vitest';
import type { Tracer } from '../../src/core/tracer.js';
import type { Attributes } from '../../src/core/types.js';
import { recordVitals } from '../../src/browser/lib/record-vitals.js';
import { vitalsAttribution } from '../../src/browser/lib/vitals-attribution.js';

// "Lightweight by design", last acceptance point: every attribute and resource
// key tracelet emits is a key of the OpenTelemetry semantic-conventions
// registry (@opentelemetry/semantic-conventions, its main entry and
// /incubating) or is listed by its exact name in docs/attributes.md.
//
// The emitted keys are read from src/: every string literal shaped like a key
// (outside comments; names of context keys, scopes and options excepted), and
// the web-vitals keys, which recordVitals builds from a prefix, by running
// recordVitals in Node on metrics for both attribution sources. Any other key
// built from a prefix fails the test until its keys are derived here too.

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');
const rel = (file: string) => relative(root, file);

// ---- The registry: the values of the packages' ATTR_* constants ----

type Registered = 'stable' | 'incubating' | 'no';
const attrValues = (m: object) =>
  new Set(Object.entries(m).flatMap(([name, value]) => (name.startsWith('ATTR_') && typeof value === 'string' ? [value] : [])));
const STABLE = attrValues(stableConventions);
// /incubating exports the stable keys too.
const INCUBATING = attrValues(incubatingConventions);
const registered = (key: string): Registered => (STABLE.has(key) ? 'stable' : INCUBATING.has(key) ? 'incubating' : 'no');

// One TypeScript program over the declarations the test reads: the registry's
// (for @deprecated) and web-vitals' (the fields of its attribution build).
const options: ts.CompilerOptions = { strict: true, skipLibCheck: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] };
const declarationsOf = (specifier: string) => {
  const resolved = ts.resolveModuleName(specifier, join(root, 'test/unit/index.ts'), options, ts.sys).resolvedModule;
  if (!resolved) throw new Error(`cannot resolve ${specifier}`);
  return resolved.resolvedFileName;
};
const conventionsFile = declarationsOf('@opentelemetry/semantic-conventions/incubating');
const webVitalsFile = declarationsOf('web-vitals/attribution');
const program = ts.createProgram([conventionsFile, webVitalsFile], options);
const checker = program.getTypeChecker();
const moduleExports = (file: string) => {
  const sourceFile = program.getSourceFile(file)!;
  return checker.getExportsOfModule(checker.getSymbolAtLocation(sourceFile)!).map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s));
};

/** Registry keys marked `@deprecated` (e.g. http.response_content_length_uncompressed, "Replaced by http.response.body.size"). */
const DEPRECATED = new Set(
  moduleExports(conventionsFile).flatMap((symbol) => {
    if (!symbol.name.startsWith('ATTR_') || !symbol.getJsDocTags(checker).some((t) => t.name === 'deprecated')) return [];
    const value = (incubatingConventions as Record<string, unknown>)[symbol.name];
    return typeof value === 'string' ? [value] : [];
  }),
);

// ---- What tracelet emits: the keys written in src/ ----

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** A semantic-conventions shaped key: lower-case namespaces joined by dots. */
const KEY = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$/;
/** The start of a key built at run time: `'browser.web_vital.' + name`. */
const PREFIX = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*\.$/;

/** The first argument of these calls is a name, not an attribute: a context key, a global symbol, an instrumentation scope, an option (in a diagnostic). */
const NAMING_CALLS = ['createContextKey', 'Symbol.for', 'getTracer', 'numberOption'];

/** Dotted literals in src/ that are not attribute keys, and what they are. */
const NOT_KEYS: Record<string, string> = {
  'cloudflare.workers': 'the value of cloud.platform',
  'cloudflare.kv': 'a value of db.system.name',
  'cloudflare.r2': 'a value of db.system.name',
  'cloudflare.d1': 'a value of db.system.name',
  'console.error': 'a value of exception.source',
  'tracelet.context': 'the AsyncContext.Variable name holding the active context (the Zone property is OT_ZONE_CONTEXT, as @opentelemetry/context-zone names it)',
};

/**
 * Keys a file only reads, never sets: the attributes that name a Zipkin
 * remoteEndpoint, in the ranking of the OpenTelemetry spec's Zipkin exporter
 * section (legacy and registry-deprecated names included, as the spec lists
 * them). server.address and server.port are read there too but also set
 * elsewhere, so they stay emitted keys.
 */
const READ_ONLY: Record<string, string[]> = {
  [join('src', 'export', 'zipkin-json.ts')]: ['peer.service', 'net.peer.name', 'network.peer.address', 'network.peer.port', 'server.socket.domain', 'server.socket.address', 'server.socket.port', 'net.sock.peer.name', 'net.sock.peer.addr', 'net.sock.peer.port', 'peer.hostname', 'peer.address', 'db.name'],
};

/** Whether `node` is (a part, joined by `+`, of) the first argument of one of the NAMING_CALLS: `numberOption('batch.' + k, ...)`. */
function isNamingArgument(node: ts.Node): boolean {
  let argument = node;
  while (ts.isBinaryExpression(argument.parent) && argument.parent.operatorToken.kind === ts.SyntaxKind.PlusToken) argument = argument.parent;
  const call = argument.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== argument) return false;
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Symbol' ? 'Symbol.for' : ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText();
  return NAMING_CALLS.includes(name);
}

interface Literal {
  text: string;
  at: string;
}

/**
 * Every string literal in src/ shaped like a key (comments are not code, so
 * `@example` keys do not count), and every literal or template head that
 * starts a key built at run time.
 */
function scanSource(): { keys: Literal[]; prefixes: Literal[]; notKeys: Set<string>; readOnly: Set<string> } {
  const keys: Literal[] = [];
  const prefixes: Literal[] = [];
  const notKeys = new Set<string>();
  const readOnly = new Set<string>();
  for (const file of files(src)) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const at = (node: ts.Node) => `${rel(file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node)) {
        const text = node.text;
        if (isNamingArgument(node)) {
          // a name, not a key
        } else if (KEY.test(text)) {
          if (text in NOT_KEYS) notKeys.add(text);
          else if (READ_ONLY[rel(file)]?.includes(text)) readOnly.add(`${rel(file)} ${text}`);
          else keys.push({ text, at: at(node) });
        } else if (PREFIX.test(text)) prefixes.push({ text, at: at(node) });
      } else if (ts.isTemplateExpression(node) && (KEY.test(node.head.text) || PREFIX.test(node.head.text))) {
        prefixes.push({ text: node.head.text, at: at(node) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { keys, prefixes, notKeys, readOnly };
}

// ---- Keys built at run time: the web vitals ----

/** The attribute keys `recordVitals` gives the spans of `metrics`, with `attribution` as the attribution of each. */
function vitalsKeys(metrics: MetricType[], attribution: (metric: MetricType) => object): Set<string> {
  const keys = new Set<string>();
  const tracer = {
    clock: () => 0,
    startSpan(_name: string, o: { attributes: Attributes }) {
      for (const [k, v] of Object.entries(o.attributes)) if (v !== undefined) keys.add(k);
      return { end() {} };
    },
  } as unknown as Tracer;
  recordVitals(tracer, {}, [(report) => metrics.forEach(report)], attribution);
  return keys;
}

const metric = (name: MetricType['name'], entries: unknown[]) =>
  ({ name, value: 120, rating: 'good', delta: 120, id: `v5-${name}-${entries.length}`, navigationType: 'navigate', entries }) as unknown as MetricType;
const element = { nodeType: 1, tagName: 'BUTTON', id: 'buy', getAttribute: () => null };

/**
 * The default web vitals (`webVitalsInstrumentation()`, the script tag):
 * `vitalsAttribution()` run, in Node, on metrics with and without entries.
 */
function standardVitalsKeys(): Set<string> {
  return vitalsKeys(
    [
      metric('LCP', [{ startTime: 100, url: 'https://example.com/hero.png', id: 'hero', element: null }]),
      metric('INP', [{ name: 'click', startTime: 100, duration: 80, processingStart: 110, processingEnd: 150, targetSelector: 'button#buy' }]),
      metric('INP', []),
      metric('CLS', [{ value: 0.1, sources: [{ node: element }] }]),
      metric('FCP', [{ startTime: 100 }]),
      metric('TTFB', []),
    ],
    vitalsAttribution(),
  );
}

/** The names of the fields an object returned by `vitalsAttribution` may have, read from src (as sent: already snake_case). */
function derivedAttributionFields(): Set<string> {
  const file = join(src, 'browser/lib/vitals-attribution.ts');
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const fields = new Set<string>();
  const visit = (node: ts.Node): void => {
    const returned = ts.isReturnStatement(node) ? node.expression : ts.isArrowFunction(node) ? node.body : undefined;
    if (returned && ts.isObjectLiteralExpression(returned)) for (const p of returned.properties) if (p.name) fields.add(p.name.getText(sf));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return fields;
}

/**
 * The string and number fields of web-vitals' attribution build, from its
 * declarations: what `webVitalsAttributionInstrumentation()` sends.
 */
function attributionBuildFields(): Map<string, Record<string, string | number>> {
  const byMetric = new Map<string, Record<string, string | number>>();
  for (const name of ['LCP', 'INP', 'CLS', 'FCP', 'TTFB']) {
    const symbol = moduleExports(webVitalsFile).find((s) => s.name === `${name}Attribution`);
    if (!symbol) throw new Error(`web-vitals/attribution exports no ${name}Attribution`);
    const fields: Record<string, string | number> = {};
    for (const property of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      const type = checker.getNonNullableType(checker.getTypeOfSymbol(property));
      const parts = type.isUnion() ? type.types : [type];
      if (parts.every((t) => t.flags & ts.TypeFlags.StringLike)) fields[property.name] = 'x';
      else if (parts.every((t) => t.flags & ts.TypeFlags.NumberLike)) fields[property.name] = 1;
    }
    byMetric.set(name, fields);
  }
  return byMetric;
}

/** `webVitalsAttributionInstrumentation()`: web-vitals' attribution object, every string and number field sent. */
function attributionBuildKeys(): Set<string> {
  const fields = attributionBuildFields();
  return vitalsKeys(
    [...fields.keys()].map((name) => metric(name as MetricType['name'], [])),
    (m) => fields.get(m.name)!,
  );
}

// ---- docs/attributes.md ----

interface Row {
  key: string;
  registered: string;
  why: string;
}

/** The table rows of docs/attributes.md: `| \`key\` | type | set by | registered | why |`. */
function documented(): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const line of readFileSync(join(root, 'docs/attributes.md'), 'utf8').split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|/.exec(line);
    if (!m) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (rows.has(m[1]!)) throw new Error(`docs/attributes.md lists ${m[1]} twice`);
    rows.set(m[1]!, { key: m[1]!, registered: cells[3] ?? '', why: cells[4] ?? '' });
  }
  return rows;
}

describe('attribute keys', () => {
  const { keys, prefixes, notKeys, readOnly } = scanSource();
  const standardVitals = standardVitalsKeys();
  const attributionBuild = attributionBuildKeys();
  const emitted = new Set([...keys.map((k) => k.text), ...standardVitals, ...attributionBuild]);
  const docs = documented();

  it('finds the keys it knows tracelet emits (the scan works)', () => {
    for (const key of ['service.name', 'telemetry.sdk.version', 'url.full', 'exception.stacktrace', 'faas.trigger', 'http.route', 'session.id', 'user.id']) {
      expect(emitted, key).toContain(key);
    }
    expect(standardVitals).toContain('browser.web_vital.navigation_type');
    expect(standardVitals).toContain('browser.web_vital.attribution.element');
    expect(attributionBuild).toContain('browser.web_vital.attribution.total_script_duration');
  });

  it('builds keys at run time only where this test derives them (the web vitals)', () => {
    // recordVitals: `P + snake(k)` and `P + 'attribution.' + snake(k)`, derived
    // above by running it. A new prefix needs its keys derived here too.
    expect(prefixes.map((p) => `${p.text} ${p.at.replace(/:\d+$/, '')}`).sort()).toEqual([
      'attribution. src/browser/lib/record-vitals.ts',
      'browser.web_vital. src/browser/lib/record-vitals.ts',
    ]);
  });

  it('runs every field vitalsAttribution returns (no branch left out above)', () => {
    const missing = [...derivedAttributionFields()].filter((f) => !standardVitals.has(`browser.web_vital.attribution.${f}`));
    expect(missing).toEqual([]);
  });

  it('every emitted key is registered or documented by name in docs/attributes.md', () => {
    const offenders = [...emitted].filter((key) => registered(key) === 'no' && !docs.has(key));
    const where = offenders.map((key) => `${key} (${keys.find((k) => k.text === key)?.at ?? 'web vitals'})`);
    expect(where, 'add these to docs/attributes.md, or use a registered key').toEqual([]);
  });

  it('docs/attributes.md lists every emitted key', () => {
    expect([...emitted].filter((key) => !docs.has(key)).sort()).toEqual([]);
  });

  it('every key docs/attributes.md lists is still emitted', () => {
    expect([...docs.keys()].filter((key) => !emitted.has(key)).sort()).toEqual([]);
  });

  it('the registered column is what the registry says, and every unregistered key says why', () => {
    const wrong = [...docs.values()].filter((row) => row.registered !== registered(row.key)).map((row) => `${row.key}: docs say ${row.registered}, registry ${registered(row.key)}`);
    expect(wrong).toEqual([]);
    expect([...docs.values()].filter((row) => row.registered === 'no' && row.why.length < 10).map((row) => row.key)).toEqual([]);
  });

  it('emits no key the registry has deprecated', () => {
    expect(DEPRECATED.size).toBeGreaterThan(10);
    expect(DEPRECATED).toContain('http.response_content_length_uncompressed');
    expect([...emitted].filter((key) => DEPRECATED.has(key))).toEqual([]);
  });

  it('lists only non-keys that are still in src', () => {
    expect(Object.keys(NOT_KEYS).filter((text) => !notKeys.has(text))).toEqual([]);
  });

  it('lists only read-only keys that are still read where it says', () => {
    const listed = Object.entries(READ_ONLY).flatMap(([file, list]) => list.map((key) => `${file} ${key}`));
    expect(listed.filter((entry) => !readOnly.has(entry))).toEqual([]);
  });
});
