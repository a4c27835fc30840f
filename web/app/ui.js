// Small DOM helpers: elements built without innerHTML, labelled fields with their own
// error text, dates as on official documents, the words for levels and statuses.

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** Builds an element: h('p', {class: 'x', onclick: f}, 'text', child …). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** The same for SVG. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value' && 'value' in el) el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

let seq = 0;
export const uid = (p = 'f') => `${p}-${++seq}`;

/** China has one time zone, UTC+8, and no daylight saving. */
const CHINA_MS = 8 * 3600 * 1000;

/** The date in China (YYYY-MM-DD) of a stored time, or a date as it is. */
export function chinaDate(iso) {
  if (!iso) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return new Date(t + CHINA_MS).toISOString().slice(0, 10);
}

/** 2026-11-05 or an RFC 3339 time → 2026年11月5日 (GB/T 9704), the date in China. */
export function fmtDate(iso) {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(chinaDate(iso) || '');
  if (!m) return iso;
  return `${+m[1]}年${+m[2]}月${+m[3]}日`;
}

/** Today in China, whatever the zone of the machine the browser runs on. */
export function today() {
  return new Date(Date.now() + CHINA_MS).toISOString().slice(0, 10);
}

export const LEVEL = {
  province: '省', prefecture: '州', county: '县市', township: '乡镇（街道）', village: '村（社区）',
  division: '行政区划', thoroughfare: '道路街巷', locality: '村组', plate: '门牌', building: '楼栋', unit: '单元', room: '户室',
};

export const STATUS = {
  active: '现行', proposed: '拟用（待批准）', retired: '已废止', issued: '已编发', reserved: '已预留',
  matched: '完全匹配', partial: '部分匹配', ambiguous: '不明确', not_found: '未找到',
};

export const ROLE = {
  admin: '管理员', civil_affairs: '民政（地名）', police: '公安（门牌）', housing: '住建（楼栋单元户室）', commerce: '工商',
  reader: '查询用户',
};

export const SIDE = { left: '左侧（单号）', right: '右侧（双号）' };

export function levelOf(id) {
  if (/^\d+$/.test(id)) return 'division';
  const p = id.split('_')[0];
  return { thr: 'thoroughfare', loc: 'locality', plt: 'plate', adr: 'plate', bld: 'building', unt: 'unit', rom: 'room' }[p] || '';
}

/** Levels whose end is 注销 (a plate and what stands behind it), not a name's 废止. */
const CANCELLED = new Set(['plate', 'building', 'unit', 'room']);

/** A status in the words of the level (`retired` is 已注销 for a plate, 已废止 for a name). */
export function statusWords(status, level) {
  if (status === 'retired' && CANCELLED.has(level)) return '已注销';
  return STATUS[status] || status || '—';
}

/** A status as words plus a marker that does not rely on colour. */
export function statusBadge(status, level) {
  const mark = { active: '●', issued: '●', proposed: '◌', reserved: '◌', retired: '✕' }[status] || '';
  return h('span', { class: `badge status-${status}` }, mark ? `${mark} ` : '', statusWords(status, level));
}

/**
 * A labelled field: returns {wrap, input, error, set(msg)}. Errors are text in the field's own
 * error line, announced and linked by aria-describedby, never colour alone.
 */
export function field(label, input, { hint, required } = {}) {
  const id = input.id || uid('f');
  input.id = id;
  const errId = `${id}-err`;
  const hintId = hint ? `${id}-hint` : null;
  const error = h('p', { class: 'field-error', id: errId, 'aria-live': 'polite' });
  input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  if (required) input.required = true;
  const wrap = h('div', { class: 'field' },
    h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    input,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    error);
  const f = {
    wrap, input, error,
    set(msg) {
      clear(error);
      if (msg) {
        append(error, Array.isArray(msg) ? msg : [h('span', { class: 'err-mark', 'aria-hidden': 'true' }, '⚠ '), '错误：', msg]);
        input.setAttribute('aria-invalid', 'true');
      } else {
        input.removeAttribute('aria-invalid');
      }
    },
  };
  wrap.field = f;
  return f;
}

export const input = (attrs = {}) => h('input', { type: 'text', autocomplete: 'off', ...attrs });
export const textarea = (attrs = {}) => h('textarea', { rows: 4, ...attrs });
export function select(options, attrs = {}) {
  return h('select', attrs, options.map(([v, t]) => h('option', { value: v }, t)));
}

