// Overview: rows per table, users, storage used, database and WAL size, version and uptime
// (GET /admin/v1/info and counts through the REST and auth admin APIs), and what a developer
// pastes into createClient: this server's URL and anon key.
import { api, restCount } from '../api.js';
import { copyText, formatBytes, formatDuration, h, notice } from '../dom.js';
import { TABLES } from './table_list.js';

function card(label, value, id) {
  return h('div', { class: 'card', 'data-fact': id },
    h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));
}

async function userCount() {
  const response = await api('/auth/v1/admin/users?per_page=1', { raw: true });
  return Number(response.headers.get('X-Total-Count'));
}

function copyRow(label, text, multiline = false) {
  const field = multiline
    ? h('textarea', { class: 'snippet', readonly: true, 'aria-label': label, value: text, rows: 4 })
    : h('input', { class: 'key-field', readonly: true, 'aria-label': label, value: text });
  const said = h('span', { class: 'muted', role: 'status' });
  const button = h('button', {
    type: 'button',
    class: 'secondary',
    onclick: async () => {
      said.textContent = (await copyText(text, field)) ? 'Copied.' : 'Selected: press Ctrl+C.';
    },
  }, `Copy ${label}`);
  return h('div', { class: 'panel' }, h('h3', {}, label), field, h('div', { class: 'row' }, button, said));
}

export async function render(root) {
  root.append(h('h1', {}, 'Overview'));
  const info = await api('/admin/v1/info');
  const url = location.origin;
  root.append(h('div', { class: 'cards' },
    card('Version', `interviewbase ${info.version}`, 'version'),
    card('Uptime', formatDuration(info.uptime_seconds), 'uptime'),
    card('Schema version', info.schema_version, 'schema'),
    card('Database', formatBytes(info.database.bytes), 'db-bytes'),
    card('Write-ahead log', formatBytes(info.database.wal_bytes), 'wal-bytes'),
    card('Storage used', `${formatBytes(info.storage.bytes)} in ${info.storage.objects} objects`,
      'storage'),
  ));
  root.append(h('p', { class: 'muted' }, `Database file: ${info.database.path}`));

  const counts = h('div', { class: 'cards', id: 'table-counts' });
  root.append(h('h2', {}, 'Rows'), counts);
  const [users, ...tables] = await Promise.all([userCount(), ...TABLES.map((t) => restCount(t))]);
  counts.append(card('Users', users, 'users'));
  TABLES.forEach((table, i) => {
    const link = h('a', { href: `#/tables/${table}` }, table);
    counts.append(card(link, tables[i], `rows-${table}`));
  });

  root.append(h('h2', {}, 'Connect a client'));
  root.append(copyRow('URL', url));
  root.append(copyRow('anon key', info.anon_key));
  const snippet = `import { createClient } from '@supabase/supabase-js'\n\n` +
    `const supabase = createClient('${url}', '${info.anon_key}')`;
  root.append(copyRow('createClient snippet', snippet, true));
  if (!window.isSecureContext) {
    root.append(notice('This page is not a secure context: copy buttons select the text instead.',
      'ok'));
  }
}
