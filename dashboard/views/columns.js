// What the table editor knows of a table's columns: read from the OpenAPI document /rest/v1/
// serves (type, format, primary key, required), and how a column's value is shown in a form
// and read back from it for the API.
import { api } from '../api.js';

let openapi = null;

async function definitions() {
  openapi ??= api('/rest/v1/');
  return (await openapi).definitions ?? {};
}

// [{ name, type, format, pk, required, json, boolean, numeric, text }] for `table`; the
// primary key first, then in the order of `sample` (a row, which keeps the table's order).
export async function columnsOf(table, sample) {
  const def = (await definitions())[table];
  if (!def) throw new Error(`no table ${table} in /rest/v1/`);
  const required = new Set(def.required ?? []);
  const columns = Object.entries(def.properties ?? {}).map(([name, p]) => {
    const format = p.format ?? '';
    return {
      name,
      format,
      pk: (p.description ?? '').includes('<pk/>'),
      required: required.has(name),
      json: format === 'jsonb' || format === 'json' || p.type === 'array',
      boolean: p.type === 'boolean',
      numeric: p.type === 'integer' || p.type === 'number',
      text: format === 'text' || format === 'character varying',
    };
  });
  const order = sample ? Object.keys(sample) : [];
  const rank = (c) => (c.pk ? -1 : order.includes(c.name) ? order.indexOf(c.name) : order.length);
  return columns.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

export function primaryKey(columns) {
  return columns.find((c) => c.pk)?.name ?? 'id';
}

// The form's text for a value: JSON indented, null as the empty string.
export function formText(column, value) {
  if (value === null || value === undefined) return '';
  if (column.json) return JSON.stringify(value, null, 2);
  return String(value);
}

// The value to send for the form's `text`, or throws a message for text that is not JSON in a
// JSON column (the one check made here: the API cannot tell a typo from a JSON string).
// Everything else goes to the API as typed, and the API says what is wrong with it.
export function valueFromForm(column, text) {
  if (text === '') return null;
  if (column.json) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error(`${column.name}: not valid JSON (${error.message})`);
    }
  }
  if (column.boolean) return text === 'true' ? true : text === 'false' ? false : text;
  if (column.numeric && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  return text;
}
