// The administrator's desk: access tokens (issue, see, revoke), the audit log newest first,
// the imports it records, and the naming word lists — until now reachable only through
// the API.

import { get, post, qs } from './api.js';
import { countiesList } from './data.js';
import { parseDate } from './plates.js';
import { h, append, clear, field, input, select, messageBox, showRefusal, busy, section, fmtDate, chinaDate, today, ROLE, addressLink, levelOf, uid } from './ui.js';

/** Roles a token can be given, the everyday ones first. */
const ROLES = ['civil_affairs', 'police', 'housing', 'commerce', 'reader', 'admin'];

/** Audit actions in words (the feed's kinds are past events; the audit names the act). */
const ACTION = {
  'token.create': '创建令牌', 'token.revoke': '吊销令牌', import: '导入登记册', export: '导出登记册',
  'resolve.batch': '批量解析', wash: '清洗地址文件', 'certificate.issue': '开具地址变更证明',
  'naming.word.add': '增加词表词语', 'naming.word.remove': '删除词表词语',
  'name.propose': '申报名称', 'name.approve': '批准名称', 'name.announce': '公告名称', 'name.rename': '更名',
  'name.retire': '废止名称', 'name.reinstate': '撤销废止', 'name.correct': '更正名称',
  'division.propose': '申报区划变更', 'division.approve': '批准区划变更',
  'plate.issue': '编发门牌', 'plate.retire': '注销门牌', 'plate.correct_location': '更正门牌位置',
  'plate.plan_reserve': '预留门牌号', 'plate.plan_issue': '按方案编发门牌',
  'building.create': '登记楼栋', 'building.retire': '注销楼栋', 'building.correct': '更正楼栋号',
  'unit.create': '登记单元', 'unit.retire': '注销单元', 'unit.correct': '更正单元号',
  'room.create': '登记户室', 'room.retire': '注销户室', 'room.correct': '更正户室号',
};

const WORD_RULE = { reserved_word: '保留字', personal_name: '人名', foreign_name: '外国地名' };

/** Audit rows a page. */
const PER_PAGE = 20;

/** An RFC 3339 time as 2026年5月3日 14:05, in China's time. */
function fmtTime(iso) {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const hm = new Date(t + 8 * 3600 * 1000).toISOString().slice(11, 16);
  return `${fmtDate(chinaDate(iso))} ${hm}`;
}

export async function adminDesk(page) {
  const counties = await countiesList();
  // Shared between sections: the token list gives the audit log its holders' labels.
  const state = { tokens: [], counties };
  // The counts stand together at the top, on the first screen; the sections follow.
  const overview = h('p', { class: 'desk-overview' });
  const audit = auditSection(state);
  // Every change made here is audited: the log below shows it at once.
  const tokens = tokensSection(state, () => audit.load());
  const words = wordsSection(state, () => audit.load());
  page.append(overview, tokens.el, audit.el, audit.imports, words.el);
  const counts = [tokens.count, audit.count, audit.importCount, words.count];
  overview.append(...['有效令牌', '审计记录', '导入', '管理员增加的词语'].flatMap((t, i) => [i ? ' · ' : '', `${t} `, counts[i], i === 1 ? ' 条' : i === 2 ? ' 次' : ' 个']));
  await tokens.load();
  await Promise.all([audit.load(), words.load()]);
}

const counter = (name) => h('strong', { class: 'desk-count', dataset: { count: name }, 'aria-busy': 'true' }, '…');

/** Fills in a count once its list is read. */
function setCount(el, n) {
  el.textContent = String(n);
  el.removeAttribute('aria-busy');
}

// ---- tokens ----

function tokenState(t) {
  if (t.revoked_at) return ['revoked', `已吊销（${fmtDate(t.revoked_at)}）`];
  if (t.expires_at && Date.parse(t.expires_at) <= Date.now()) return ['expired', '已过期'];
  return ['active', '有效'];
}

