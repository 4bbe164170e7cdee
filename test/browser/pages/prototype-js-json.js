// What Prototype.js 1.6 (still on many older pages) does to JSON: arrays get a
// toJSON that returns a string, so the native JSON.stringify([1]) gives "\"[1]\"".
Array.prototype.toJSON = function () {
  return '[' + this.map((v) => JSON.stringify(v)).join(', ') + ']';
};
window.pageSaw = JSON.stringify({ list: ['a'] });
