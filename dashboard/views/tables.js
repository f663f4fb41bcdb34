// Table editor: a table's rows a page at a time, sorted by a column, narrowed by PostgREST
// filters and a search box (ilike over the text columns), reloaded live when Realtime reports
// a change to the table; a row with its embedded children; edit, insert and delete through
// /rest/v1. #/tables/<table> and #/tables/<table>/<id>.
import { api, restPage } from '../api.js';
import { cellText, guarded, h, notice, replace } from '../dom.js';
import { watchTable } from '../live.js';
import { columnsOf, primaryKey } from './columns.js';
import { rowEditor } from './row_editor.js';
import { CHILDREN, TABLES } from './table_list.js';

const PAGE = 25;
const LIVE_STATES = {
  connecting: 'Live updates: connecting…',
  live: 'Live updates: on',
  closed: 'Live updates: disconnected (reload the page to reconnect)',
  error: 'Live updates: refused',
};
const OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'is', 'in', 'cs', 'cd',
  'ov', 'fts'];

// Each table's grid state survives a visit to one of its rows.
const states = new Map();

function stateOf(table) {
  if (!states.has(table)) states.set(table, { order: '', filters: [], search: '', offset: 0 });
  return states.get(table);
}

// A value inside a PostgREST logic tree: quoted, so ',', '(' and ')' in it stay text.
function quoted(text) {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

function filterValue(op, value) {
  if (op === 'in' && !value.startsWith('(')) return `(${value})`;
  return value;
}

export function queryOf(state, columns, extra = {}) {
  const params = new URLSearchParams({ select: '*' });
  for (const f of state.filters) {
    if (f.column && f.op) params.append(f.column, `${f.op}.${filterValue(f.op, f.value)}`);
  }
  const text = columns.filter((c) => c.text);
  if (state.search && text.length > 0) {
    const pattern = quoted(`*${state.search}*`);
    params.append('or', `(${text.map((c) => `${c.name}.ilike.${pattern}`).join(',')})`);
  }
  if (state.order) params.set('order', state.order);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

function sideNav(current) {
  return h('nav', { class: 'side', 'aria-label': 'Tables' },
    TABLES.map((t) => h('a', { href: `#/tables/${t}`, 'aria-current': t === current ? 'page' : null },
      t)));
}

function grid(table, columns, rows, { sortable = null, pk = 'id' } = {}) {
  const head = h('tr', {}, h('th', { scope: 'col' }, h('span', { class: 'muted' }, 'row')),
    columns.map((c) => {
      if (!sortable) return h('th', { scope: 'col' }, c.name);
      const [col, dir] = sortable.order.split('.');
      const sorted = col === c.name ? (dir === 'desc' ? 'descending' : 'ascending') : null;
      return h('th', { scope: 'col', 'aria-sort': sorted ?? 'none' },
        h('button', {
          type: 'button',
          title: `Sort by ${c.name}`,
          onclick: () => sortable.onSort(c.name, sorted === 'ascending' ? 'desc' : 'asc'),
        }, c.name, sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ''));
    }));
  const body = rows.map((row) => h('tr', {},
    h('td', {}, h('a', { href: `#/tables/${table}/${encodeURIComponent(row[pk])}`,
      'aria-label': `Open ${table} row ${row[pk]}` }, 'Open')),
    columns.map((c) => {
      const text = cellText(row[c.name]);
      return h('td', { title: text.length > 40 ? text.slice(0, 2000) : null }, text);
    })));
  return h('div', { class: 'grid-wrap' },
    h('table', { class: 'grid', 'data-table': table }, h('thead', {}, head), h('tbody', {}, body)));
}

function filterRow(columns, filter, onChange, onRemove, index) {
  const column = h('select', { 'aria-label': `Filter ${index + 1} column` },
    columns.map((c) => h('option', { value: c.name }, c.name)));
  column.value = filter.column || columns[0].name;
  filter.column = column.value;
  const op = h('select', { 'aria-label': `Filter ${index + 1} operator` },
    OPERATORS.map((o) => h('option', { value: o }, o)));
  op.value = filter.op || 'eq';
  filter.op = op.value;
  const value = h('input', { 'aria-label': `Filter ${index + 1} value`, value: filter.value ?? '',
    placeholder: 'value' });
  column.addEventListener('change', () => { filter.column = column.value; });
  op.addEventListener('change', () => { filter.op = op.value; });
  value.addEventListener('input', () => { filter.value = value.value; });
  value.addEventListener('keydown', (e) => { if (e.key === 'Enter') onChange(); });
  return h('div', { class: 'row filter' }, column, op, value,
    h('button', { type: 'button', class: 'secondary', onclick: onRemove,
      'aria-label': `Remove filter ${index + 1}` }, 'Remove'));
}

async function renderTable(root, table) {
  const state = stateOf(table);
  const firstPage = await restPage(table, `select=*&limit=1`);
  const columns = await columnsOf(table, firstPage.rows[0]);
  const pk = primaryKey(columns);
  const results = h('div', { id: 'rows' });
  const editorArea = h('div');
  const filters = h('div', { class: 'filters' });
  const search = h('input', { type: 'search', id: 'table-search', value: state.search,
    placeholder: 'Search text columns', 'aria-label': `Search ${table}` });

  const load = async () => {
    replace(results, h('p', { class: 'muted' }, 'Loading…'));
    await guarded(results, async () => {
      const params = queryOf(state, columns, { limit: PAGE, offset: state.offset });
      const { rows, total } = await restPage(table, params);
      const last = Math.min(state.offset + rows.length, total ?? 0);
      const pager = h('div', { class: 'row spread' },
        h('span', { id: 'row-count', role: 'status' },
          total ? `Rows ${state.offset + 1}–${last} of ${total}` : 'No rows'),
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'secondary', disabled: state.offset === 0,
            onclick: () => { state.offset = Math.max(0, state.offset - PAGE); load(); } }, 'Previous'),
          h('button', { type: 'button', class: 'secondary', disabled: last >= (total ?? 0),
            onclick: () => { state.offset += PAGE; load(); } }, 'Next')));
      replace(results, pager, grid(table, columns, rows, {
        pk,
        sortable: {
          order: state.order,
          onSort: (col, dir) => { state.order = `${col}.${dir}`; state.offset = 0; load(); },
        },
      }));
    });
  };

  const apply = () => { state.search = search.value.trim(); state.offset = 0; load(); };
  const drawFilters = () => {
    replace(filters, state.filters.map((f, i) => filterRow(columns, f, apply, () => {
      state.filters.splice(i, 1);
      drawFilters();
      apply();
    }, i)));
  };
  drawFilters();
  search.addEventListener('keydown', (e) => { if (e.key === 'Enter') apply(); });

  // Realtime: a change to the table reloads the page of rows shown (a burst, once).
  const live = h('span', { id: 'live-status', class: 'muted', role: 'status' });
  let pending = null;
  const { anon_key: anonKey } = await api('/admin/v1/info');
  const stop = watchTable(table, anonKey, {
    onState: (state, detail) => {
      live.dataset.state = state;
      live.textContent = `${LIVE_STATES[state]}${detail ? `: ${detail}` : ''}`;
    },
    onChange: (change) => {
      live.textContent = `${LIVE_STATES.live} — ${change.type ?? 'change'} at ` +
        `${new Date().toLocaleTimeString()}`;
      clearTimeout(pending);
      pending = setTimeout(load, 200);
    },
  });

  root.append(
    h('div', { class: 'row spread' }, h('h1', {}, table),
      h('button', { type: 'button', id: 'insert-row', onclick: () => rowEditor(editorArea, {
        table, columns, row: null,
        onSaved: (saved) => { location.hash = `#/tables/${table}/${encodeURIComponent(saved[pk])}`; },
        onCancel: () => replace(editorArea),
      }) }, 'Insert row')),
    editorArea,
    h('div', { class: 'panel' },
      h('div', { class: 'row' }, search,
        h('button', { type: 'button', class: 'secondary', onclick: () => {
          state.filters.push({ column: '', op: 'eq', value: '' });
          drawFilters();
          filters.querySelector('.filter:last-child input')?.focus();
        } }, 'Add filter'),
        h('button', { type: 'button', id: 'apply-filters', onclick: apply }, 'Apply')),
      filters),
    live,
    results);
  await load();
  return () => {
    clearTimeout(pending);
    stop();
  };
}