function scopeText(code, counties) {
  if (!code) return '不限范围';
  const c = counties.find((x) => x.code === code);
  return c ? `${c.name}（${code}）` : code;
}

/** Who a token is, for lists: its label, else its role's holder. */
const holder = (t) => (t.label && t.label.trim()) || `${ROLE[t.role] || t.role}经办人`;

function tokensSection(state, changed) {
  const count = counter('tokens');
  const box = messageBox();
  const list = h('div', {});
  const form = tokenForm(state.counties, async () => { await load(); await changed(); });
  async function load() {
    const r = await get('/v1/tokens');
    state.tokens = r.items;
    const order = { active: 0, expired: 1, revoked: 2 };
    const items = [...r.items].sort((a, b) => order[tokenState(a)[0]] - order[tokenState(b)[0]] || (b.created_at || '').localeCompare(a.created_at || ''));
    setCount(count, items.filter((t) => tokenState(t)[0] === 'active').length);
    clear(list).append(h('table', { class: 'tokens' },
      h('thead', {}, h('tr', {}, ['标签', '角色', '范围', '创建', '最近使用', '有效期至', '状态', '操作'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, items.map((t) => tokenRow(t, state.counties, async (msg) => {
        await load();
        box.ok(msg);
        box.el.focus();
        await changed();
      })))));
  }
  box.el.setAttribute('tabindex', '-1');
  const el = section('访问令牌', box.el, form, list);
  el.dataset.section = 'tokens';
  return { el, load, count };
}

function tokenRow(t, counties, reload) {
  const [st, stText] = tokenState(t);
  return h('tr', { dataset: { id: t.id, state: st } },
    h('td', {}, holder(t), h('div', { class: 'desk-meta mono' }, t.id)),
    h('td', {}, ROLE[t.role] || t.role),
    h('td', {}, scopeText(t.scope, counties)),
    h('td', {}, fmtDate(t.created_at)),
    h('td', {}, t.last_used_at ? fmtTime(t.last_used_at) : '从未使用'),
    h('td', {}, t.expires_at ? fmtDate(t.expires_at) : '长期'),
    h('td', {}, h('span', { class: `badge token-${st}` }, stText)),
    h('td', {}, st === 'revoked' ? '—' : revokeControl(t, reload)));
}

/** 吊销 asks once more in place (no browser dialog): the act cannot be undone. */
function revokeControl(t, reload) {
  const name = holder(t);
  const wrap = h('div', {});
  const ask = h('button', { type: 'button', class: 'danger', 'aria-label': `吊销“${name}”的令牌` }, '吊销');
  ask.addEventListener('click', () => {
    const box = messageBox();
    const yes = h('button', { type: 'button', class: 'danger' }, '确认吊销');
    const no = h('button', { type: 'button' }, '取消');
    const confirm = h('div', { class: 'confirm', role: 'group', 'aria-label': `确认吊销“${name}”的令牌` },
      h('p', {}, `吊销后“${name}”的令牌立即失效，不能恢复。`), yes, ' ', no, box.el);
    no.addEventListener('click', () => { confirm.replaceWith(ask); ask.focus(); });
    yes.addEventListener('click', () => busy(yes, async () => {
      try {
        await post(`/v1/tokens/${encodeURIComponent(t.id)}/revoke`);
        await reload(`已吊销“${name}”的令牌。`);
      } catch (err) {
        box.error(err.message);
      }
    }));
    ask.replaceWith(confirm);
    yes.focus();
  });
  wrap.append(ask);
  return wrap;
}

function tokenForm(counties, created) {
  const box = messageBox();
  const role = field('角色', select([['', '（请选择）'], ...ROLES.map((r) => [r, ROLE[r] || r])], { name: 'role' }), { required: true });
  const label = field('标签', input({ name: 'label' }), { hint: '持有人或部门，如“恩施市公安局户政科”；令牌列表和变更记录中显示。' });
  const listId = uid('scopes');
  const scope = field('范围', input({ name: 'scope', list: listId, inputmode: 'numeric' }), {
    hint: '县市（6 位）或乡镇（街道，9 位）代码，如 422801；留空为不限范围。范围外的变更会被拒绝。',
  });
  const expires = field('有效期至', input({ name: 'expires_at' }), { hint: '如 2026年12月31日，也可写作 2026-12-31，当日结束时失效；留空为长期有效。' });
  const secret = h('div', {});
  const btn = h('button', { type: 'submit', class: 'primary' }, '创建令牌');
  const fields = { role, label, scope, expires_at: expires };
  const form = h('form', { class: 'token-form', novalidate: true, 'aria-labelledby': `${listId}-t` },
    h('h3', { id: `${listId}-t` }, '签发新令牌'), box.el,
    h('div', { class: 'form-row' }, role.wrap, label.wrap, scope.wrap, expires.wrap),
    h('datalist', { id: listId }, counties.map((c) => h('option', { value: c.code }, c.name))),
    btn, secret);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    box.clear();
    clear(secret);
    for (const f of Object.values(fields)) f.set(null);
    const body = { role: role.input.value, label: label.input.value.trim() || undefined, scope: scope.input.value.trim() || undefined };
    const bad = [];
    if (!body.role) { role.set('请选择令牌的角色。'); bad.push(role); }
    if (body.scope && !/^\d{6}(\d{3})?$/.test(body.scope)) { scope.set('范围应为 6 位县市代码或 9 位乡镇（街道）代码，如 422801。'); bad.push(scope); }
    const exp = expires.input.value.trim();
    if (exp) {
      body.expires_at = parseDate(exp);
      if (!body.expires_at) { expires.set('请按“2026年12月31日”或“2026-12-31”的格式填写有效期。'); bad.push(expires); }
      else if (body.expires_at < today()) { expires.set('有效期已经过去，不能签发已过期的令牌。'); bad.push(expires); }
    }
    if (bad.length) { box.error('请按标出的字段修改后重试。'); bad[0].input.focus(); return; }
    busy(btn, async () => {
      let t;
      try {
        t = await post('/v1/tokens', body);
      } catch (err) {
        showRefusal(err, fields, box, (v, e2) => {
          const m = e2?.message || '';
          return /有效期/.test(m) ? 'expires_at' : /范围/.test(m) ? 'scope' : /角色/.test(m) ? 'role' : /标签|label/.test(m) ? 'label' : null;
        });
        return;
      }
      for (const f of [role, label, scope, expires]) f.input.value = '';
      await created(t);
      showSecret(secret, t);
    });
  });
  return form;
}

