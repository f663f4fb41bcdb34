// Backup: POST /admin/v1/backup streams a consistent copy of the database file (SQLite's
// backup of a live database); the page saves it as a download.
import { api, saveBlob } from '../api.js';
import { formatBytes, guarded, h, notice, replace } from '../dom.js';

export async function render(root) {
  const said = h('div', { id: 'backup-result' });
  const button = h('button', {
    type: 'button',
    id: 'backup-button',
    onclick: async () => {
      button.disabled = true;
      replace(said, notice('Making the backup…', 'ok'));
      await guarded(said, async () => {
        const response = await api('/admin/v1/backup', { method: 'POST', raw: true });
        const blob = await response.blob();
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        saveBlob(blob, `interviewbase-backup-${stamp}.db`);
        replace(said, notice(`Backup downloaded: ${formatBytes(blob.size)}.`, 'ok'));
      });
      button.disabled = false;
    },
  }, 'Download a backup');
  root.append(
    h('h1', {}, 'Backup'),
    h('p', {}, 'A consistent copy of the whole database (tables, users, stored files), taken ' +
      'while the server keeps serving. Restore it with the server stopped: ' +
      'interviewbase restore FILE --db DB.'),
    button, said);
}
