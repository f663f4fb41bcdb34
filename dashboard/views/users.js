// Users: the auth admin API's list (searched by email), a new user with a password, a user's
// account with their interview sessions and gamification state (profile XP and level, streak,
// leaderboard row, achievements, skill progress), and deletion. #/users and #/users/<id>.
import { api, restPage } from '../api.js';
import { cellText, guarded, h, notice, replace } from '../dom.js';

const PAGE = 25;
const state = { search: '', page: 1 };

function table(columns, rows, label) {
  return h('div', { class: 'grid-wrap' }, h('table', { class: 'grid', 'aria-label': label },
    h('thead', {}, h('tr', {}, columns.map(([title]) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, rows.map((row) => h('tr', {},
      columns.map(([, cell]) => h('td', {}, cell(row))))))));
}

function createForm(onCreated) {
  const said = h('div', { id: 'create-user-result' });
  const email = h('input', { id: 'new-user-email', type: 'email', required: true, autocomplete: 'off' });
  const password = h('input', { id: 'new-user-password', type: 'password', required: true,
    autocomplete: 'new-password' });
  const form = h('form', { class: 'panel', 'aria-label': 'Create a user' },
    h('h2', {}, 'Create a user'),
    h('div', { class: 'editor' },
      h('label', { for: 'new-user-email' }, 'Email'), email,
      h('label', { for: 'new-user-password' }, 'Password'), password),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Create user')), said);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await guarded(said, async () => {
      const user = await api('/auth/v1/admin/users', {
        method: 'POST',
        body: { email: email.value, password: password.value, email_confirm: true },
      });
      email.value = '';
      password.value = '';
      replace(said, notice(`Created ${user.email}.`, 'ok'));
      await onCreated(user);
    });
  });
  return form;
}

async function renderList(root) {
  const results = h('div', { id: 'user-list' });
  const search = h('input', { type: 'search', id: 'user-search', value: state.search,
    placeholder: 'Search by email', 'aria-label': 'Search users by email' });
  const load = async () => {
    await guarded(results, async () => {
      const params = new URLSearchParams({ page: state.page, per_page: PAGE });
      if (state.search) params.set('filter', state.search);
      const response = await api(`/auth/v1/admin/users?${params}`, { raw: true });
      const total = Number(response.headers.get('X-Total-Count'));
      const { users } = await response.json();
      const pages = Math.max(1, Math.ceil(total / PAGE));
      replace(results,
        h('div', { class: 'row spread' },
          h('span', { role: 'status', id: 'user-count' }, `${total} user${total === 1 ? '' : 's'}`),
          h('div', { class: 'row' },
            h('button', { type: 'button', class: 'secondary', disabled: state.page <= 1,
              onclick: () => { state.page -= 1; load(); } }, 'Previous'),
            h('span', {}, `Page ${state.page} of ${pages}`),
            h('button', { type: 'button', class: 'secondary', disabled: state.page >= pages,
              onclick: () => { state.page += 1; load(); } }, 'Next'))),
        table([
          ['Email', (u) => h('a', { href: `#/users/${u.id}` }, u.email ?? u.id)],
          ['Created', (u) => cellText(u.created_at)],
          ['Last sign-in', (u) => cellText(u.last_sign_in_at)],
          ['Confirmed', (u) => (u.email_confirmed_at ? 'yes' : 'no')],
          ['Id', (u) => u.id],
        ], users, 'Users'));
    });
  };
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { state.search = search.value.trim(); state.page = 1; load(); }
  });
  root.append(h('h1', {}, 'Users'),
    h('div', { class: 'row panel' }, search, h('button', { type: 'button', id: 'user-search-button',
      onclick: () => { state.search = search.value.trim(); state.page = 1; load(); } }, 'Search')),
    results,
    createForm(async (user) => { location.hash = `#/users/${user.id}`; }));
  await load();
}

function facts(pairs) {
  return h('dl', { class: 'fields' },
    pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v instanceof Node ? v : cellText(v))]));
}

