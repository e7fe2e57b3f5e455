// The agent API from the browser: the session lives in the HttpOnly cookie
// (script never sees the token); every state-changing call echoes the CSRF
// value the server derived from it.
let csrf = '';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function call(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, (data && data.error) || res.statusText);
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body = {}) => call('POST', path, body);

export async function login(agent, password) {
  const data = await post('/login', { agent, password, session: 'cookie' });
  csrf = data.csrf;
  return data;
}

// The session a reloaded page still has (cookie), or null.
export async function resume() {
  try {
    const me = await get('/me');
    csrf = me.csrf || '';
    return me;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function logout() {
  await post('/logout');
  csrf = '';
}

// An endpoint that may not exist yet on this server (canned responses come
// with another feature): null on 404.
export async function optional(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e.status === 404) return null;
    throw e;
  }
}

// Live events (SSE); EventSource sends the session cookie and reconnects by itself.
export function events(onEvent) {
  const source = new EventSource('/api/v1/events');
  for (const type of ['conversation.message', 'conversation.updated', 'conversation.assigned', 'conversation.sla_breached',
    'agent.presence', 'contact.deleted']) {
    source.addEventListener(type, (e) => onEvent(type, JSON.parse(e.data)));
  }
  return source;
}
