// The form that edits one row or makes a new one: an input per column (JSON columns as
// formatted, editable JSON; booleans as a choice), sent as PATCH (only the changed columns) or
// POST (only the filled ones). A refusal is shown as the API returned it.
import { api } from '../api.js';
import { h, notice, replace } from '../dom.js';
import { formText, valueFromForm } from './columns.js';

function inputFor(column, value, id) {
  const text = formText(column, value);
  if (column.boolean) {
    const select = h('select', { id, name: column.name },
      h('option', { value: '' }, '(null)'),
      h('option', { value: 'true' }, 'true'),
      h('option', { value: 'false' }, 'false'));
    select.value = text;
    return select;
  }
  if (column.json || text.length > 80 || text.includes('\n')) {
    return h('textarea', { id, name: column.name, class: column.json ? 'json' : '', value: text,
      spellcheck: 'false' });
  }
  return h('input', { id, name: column.name, value: text, spellcheck: 'false' });
}

// Renders the editor into `where`. `row` is null for a new row. `onSaved(row)` gets the row
// the API returned.
export function rowEditor(where, { table, columns, row, filter, onSaved, onCancel }) {
  const said = h('div', { class: 'editor-result' });
  const fields = columns.map((column) => {
    const id = `field-${column.name}`;
    const input = inputFor(column, row ? row[column.name] : null, id);
    return { column, input, original: input.value };
  });
  const form = h('form', { class: 'panel', 'aria-label': row ? 'Edit row' : 'New row' },
    h('h2', {}, row ? `Edit ${table} row` : `New ${table} row`),
    h('div', { class: 'editor' },
      fields.map(({ column, input }) => [
        h('label', { for: input.id }, column.name,
          h('span', { class: 'type' }, `${column.format}${column.required ? ', required' : ''}`)),
        input,
      ])),
    said,
    h('div', { class: 'row' },
      h('button', { type: 'submit' }, row ? 'Save' : 'Insert'),
      h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(said);
    const body = {};
    try {
      for (const { column, input, original } of fields) {
        if (row ? input.value === original : input.value === '') continue;
        body[column.name] = valueFromForm(column, input.value);
      }
    } catch (error) {
      replace(said, notice(error.message));
      return;
    }
    if (Object.keys(body).length === 0) {
      replace(said, notice('Nothing changed.', 'ok'));
      return;
    }
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const path = row ? `/rest/v1/${table}?${filter}` : `/rest/v1/${table}`;
      const saved = await api(path, {
        method: row ? 'PATCH' : 'POST',
        body,
        headers: { Prefer: 'return=representation' },
      });
      await onSaved(saved[0]);
    } catch (error) {
      replace(said, notice(error.describe ? error.describe() : error.message));
    } finally {
      submit.disabled = false;
    }
  });
  replace(where, form);
  fields[row ? 1 : 0]?.input.focus();
}