/** The new token, shown this once: only its hash is kept on the server. */
function showSecret(el, t) {
  const out = input({ readonly: true, value: t.token, class: 'mono', 'aria-label': '新令牌', onfocus: (e) => e.target.select() });
  const copied = h('span', { class: 'hint', 'aria-live': 'polite' });
  const copy = h('button', { type: 'button' }, '复制');
  copy.addEventListener('click', () => {
    out.select();
    const ok = () => { copied.textContent = ' 已复制。'; };
    const no = () => { copied.textContent = ' 请按 Ctrl+C 复制。'; };
    if (navigator.clipboard) navigator.clipboard.writeText(t.token).then(ok, no); else no();
  });
  clear(el).append(h('div', { class: 'msg msg-ok secret', role: 'status' },
    h('p', {}, h('strong', {}, '已签发：'), `“${holder(t)}”（${ROLE[t.role] || t.role}）的令牌如下。它只显示这一次，请立即复制并交给持有人；离开本页后无法再查看。`),
    h('div', { class: 'secret-row' }, out, copy, copied)));
  out.focus();
}

// ---- audit log and imports ----

/** The whole log: the API pages oldest first by id, so the desk reads it all and turns it round. */
async function allAudit() {
  const all = [];
  let after = 0;
  for (;;) {
    const r = await get(`/v1/audit${qs({ after, limit: 1000 })}`);
    all.push(...r.items);
    if (r.items.length < 1000) return all;
    after = r.items[r.items.length - 1].id;
  }
}

