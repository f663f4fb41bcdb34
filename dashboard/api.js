// The dashboard's one way to the server: every request carries the service_role key from
// session storage (never a URL, never local storage), and every refusal becomes an ApiError
// holding what the API said, in whichever shape its service uses (PostgREST's
// {code,message,details,hint}, GoTrue's {code,msg}, Storage's {statusCode,error,message}).

const KEY_NAME = 'interviewbase.service_role_key';

export function storedKey() {
  return sessionStorage.getItem(KEY_NAME);
}

export function storeKey(key) {
  sessionStorage.setItem(KEY_NAME, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_NAME);
}

export class ApiError extends Error {
  constructor(status, body) {
    const said = body && typeof body === 'object' ? body : { message: String(body ?? '') };
    const message = said.message ?? said.msg ?? said.error_description ?? said.error ??
      `HTTP ${status}`;
    super(message);
    this.status = status;
    this.code = said.code ?? said.error_code ?? (said.statusCode ? said.error : undefined);
    this.details = said.details ?? null;
    this.hint = said.hint ?? null;
  }

  // One line for the page: the message, then the code, details and hint when the API gave them.
  describe() {
    const parts = [this.message];
    if (this.code) parts.push(`(${this.code})`);
    if (this.details) parts.push(`— ${this.details}`);
    if (this.hint) parts.push(`Hint: ${this.hint}`);
    return parts.join(' ');
  }
}

async function bodyOf(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRawBody(body) {
  return body instanceof Blob || body instanceof ArrayBuffer || body instanceof FormData;
}

// fetch() with the key. `body` other than a Blob/ArrayBuffer/FormData is sent as JSON. Returns
// the parsed JSON body (null when empty), or the Response itself with { raw: true }.
export async function api(path, { method = 'GET', body, headers = {}, raw = false, key } = {}) {
  const secret = key ?? storedKey();
  const sent = { apikey: secret, Authorization: `Bearer ${secret}`, ...headers };
  let payload = body;
  if (body !== undefined && !isRawBody(body)) {
    sent['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers: sent, body: payload, cache: 'no-store' });
  if (!response.ok) throw new ApiError(response.status, await bodyOf(response));
  if (raw) return response;
  return bodyOf(response);
}

// A REST read with its total: { rows, total } from Content-Range (Prefer: count=exact).
export async function restPage(table, params) {
  const response = await api(`/rest/v1/${table}?${params}`, {
    headers: { Prefer: 'count=exact' },
    raw: true,
  });
  const range = response.headers.get('Content-Range') ?? '';
  const total = Number(range.split('/')[1]);
  return { rows: await response.json(), total: Number.isFinite(total) ? total : null };
}

// The number of rows of `table` (a count with no rows sent back).
export async function restCount(table) {
  const response = await api(`/rest/v1/${table}?select=id&limit=1`, {
    headers: { Prefer: 'count=exact' },
    raw: true,
  });
  return Number((response.headers.get('Content-Range') ?? '').split('/')[1]);
}

// Saves a Blob under `name` through a temporary blob: link (the key stays in the request
// headers; the file never passes through a URL the server sees).
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
