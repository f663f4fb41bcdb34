// Leaderboard and progress: the leaderboard table with a bar chart of XP by user, and one
// user's XP and level over time, rebuilt from what the API returns: each completed interview
// session (50 XP plus its rounded overall score, as the completion hook awards) and each
// unlocked achievement's reward, at the time it happened. #/leaderboard[/<user id>]
import { restPage } from '../api.js';
import { barChart, lineChart } from '../chart.js';
import { cellText, guarded, h, replace } from '../dom.js';

const TOP = 20;

// The level for a total (the server's rule: 1 below 100 XP, then 1 + sqrt(xp / 100)).
export function levelFor(xp) {
  return xp < 100 ? 1 : 1 + Math.floor(Math.sqrt(Math.floor(xp / 100)));
}

function nameOf(profile, id) {
  return profile?.username || profile?.full_name || profile?.name || profile?.email || id;
}

async function history(userId) {
  const eq = `eq.${userId}`;
  const [sessions, achievements, profile] = await Promise.all([
    restPage('interview_sessions', new URLSearchParams({ user_id: eq, status: 'eq.completed',
      select: 'completed_at,updated_at,overall_score', order: 'completed_at.asc' })),
    restPage('achievements', new URLSearchParams({ user_id: eq, select: 'unlocked_at,xp_reward',
      order: 'unlocked_at.asc' })),
    restPage('profiles', new URLSearchParams({ id: eq, select: 'total_xp,level' })),
  ]);
  const events = [
    ...sessions.rows.map((s) => ({ t: new Date(s.completed_at ?? s.updated_at),
      xp: 50 + Math.round(Number(s.overall_score ?? 0)) })),
    ...achievements.rows.map((a) => ({ t: new Date(a.unlocked_at), xp: Number(a.xp_reward ?? 0) })),
  ].filter((e) => !Number.isNaN(e.t.getTime())).sort((a, b) => a.t - b.t);
  let total = 0;
  const points = events.map((e) => {
    total += e.xp;
    return { t: e.t, v: total, level: levelFor(total) };
  });
  return { points, profile: profile.rows[0] ?? null };
}

async function drawProgress(where, userId, label) {
  await guarded(where, async () => {
    const { points, profile } = await history(userId);
    const facts = h('p', { id: 'progress-facts' },
      `Profile now: ${cellText(profile?.total_xp)} XP, level ${cellText(profile?.level)}. ` +
      `${points.length} XP event${points.length === 1 ? '' : 's'}.`);
    if (points.length === 0) {
      replace(where, h('h2', {}, `Progress of ${label}`), facts,
        h('p', { class: 'muted' }, 'No completed sessions or achievements yet.'));
      return;
    }
    const last = points[points.length - 1];
    replace(where, h('h2', {}, `Progress of ${label}`), facts,
      lineChart(points, `XP of ${label} over time: ${last.v} XP, level ${last.level} on ` +
        `${last.t.toISOString().slice(0, 10)} (solid line XP, dashed line level)`));
  });
}

export async function render(root, [selected]) {
  const board = await restPage('leaderboard', new URLSearchParams({
    select: 'user_id,total_xp,total_score,rank,weekly_score,monthly_score',
    order: 'total_xp.desc,total_score.desc', limit: TOP }));
  const ids = board.rows.map((r) => r.user_id);
  const profiles = ids.length
    ? (await restPage('profiles', new URLSearchParams({
      id: `in.(${ids.join(',')})`, select: 'id,email,username,full_name,name,level' }))).rows
    : [];
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const progress = h('div', { id: 'progress' });
  const choose = h('select', { id: 'progress-user', 'aria-label': 'User whose progress to show' },
    h('option', { value: '' }, 'Choose a user'),
    board.rows.map((r) => h('option', { value: r.user_id }, nameOf(byId.get(r.user_id), r.user_id))));
  choose.addEventListener('change', () => {
    if (choose.value) location.hash = `#/leaderboard/${choose.value}`;
  });

  root.append(h('h1', {}, 'Leaderboard'));
  if (board.rows.length === 0) {
    root.append(h('p', { class: 'muted' }, 'Nobody is on the leaderboard yet.'));
    return;
  }
  root.append(
    barChart(board.rows.map((r) => ({ label: nameOf(byId.get(r.user_id), r.user_id),
      value: Number(r.total_xp ?? 0) })), `XP by user, top ${board.rows.length}`),
    h('div', { class: 'grid-wrap' }, h('table', { class: 'grid', 'aria-label': 'Leaderboard' },
      h('thead', {}, h('tr', {}, ['Rank', 'User', 'XP', 'Level', 'Total score', 'Weekly', 'Monthly']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, board.rows.map((r, i) => h('tr', {},
        h('td', {}, cellText(r.rank ?? i + 1)),
        h('td', {}, h('a', { href: `#/leaderboard/${r.user_id}` }, nameOf(byId.get(r.user_id), r.user_id))),
        h('td', {}, cellText(r.total_xp)), h('td', {}, cellText(byId.get(r.user_id)?.level)),
        h('td', {}, cellText(r.total_score)), h('td', {}, cellText(r.weekly_score)),
        h('td', {}, cellText(r.monthly_score))))))),
    h('div', { class: 'panel row' }, h('label', { for: 'progress-user' }, 'Progress of'), choose),
    progress);
  if (selected) {
    choose.value = selected;
    await drawProgress(progress, selected, nameOf(byId.get(selected), selected));
  }
}