function whoDid(e, tokens) {
  const t = e.token_id && tokens.find((x) => x.id === e.token_id);
  if (t) return `${holder(t)}（${ROLE[t.role] || t.role}）`;
  if (!e.token_id) return '系统（命令行或服务本身）';
  return `${ROLE[e.role] || e.role || ''}经办人`;
}

/** A change's actor as stored (`admin:tok_…`, or the service's own name) in words. */
function actorName(name, tokens) {
  const [role, id] = (name || '').split(':');
  if (!id) return '系统';
  return whoDid({ token_id: id, role }, tokens);
}

function subjectCell(e, tokens) {
  const id = e.subject_id;
  if (!id) return '—';
  if (id.startsWith('tok_')) {
    const t = tokens.find((x) => x.id === id);
    return t ? `令牌：${holder(t)}` : id;
  }
  return levelOf(id) ? addressLink(id, id) : id;
}

/** An import's summary (stored as JSON in the audit row) in words. */
function importSummary(detail) {
  let s;
  try { s = JSON.parse(detail || ''); } catch { return detail || '—'; }
  return `${s.features ?? 0} 个要素：新增 ${s.created ?? 0}，未变 ${s.unchanged ?? 0}，下级新增 ${s.nested_created ?? 0}，质量问题 ${s.quality_problems ?? 0} 处`;
}

function detailText(e) {
  if (e.action === 'import') return importSummary(e.detail);
  const seq = /^seq=(\d+)$/.exec(e.detail || '');
  if (seq) return `变更流第 ${seq[1]} 条`;
  return e.detail || '—';
}

