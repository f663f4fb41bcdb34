// Storage: buckets and their folders (POST /storage/v1/object/list), upload, download and
// delete, and an audio object played in the page. The audio element streams from a signed URL
// (a token for that one object, not the key), so the browser's own Range requests seek in it.
// #/storage/<bucket>/<folder>/<folder>...
import { api, saveBlob } from '../api.js';
import { cellText, formatBytes, guarded, h, notice, replace } from '../dom.js';

function objectPath(bucket, path) {
  return `${encodeURIComponent(bucket)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

function folderLink(bucket, parts, label) {
  const hash = ['#/storage', bucket, ...parts].map((p, i) => (i ? encodeURIComponent(p) : p));
  return h('a', { href: hash.join('/') }, label);
}

export async function render(root, [bucket, ...folder]) {
  const buckets = await api('/storage/v1/bucket');
  const main = h('div', { class: 'storage-main' });
  root.append(h('div', { class: 'split' },
    h('nav', { class: 'side', 'aria-label': 'Buckets' }, buckets.map((b) =>
      h('a', { href: `#/storage/${encodeURIComponent(b.id)}`,
        'aria-current': b.id === bucket ? 'page' : null }, `${b.name}${b.public ? ' (public)' : ''}`))),
    main));
  if (!bucket) {
    main.append(h('h1', {}, 'Storage'),
      h('p', {}, buckets.length ? 'Choose a bucket.' : 'There are no buckets.'));
    return;
  }
  const prefix = folder.filter(Boolean).join('/');
  const said = h('div', { id: 'storage-result' });
  const player = h('div', { id: 'player' });
  const listing = h('div', { id: 'objects' });

  const crumbs = [folderLink(bucket, [], bucket)];
  folder.filter(Boolean).forEach((part, i, all) => {
    crumbs.push(' / ', folderLink(bucket, all.slice(0, i + 1), part));
  });

  const load = async () => guarded(listing, async () => {
    const entries = await api(`/storage/v1/object/list/${encodeURIComponent(bucket)}`, {
      method: 'POST',
      body: { prefix, limit: 1000, offset: 0, sortBy: { column: 'name', order: 'asc' } },
    });
    if (entries.length === 0) {
      replace(listing, h('p', { class: 'muted' }, 'This folder is empty.'));
      return;
    }
    const rows = entries.map((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.id === null) {
        return h('tr', {}, h('td', {}, folderLink(bucket, [...folder.filter(Boolean), entry.name],
          `${entry.name}/`)), h('td', {}, 'folder'), h('td', {}), h('td', {}), h('td', {}));
      }
      const type = entry.metadata?.mimetype ?? '';
      const actions = h('div', { class: 'row' });
      if (type.startsWith('audio/')) {
        actions.append(h('button', { type: 'button', class: 'secondary',
          'aria-label': `Play ${entry.name}`, onclick: () => play(path, entry.name) }, 'Play'));
      }
      actions.append(
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Download ${entry.name}`,
          onclick: () => guarded(said, async () => {
            const response = await api(`/storage/v1/object/${objectPath(bucket, path)}`, { raw: true });
            saveBlob(await response.blob(), entry.name);
          }) }, 'Download'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${entry.name}`,
          onclick: () => guarded(said, async () => {
            if (!window.confirm(`Delete ${bucket}/${path}? This cannot be undone.`)) return;
            await api(`/storage/v1/object/${encodeURIComponent(bucket)}`, {
              method: 'DELETE', body: { prefixes: [path] } });
            replace(said, notice(`Deleted ${path}.`, 'ok'));
            await load();
          }) }, 'Delete'));
      return h('tr', { 'data-object': entry.name }, h('td', {}, entry.name), h('td', {}, type),
        h('td', {}, formatBytes(entry.metadata?.size)), h('td', {}, cellText(entry.updated_at)),
        h('td', {}, actions));
    });
    replace(listing, h('div', { class: 'grid-wrap' }, h('table', { class: 'grid', 'aria-label': 'Objects' },
      h('thead', {}, h('tr', {}, ['Name', 'Type', 'Size', 'Updated', 'Actions']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))));
  });

  const play = (path, name) => guarded(player, async () => {
    const signed = await api(`/storage/v1/object/sign/${objectPath(bucket, path)}`, {
      method: 'POST', body: { expiresIn: 3600 } });
    const audio = h('audio', { controls: true, preload: 'metadata', src: `/storage/v1${signed.signedURL}`,
      'aria-label': `Audio: ${name}` });
    replace(player, h('div', { class: 'panel' }, h('h3', {}, `Playing ${name}`), audio));
    audio.focus();
    await audio.play().catch(() => {});  // a browser that blocks autoplay still shows the controls
  });

  const file = h('input', { type: 'file', id: 'upload-file', 'aria-label': 'File to upload' });
  const upload = h('button', { type: 'button', id: 'upload-button', onclick: () => guarded(said, async () => {
    const chosen = file.files[0];
    if (!chosen) {
      replace(said, notice('Choose a file first.'));
      return;
    }
    const path = prefix ? `${prefix}/${chosen.name}` : chosen.name;
    await api(`/storage/v1/object/${objectPath(bucket, path)}`, {
      method: 'POST',
      body: chosen,
      headers: { 'Content-Type': chosen.type || 'application/octet-stream', 'x-upsert': 'false' },
    });
    file.value = '';
    replace(said, notice(`Uploaded ${path}.`, 'ok'));
    await load();
  }) }, 'Upload');

  main.append(h('h1', {}, 'Storage'), h('p', { class: 'crumbs' }, crumbs),
    h('div', { class: 'panel row' }, h('label', { for: 'upload-file' }, `Upload to ${bucket}/${prefix}`),
      file, upload),
    said, player, listing);
  await load();
}
