// After the two StrykerJS runs of `npm run mutation`: the mutation score per
// folder, from reports/mutation/mutation.json (src/core, src/propagation,
// src/export, src/http; stryker.config.mjs) and reports/mutation/browser-lib.json
// (src/browser/lib; stryker.browser-lib.config.mjs), both in the
// mutation-testing-report-schema, printed and written between the markers in
// docs/quality.md. A report that is missing is named and skipped.
// Other reports may be named as arguments instead (a run of some folders,
// `npx stryker run --mutate ... ` with its own jsonReporter fileName): their
// files are merged, a later report's file replacing an earlier one's.
// Score as Stryker counts it: (killed + timeout) / (killed + timeout + survived + no coverage); mutants the
// TypeScript checker rejects (CompileError) and ignored ones are not counted.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const REPORTS =
  process.argv.length > 2
    ? process.argv.slice(2).map((path) => new URL(path, `file://${process.cwd()}/`))
    : ['reports/mutation/mutation.json', 'reports/mutation/browser-lib.json'].map((path) => new URL(path, root));
const files = {};
for (const url of REPORTS) {
  const path = url.pathname;
  if (existsSync(url)) Object.assign(files, JSON.parse(readFileSync(url, 'utf8')).files);
  else console.warn(`${path} not found: run its stryker config first`);
}
if (!Object.keys(files).length) {
  console.error('no mutation report found: docs/quality.md left as it is');
  process.exit(1);
}
const folders = new Map();
for (const [file, { mutants }] of Object.entries(files)) {
  const folder = file.split('/').slice(0, file.startsWith('src/browser/') ? 3 : 2).join('/');
  const f = folders.get(folder) ?? { killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0 };
  for (const { status } of mutants) {
    if (status === 'Killed') f.killed++;
    else if (status === 'Timeout') f.timeout++;
    else if (status === 'Survived') f.survived++;
    else if (status === 'NoCoverage') f.noCoverage++;
    else f.other++;
  }
  folders.set(folder, f);
}
const rows = [...folders].sort(([a], [b]) => a.localeCompare(b)).map(([folder, f]) => {
  const detected = f.killed + f.timeout;
  const valid = detected + f.survived + f.noCoverage;
  const score = valid ? (100 * detected) / valid : 100;
  return `| ${folder} | ${score.toFixed(1)}% | ${f.killed} | ${f.timeout} | ${f.survived} | ${f.noCoverage} | ${f.other} |`;
});
const table = [
  '| folder | score | killed | timeout | survived | no coverage | not counted (compile error, ignored) |',
  '|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(table);
const doc = new URL('docs/quality.md', root);
const START = '<!-- mutation:start -->';
const END = '<!-- mutation:end -->';
if (existsSync(doc)) {
  const text = readFileSync(doc, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a >= 0 && b > a) {
    const when = new Date().toISOString().slice(0, 10);
    writeFileSync(doc, `${text.slice(0, a + START.length)}\nLast \`npm run mutation\`: ${when}.\n\n${table}\n${text.slice(b)}`);
  }
}