function auditSection(state) {
  const count = counter('audit');
  const importCount = counter('imports');
  const out = h('div', {});
  const pos = h('span', { class: 'pager-pos', 'aria-live': 'polite' });
  const newer = h('button', { type: 'button' }, '← 较新');
  const older = h('button', { type: 'button' }, '较旧 →');
  const pager = h('div', { class: 'pager' }, newer, pos, older);
  const importsBody = h('div', {});
  let rows = [];
  let at = 0;
  newer.addEventListener('click', () => { at = Math.max(0, at - 1); render(); });
  older.addEventListener('click', () => { at += 1; render(); });
  function render() {
    const pages = Math.max(1, Math.ceil(rows.length / PER_PAGE));
    at = Math.min(at, pages - 1);
    newer.disabled = at === 0;
    older.disabled = at >= pages - 1;
    pos.textContent = `第 ${at + 1} / ${pages} 页，共 ${rows.length} 条`;
    const slice = rows.slice(at * PER_PAGE, (at + 1) * PER_PAGE);
    clear(out).append(slice.length ? h('table', { class: 'audit' },
      h('thead', {}, h('tr', {}, ['时间', '操作', '经办', '对象', '文号或理由', '详情'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, slice.map((e) => h('tr', { dataset: { id: String(e.id), action: e.action } },
        h('td', { class: 'nowrap' }, fmtTime(e.at)),
        h('td', {}, ACTION[e.action] || e.action),
        h('td', {}, whoDid(e, state.tokens)),
        h('td', { class: 'mono' }, subjectCell(e, state.tokens)),
        h('td', {}, [e.document, e.reason].filter(Boolean).join('；') || '—'),
        h('td', {}, detailText(e)))))) : h('p', {}, '审计日志还没有记录。'));
  }
  function renderImports() {
    const imports = rows.filter((e) => e.action === 'import');
    setCount(importCount, imports.length);
    clear(importsBody).append(imports.length ? h('table', { class: 'imports' },
      h('thead', {}, h('tr', {}, ['时间', '经办', '结果'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, imports.map((e) => h('tr', { dataset: { id: String(e.id) } },
        h('td', { class: 'nowrap' }, fmtTime(e.at)), h('td', {}, whoDid(e, state.tokens)), h('td', {}, importSummary(e.detail))))))
      : h('p', {}, '还没有导入记录。'));
  }
  async function load() {
    // Newest first: what an administrator looks for is what just happened.
    rows = (await allAudit()).reverse();
    setCount(count, rows.length);
    at = 0;
    render();
    renderImports();
  }
  const el = section('审计日志', h('p', { class: 'desk-total' }, '最新的在前。'), pager, out);
  el.dataset.section = 'audit';
  const imports = section('导入记录',
    h('p', { class: 'hint' }, '导入通过接口 POST /v1/import 进行（GeoJSON，全部或全不）。逐条的质量问题只在当次导入的结果中给出，这里是每次导入的汇总。'),
    importsBody);
  imports.dataset.section = 'imports';
  return { el, imports, load, count, importCount };
}

// ---- naming word lists ----

function wordsSection(state, changed) {
  const count = counter('words');
  const box = messageBox();
  const rule = field('词表', select([['', '（请选择）'], ...Object.entries(WORD_RULE)], { name: 'rule' }), { required: true });
  const word = field('词语', input({ name: 'word', maxlength: 20 }), { required: true, hint: '不超过 20 个字，不含空格或标点。' });
  const note = field('说明', input({ name: 'note' }), { hint: '为什么加入，如依据的文件。' });
  const btn = h('button', { type: 'submit', class: 'primary' }, '加入词表');
  const fields = { rule, word, note };
  const list = h('div', {});
  const form = h('form', { class: 'word-form', novalidate: true, 'aria-label': '向词表增加词语' }, box.el, h('div', { class: 'form-row' }, rule.wrap, word.wrap, note.wrap), btn);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    box.clear();
    for (const f of Object.values(fields)) f.set(null);
    const body = { rule: rule.input.value, word: word.input.value.trim(), note: note.input.value.trim() || undefined };
    const bad = [];
    if (!body.rule) { rule.set('请选择词表。'); bad.push(rule); }
    if (!body.word) { word.set('请填写词语。'); bad.push(word); }
    if (bad.length) { box.error('请按标出的字段补充后再提交。'); bad[0].input.focus(); return; }
    busy(btn, async () => {
      try {
        const w = await post('/v1/names/words', body);
        word.input.value = '';
        note.input.value = '';
        await Promise.all([load(), changed()]);
        box.ok(`已把“${w.word}”加入${WORD_RULE[w.rule] || w.rule}词表。`);
        word.input.focus();
      } catch (err) {
        // Whatever the server says of a word (its form, already listed) belongs at the word.
        showRefusal(err, fields, box, (v, e2) => (/词表规则|rule/.test(e2?.message || '') ? 'rule' : 'word'));
      }
    });
  });
  async function load() {
    const r = await get('/v1/names/words');
    setCount(count, r.added.length);
    append(clear(list), Object.entries(WORD_RULE).map(([code, name]) => {
      const builtin = r.builtin.filter((w) => w.rule === code).map((w) => w.word);
      const added = r.added.filter((w) => w.rule === code);
      return h('div', { class: 'word-rule', dataset: { rule: code } },
        h('h3', {}, `${name}：内置 ${builtin.length} 个，管理员增加 ${added.length} 个`),
        added.length ? h('table', { class: 'words' },
          h('thead', {}, h('tr', {}, ['词语', '说明', '增加人', '日期'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, added.map((w) => h('tr', { dataset: { word: w.word } },
            h('td', {}, w.word), h('td', {}, w.note || '—'), h('td', {}, actorName(w.added_by, state.tokens)), h('td', {}, fmtDate(w.added_at))))))
          : null,
        builtin.length ? h('details', {}, h('summary', {}, `内置词语（${builtin.length} 个）`), h('p', { class: 'word-cloud' }, builtin.join('、'))) : null);
    }));
  }
  const el = section('命名词表',
    h('p', { class: 'hint' }, '命名检查会指出含有词表词语的名称。内置词语不能在这里删除。'), form, list);
  el.dataset.section = 'words';
  return { el, load, count };
}