async function renderUser(root, id) {
  const user = await api(`/auth/v1/admin/users/${encodeURIComponent(id)}`);
  const said = h('div', { id: 'user-result' });
  const eq = `eq.${id}`;
  const [profile, streak, board, achievements, progress, sessions] = await Promise.all([
    restPage('profiles', new URLSearchParams({ id: eq, select: '*' })),
    restPage('streaks', new URLSearchParams({ user_id: eq, select: '*' })),
    restPage('leaderboard', new URLSearchParams({ user_id: eq, select: '*' })),
    restPage('achievements', new URLSearchParams({ user_id: eq, select: '*', order: 'unlocked_at.asc' })),
    restPage('user_progress', new URLSearchParams({ user_id: eq, select: '*', order: 'category.asc,skill.asc' })),
    restPage('interview_sessions', new URLSearchParams({ user_id: eq, order: 'created_at.desc',
      select: 'id,title,interview_type,status,overall_score,created_at,completed_at' })),
  ]);
  const p = profile.rows[0] ?? {};
  const s = streak.rows[0] ?? {};
  const b = board.rows[0] ?? {};
  root.append(
    h('p', {}, h('a', { href: '#/users' }, '← Users')),
    h('div', { class: 'row spread' }, h('h1', {}, user.email ?? user.id),
      h('button', { type: 'button', class: 'danger', id: 'delete-user', onclick: async () => {
        if (!window.confirm(`Delete the user ${user.email}? Their rows and files go with them.`)) return;
        await guarded(said, async () => {
          await api(`/auth/v1/admin/users/${encodeURIComponent(id)}`, { method: 'DELETE' });
          location.hash = '#/users';
        });
      } }, 'Delete user')),
    said,
    h('div', { class: 'panel' }, facts([
      ['Id', user.id], ['Email', user.email], ['Created', user.created_at],
      ['Last sign-in', user.last_sign_in_at], ['Confirmed', user.email_confirmed_at],
      ['User metadata', h('pre', { class: 'json' }, JSON.stringify(user.user_metadata ?? {}, null, 2))],
    ])),
    h('h2', {}, 'Gamification'),
    h('div', { class: 'cards', id: 'gamification' },
      [['XP', p.total_xp], ['Level', p.level], ['Current streak', s.current_streak],
        ['Longest streak', s.longest_streak], ['Rank', b.rank], ['Total score', b.total_score],
        ['Completed interviews', p.completed_interviews], ['Average score', p.average_score]]
        .map(([label, value]) => h('div', { class: 'card' }, h('div', { class: 'label' }, label),
          h('div', { class: 'value' }, cellText(value))))),
    h('p', {}, h('a', { href: `#/leaderboard/${id}` }, 'XP and level over time')),
    h('h3', {}, `Achievements (${achievements.rows.length})`),
    achievements.rows.length ? table([
      ['Title', (a) => a.title], ['Type', (a) => a.achievement_type], ['XP', (a) => cellText(a.xp_reward)],
      ['Unlocked', (a) => cellText(a.unlocked_at)]], achievements.rows, 'Achievements')
      : h('p', { class: 'muted' }, 'None yet.'),
    h('h3', {}, `Skill progress (${progress.rows.length})`),
    progress.rows.length ? table([
      ['Category', (r) => r.category], ['Skill', (r) => r.skill], ['Level', (r) => cellText(r.level)],
      ['XP', (r) => cellText(r.xp)], ['Attempts', (r) => `${r.successful_attempts}/${r.total_attempts}`]],
    progress.rows, 'Skill progress') : h('p', { class: 'muted' }, 'None yet.'),
    h('h2', {}, `Interview sessions (${sessions.total ?? sessions.rows.length})`),
    sessions.rows.length ? table([
      ['Title', (r) => h('a', { href: `#/tables/interview_sessions/${r.id}` }, r.title)],
      ['Type', (r) => r.interview_type], ['Status', (r) => r.status],
      ['Score', (r) => cellText(r.overall_score)], ['Created', (r) => cellText(r.created_at)],
      ['Completed', (r) => cellText(r.completed_at)]], sessions.rows, 'Interview sessions')
      : h('p', { class: 'muted' }, 'No sessions.'));
}

export async function render(root, [id]) {
  if (id) await renderUser(root, id);
  else await renderList(root);
}