/** A form-level message box (role=alert for errors, status for success). */
export function messageBox() {
  const el = h('div', { class: 'msg', 'aria-live': 'polite' });
  return {
    el,
    error(text, extra) {
      clear(el);
      el.className = 'msg msg-error';
      el.setAttribute('role', 'alert');
      append(el, [h('strong', {}, '未能完成：'), text, extra || null]);
    },
    ok(...content) {
      clear(el);
      el.className = 'msg msg-ok';
      el.setAttribute('role', 'status');
      append(el, [h('strong', {}, '已完成：'), ...content]);
    },
    info(...content) {
      clear(el);
      el.className = 'msg msg-info';
      el.setAttribute('role', 'status');
      append(el, content);
    },
    clear() { clear(el); el.className = 'msg'; el.removeAttribute('role'); },
  };
}

/**
 * Shows an API refusal at the fields it concerns. `fields` maps a field name to a field()
 * object; `route(err, violation)` returns the field name for each violation (or for the
 * detail when there are none). Anything unplaced goes to the message box.
 */
export function showRefusal(err, fields, box, route = () => null) {
  for (const f of Object.values(fields)) f.set(null);
  const vs = err.violations || [];
  const placed = new Map();
  const unplaced = [];
  for (const v of vs) {
    const name = route(v);
    if (name && fields[name]) {
      if (!placed.has(name)) placed.set(name, []);
      placed.get(name).push(v);
    } else unplaced.push(v);
  }
  for (const [name, list] of placed) {
    fields[name].set(list.map((v) => violationLine(v)));
  }
  if (!vs.length) {
    const name = detailField(err, fields) || route(null, err);
    if (name && fields[name]) {
      fields[name].set(err.message);
      fields[name].input.focus();
      box.error('请按标出的字段修改后重试。');
      return;
    }
  }
  box.error(err.message, unplaced.length ? h('ul', {}, unplaced.map((v) => h('li', {}, violationLine(v)))) : null);
  const first = placed.keys().next().value;
  if (first) fields[first].input.focus();
}

/** The field a refusal's detail names, as in “缺少批准文号（document）”. */
function detailField(err, fields) {
  const m = /[（(]([a-z_]+)[)）]/.exec(err.message || '');
  if (m && fields[m[1]]) return m[1];
  for (const k of Object.keys(fields)) {
    if (new RegExp(`\\b${k}\\b`).test(err.message || '')) return k;
  }
  return null;
}

/** A rule violation as a line of words, linking the conflicting record. */
export function violationLine(v, { warning = false } = {}) {
  return h('span', { class: warning ? 'violation warning' : 'violation', dataset: { rule: v.rule || '' } },
    h('span', { 'aria-hidden': 'true' }, warning ? '△ ' : '✕ '),
    warning ? '提示：' : '不符合规则：',
    v.message || v.rule || '',
    v.conflict_id ? [' （', h('a', { href: `#/address/${encodeURIComponent(v.conflict_id)}` }, '查看冲突记录'), '）'] : null);
}

export function debounce(fn, ms) {
  let t;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

/** Disables a button while `work` runs; keeps the page's data whatever happens. */
export async function busy(button, work) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try { return await work(); } finally { button.disabled = false; button.removeAttribute('aria-busy'); }
}

export function section(title, ...children) {
  const id = uid('sec');
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/** A link to an address's page; with `at`, to the address as it stood at the end of that day. */
export const addressHref = (id, at) => `#/address/${encodeURIComponent(id)}${at ? `?at=${at}` : ''}`;
export const addressLink = (id, text, at) => h('a', { href: addressHref(id, at) }, text || id);

/** The label of an answer as of a date: 截至 2015年6月1日, and what that means. */
export function asOfNote(at, ...more) {
  return h('p', { class: 'asof', role: 'note' }, h('strong', {}, `截至 ${fmtDate(at)}`), '：按该日终了时的登记册作答，名称和上级区划是当时的。', ...more);
}

let flashText = null;
/** A message shown on the next screen (after a change moves the user there). */
export function setFlash(text) { flashText = text; }
export function takeFlash() { const t = flashText; flashText = null; return t; }
