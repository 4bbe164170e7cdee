// describeElement: the short selector span names and vitals attribution use,
// for real DOM elements (HTML and SVG, attached and detached).
import { afterEach, expect, test } from 'vitest';
import { describeElement } from '../../src/browser/lib/selector.js';

const root = () => {
  const el = document.createElement('main');
  document.body.append(el);
  return el;
};
const html = (parent: Element, markup: string) => {
  parent.innerHTML = markup;
  return parent;
};
afterEach(() => document.body.replaceChildren());

test('an id wins over everything else', () => {
  const r = html(root(), '<button id="buy" class="primary big" name="b" data-testid="t">Buy</button>');
  expect(describeElement(r.querySelector('button'))).toBe('button#buy');
});

test('data-testid, else data-test, as a data-testid attribute selector', () => {
  const r = html(root(), '<div data-testid="cart" class="c"></div><div data-test="list"></div>');
  const [a, b] = r.querySelectorAll('div');
  expect(describeElement(a!)).toBe('div[data-testid="cart"]');
  expect(describeElement(b!)).toBe('div[data-testid="list"]');
});

test('a name attribute, with up to two classes, and never the value the user typed', () => {
  const r = html(root(), '<form id="f"><input name="email" class="wide  field third"></form>');
  const input = r.querySelector('input')!;
  input.value = 'secret@example.com';
  expect(describeElement(input)).toBe('input[name="email"].wide.field');
});

test('up to two classes, the tag lower case, and no parent when the classes say enough', () => {
  const r = html(root(), '<section id="s"><P class=" lead   big third "></P><p class="one"></p></section>');
  const [two, one] = r.querySelectorAll('p');
  expect(describeElement(two!)).toBe('p.lead.big');
  expect(describeElement(one!)).toBe('p.one');
});

test('a bare element is described with its parents, at most two levels up', () => {
  const r = html(root(), '<section id="shop"><div><span><b>x</b></span></div></section>');
  expect(describeElement(r.querySelector('div'))).toBe('section#shop > div');
  expect(describeElement(r.querySelector('span'))).toBe('section#shop > div > span');
  expect(describeElement(r.querySelector('b'))).toBe('div > span > b');
});

test('a bare element right under <body>, or detached, is its tag', () => {
  const span = document.createElement('span');
  expect(describeElement(span)).toBe('span');
  document.body.append(span);
  expect(describeElement(span)).toBe('span');
  const inner = document.createElement('i');
  span.append(inner);
  expect(describeElement(inner)).toBe('span > i');
});

test('SVG elements: className is no string, so no classes; the tag as written', () => {
  const r = html(root(), '<svg id="chart"><g><circle class="dot"></circle></g></svg>');
  expect(describeElement(r.querySelector('circle'))).toBe('svg#chart > g > circle');
});

test('nothing to describe: unknown', () => {
  expect(describeElement(null)).toBe('unknown');
  expect(describeElement({} as Element)).toBe('unknown');
});
