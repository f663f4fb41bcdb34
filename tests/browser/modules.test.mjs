// The dashboard's pure functions, imported from dashboard/ as the page imports them: the
// REST query a table view sends (filters, the search box's quoting), how form text becomes
// the value sent for a column, and the level rule the progress chart applies (the server's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryOf } from '../../dashboard/views/tables.js';
import { formText, valueFromForm } from '../../dashboard/views/columns.js';
import { levelFor } from '../../dashboard/views/leaderboard.js';
import { cellText, formatBytes, formatDuration } from '../../dashboard/dom.js';

const columns = [
  { name: 'id', format: 'uuid' },
  { name: 'title', text: true },
  { name: 'notes', text: true },
  { name: 'score', numeric: true },
];

test('a table view\'s query: filters in order, in() wrapped, the search over text columns', () => {
  const state = {
    filters: [
      { column: 'score', op: 'gte', value: '50' },
      { column: 'id', op: 'in', value: 'a,b' },
      { column: 'id', op: 'in', value: '(c)' },
    ],
    search: '',
    order: 'score.desc',
  };
  const params = new URLSearchParams(queryOf(state, columns, { limit: 25, offset: 50 }));
  assert.deepEqual([...params], [
    ['select', '*'], ['score', 'gte.50'], ['id', 'in.(a,b)'], ['id', 'in.(c)'],
    ['order', 'score.desc'], ['limit', '25'], ['offset', '50'],
  ]);
});

test('the search box quotes its text, so , ( ) " and \\ stay text inside or=()', () => {
  const params = new URLSearchParams(queryOf(
    { filters: [], search: 'a,b (c) "q" \\', order: '' }, columns));
  assert.equal(params.get('or'),
    '(title.ilike."*a,b (c) \\"q\\" \\\\*",notes.ilike."*a,b (c) \\"q\\" \\\\*")');
  // No text column: no search term at all (not an empty or=()).
  const none = new URLSearchParams(queryOf({ filters: [], search: 'x', order: '' },
    [{ name: 'id', format: 'uuid' }]));
  assert.equal(none.has('or'), false);
});

test('form text to values: JSON parsed (or refused), booleans, numbers, empty is null', () => {
  const json = { name: 'metadata', json: true };
  assert.deepEqual(valueFromForm(json, '{"a": [1, 2]}'), { a: [1, 2] });
  assert.throws(() => valueFromForm(json, '{a: 1}'), /metadata: not valid JSON/);
  assert.equal(valueFromForm(json, ''), null);
  assert.equal(valueFromForm({ name: 'b', boolean: true }, 'true'), true);
  assert.equal(valueFromForm({ name: 'b', boolean: true }, 'false'), false);
  assert.equal(valueFromForm({ name: 'n', numeric: true }, '12.5'), 12.5);
  // What is not a number goes as typed: the API says what is wrong with it.
  assert.equal(valueFromForm({ name: 'n', numeric: true }, 'twelve'), 'twelve');
  assert.equal(valueFromForm({ name: 't', text: true }, '007'), '007');
  assert.equal(formText(json, { a: 1 }), '{\n  "a": 1\n}');
  assert.equal(formText({ name: 't' }, null), '');
});

test('levels as the server computes them: 1 below 100 XP, then 1 + sqrt(xp / 100)', () => {
  const cases = [[0, 1], [99, 1], [100, 2], [399, 2], [400, 3], [899, 3], [900, 4], [10000, 11]];
  for (const [xp, level] of cases) assert.equal(levelFor(xp), level, `${xp} XP`);
});

test('display helpers: bytes in decimal units, durations, cells', () => {
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(24_200_000), '24.2 MB');
  assert.equal(formatDuration(59), '59s');
  assert.equal(formatDuration(3_725), '1h 2m 5s');
  assert.equal(formatDuration(90_061), '1d 1h 1m');
  assert.equal(cellText(null), '—');
  assert.equal(cellText({ a: [1] }), '{"a":[1]}');
  assert.equal(cellText(0), '0');
});