function fieldList(columns, row) {
  return h('dl', { class: 'fields' }, columns.map((c) => {
    const value = row[c.name];
    const shown = c.json && value !== null
      ? h('pre', { class: 'json' }, JSON.stringify(value, null, 2))
      : cellText(value);
    return [h('dt', {}, c.name), h('dd', { 'data-column': c.name }, shown)];
  }));
}

async function renderRow(root, table, id) {
  const children = CHILDREN[table] ?? [];
  const select = ['*', ...children.map((c) => `${c}(*)`)].join(',');
  const sample = await restPage(table, `select=*&limit=1`);
  const columns = await columnsOf(table, sample.rows[0]);
  const pk = primaryKey(columns);
  const filter = new URLSearchParams({ [pk]: `eq.${id}` }).toString();
  const row = await api(`/rest/v1/${table}?${filter}&select=${encodeURIComponent(select)}`, {
    headers: { Accept: 'application/vnd.pgrst.object+json' },
  });
  const body = h('div', { class: 'panel', id: 'row-fields' }, fieldList(columns, row));
  const said = h('div', { id: 'row-result' });
  const show = () => replace(body, fieldList(columns, row));
  const edit = () => {
    replace(said);  // an earlier "Saved." is about another edit
    rowEditor(body, {
      table, columns, row, filter,
      onSaved: (saved) => {
        Object.assign(row, saved);
        show();
        replace(said, notice('Saved.', 'ok'));
      },
      onCancel: show,
    });
  };
  root.append(
    h('p', {}, h('a', { href: `#/tables/${table}` }, `← ${table}`)),
    h('div', { class: 'row spread' }, h('h1', {}, `${table} ${id}`),
      h('div', { class: 'row' },
        h('button', { type: 'button', id: 'edit-row', onclick: edit }, 'Edit'),
        h('button', { type: 'button', class: 'danger', id: 'delete-row', onclick: async () => {
          if (!window.confirm(`Delete this ${table} row (${id})? This cannot be undone.`)) return;
          await guarded(said, async () => {
            await api(`/rest/v1/${table}?${filter}`, { method: 'DELETE' });
            location.hash = `#/tables/${table}`;
          });
        } }, 'Delete'))),
    said, body);
  for (const child of children) {
    const rows = row[child] ?? [];
    const childColumns = await columnsOf(child, rows[0]);
    root.append(h('h2', {}, `${child} (${rows.length})`),
      rows.length ? grid(child, childColumns, rows, { pk: primaryKey(childColumns) })
        : h('p', { class: 'muted' }, 'None.'));
  }
}

export async function render(root, [table = TABLES[0], id]) {
  const main = h('div', { class: 'table-main' });
  root.append(h('div', { class: 'split' }, sideNav(table), main));
  if (!TABLES.includes(table)) {
    main.append(notice(`There is no table ${table}.`));
    return;
  }
  if (id) await renderRow(main, table, id);
  else return renderTable(main, table);
  return undefined;
}
