// The one way the app talks to the server: the same /v1 routes as any client, with the
// user's own token. Refusals come back as ApiError carrying the problem+json body.

const KEY = 'menpai.token';

export function token() {
  return sessionStorage.getItem(KEY) || '';
}

export function setToken(t) {
  if (t) sessionStorage.setItem(KEY, t);
  else sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `请求失败（${status}）`);
    this.status = status;
    this.problem = problem || {};
  }
  get violations() {
    return Array.isArray(this.problem.violations) ? this.problem.violations : [];
  }
  /** The route itself does not exist on this server (not yet deployed). */
  get missingRoute() {
    return this.problem.type === 'urn:menpai:problem:unknown_route';
  }
}

/**
 * Calls the API. `body` is sent as JSON; `headers` are added; `accept` overrides Accept.
 * Returns the parsed JSON (or text for non-JSON answers); throws ApiError on refusal.
 */
export async function api(method, path, { body, headers = {}, accept = 'application/json', raw = false } = {}) {
  const h = { Accept: accept, ...headers };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  const init = { method, headers: h, cache: 'no-store', credentials: 'omit' };
  if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { title: '网络错误', detail: '无法连接服务器，请检查网络后重试。已填写的内容没有丢失。' });
  }
  const type = resp.headers.get('content-type') || '';
  let data = null;
  if (raw) data = await resp.text();
  else if (type.includes('json')) data = await resp.json().catch(() => null);
  else data = await resp.text();
  if (!resp.ok) {
    let problem = data;
    if (typeof problem === 'string') {
      try { problem = JSON.parse(problem); } catch { problem = { detail: problem.slice(0, 300) }; }
    }
    if (resp.status === 401) {
      problem = { ...(problem || {}), detail: '令牌无效或已吊销，请重新登录。' };
    }
    throw new ApiError(resp.status, problem);
  }
  return data;
}

export const get = (path, opts) => api('GET', path, opts);
export const post = (path, body, opts = {}) => api('POST', path, { ...opts, body });

export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** A fresh idempotency key: one per intended change, reused by retries and double clicks. */
export function newKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * What the token may do, read from the API itself: each probe is a request the server
 * refuses with 403 for a role that lacks the route and rejects as malformed (400) otherwise,
 * so nothing is ever written. 401 means the token is not valid.
 */
export async function detectAbilities() {
  const probe = async (method, path, body) => {
    try {
      await api(method, path, { body });
      return true;
    } catch (e) {
      if (e.status === 401) throw e;
      if (e.status === 403) return false;
      if (e.status === 0) throw e;
      return e.status !== 404 || !e.missingRoute;
    }
  };
  // A call every valid token may make: refuses bad tokens with 401.
  await api('GET', '/v1/divisions/422800');
  const [naming, plates, buildings, admin] = await Promise.all([
    probe('POST', '/v1/names', {}),
    probe('POST', '/v1/plates/suggest', {}),
    probe('POST', '/v1/units/-/rooms', {}),
    probe('GET', '/v1/tokens'),
  ]);
  let role = 'reader';
  if (admin) role = 'admin';
  else if (naming) role = 'civil_affairs';
  else if (plates) role = 'police';
  else if (buildings) role = 'housing';
  return { role, naming, plates, buildings, admin };
}
