// Live row changes through Realtime (postgres_changes), as supabase-js subscribes: the
// WebSocket is opened with the anon key in its URL (the key every client is given; a browser
// cannot set headers on a WebSocket), and the channel is joined with the service_role key as
// its access_token inside the join message, so the service key never appears in a URL and the
// channel sees every row. Phoenix serializer 1.0.0 (JSON objects), a heartbeat every 25 s.
import { storedKey } from './api.js';

const HEARTBEAT_MS = 25_000;

// Calls onChange(change) for each committed INSERT/UPDATE/DELETE of `table`, and
// onState('connecting' | 'live' | 'closed' | 'error', detail). Returns a function that closes it.
export function watchTable(table, anonKey, { onChange, onState }) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/realtime/v1/websocket?apikey=` +
    `${encodeURIComponent(anonKey)}&vsn=1.0.0`);
  const topic = `realtime:dashboard-${table}`;
  let ref = 0;
  let closing = false;
  const send = (to, event, payload) => {
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ topic: to, event, payload, ref: String(++ref) }));
    }
  };
  const heartbeat = setInterval(() => send('phoenix', 'heartbeat', {}), HEARTBEAT_MS);
  onState('connecting');
  socket.addEventListener('open', () => {
    send(topic, 'phx_join', {
      config: { postgres_changes: [{ event: '*', schema: 'public', table }] },
      access_token: storedKey(),
    });
  });
  socket.addEventListener('message', (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message.topic !== topic) return;
    if (message.event === 'phx_reply' && message.payload?.status === 'ok') onState('live');
    else if (message.event === 'phx_reply') onState('error', JSON.stringify(message.payload?.response));
    else if (message.event === 'postgres_changes') onChange(message.payload?.data ?? {});
    else if (message.event === 'system' && message.payload?.status === 'error') {
      onState('error', message.payload.message);
    }
  });
  socket.addEventListener('close', () => {
    clearInterval(heartbeat);
    if (!closing) onState('closed');
  });
  return () => {
    closing = true;
    clearInterval(heartbeat);
    socket.close();
  };
}
