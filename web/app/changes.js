// Division changes as lists: those waiting with their approval, those approved with their
// document, and what an approval did — how many addresses took a new text, with examples.

import { get, post, qs } from './api.js';
import { forgetDivisions, forgetLayers } from './data.js';
import { h, clear, field, input, messageBox, showRefusal, busy, section, fmtDate, addressLink } from './ui.js';

// Divisions by code, for the words of a change; read again after an approval.
const known = new Map();

export function division(code) {
  if (!known.has(code)) known.set(code, get(`/v1/divisions/${encodeURIComponent(code)}`).catch(() => null));
  return known.get(code);
}

export function forgetDivision() {
  known.clear();
  forgetDivisions();
  forgetLayers();
}

/** A division's status in words: a retired one is 已撤销 (not 废止, which is for names). */
export function divisionBadge(d) {
  return d.status === 'retired'
    ? h('span', { class: 'badge status-retired', dataset: { status: 'retired' } }, '✕ 已撤销')
    : h('span', { class: 'badge status-active', dataset: { status: 'active' } }, '● 现行');
}

/** What became of a retired division: merged into its successor, or carried on under a new code. */
export async function successorNote(d) {
  if (d.status !== 'retired' || !d.replaced_by) return null;
  const s = await division(d.replaced_by);
  const name = s ? s.name : d.replaced_by;
  const link = addressLink(d.replaced_by, name);
  return h('span', { class: 'successor' },
    s && s.name === d.name ? ['改用新代码 ', link, `（${d.replaced_by}）`] : ['并入', link, `（${d.replaced_by}）`]);
}

const named = async (code) => {
  const d = await division(code);
  return d ? `${d.name}（${code}）` : code;
};

/** The change a request asks for, in words: 并入…；更名为…；简称改为…；改隶…；代码改为…. */
export async function describe(c) {
  const parts = [];
  if (c.merge_into) parts.push(`并入${await named(c.merge_into)}`);
  if (c.name) parts.push(`更名为“${c.name}”`);
  if (Array.isArray(c.aliases)) parts.push(c.aliases.length ? `简称改为${c.aliases.join('、')}` : '取消全部简称');
  if (c.parent_code) parts.push(`改隶${await named(c.parent_code)}`);
  if (c.new_code) parts.push(`代码改为 ${c.new_code}`);
  return parts.join('；');
}

async function subjectCell(c) {
  const d = await division(c.code);
  return h('td', {}, addressLink(c.code, d ? d.name : c.code), ' ', h('span', { class: 'mono' }, c.code));
}

/**
 * The two lists, waiting and approved; `onApproved(view)` hears of each approval made here.
 * Returns {el, load}.
 */
export function changeLists(ctx, { onApproved }) {
  const pending = h('div', { 'aria-live': 'polite' });
  const done = h('div', {});
  const result = h('div', { class: 'approval-result' });
  const el = h('div', {}, result,
    section('待批准的区划变更', pending),
    section('已批准的区划变更', done));

  async function load() {
    clear(pending).append(h('p', { class: 'hint' }, '正在读取…'));
    const [waiting, approved] = await Promise.all([
      get(`/v1/names/division-changes${qs({ status: 'proposed' })}`),
      get(`/v1/names/division-changes${qs({ status: 'approved' })}`),
    ]);
    clear(pending);
    if (!waiting.items.length) pending.append(h('p', {}, '没有等待批准的区划变更。'));
    else {
      const rows = await Promise.all(waiting.items.map(async (c) => h('tr', { dataset: { id: c.id, code: c.code } },
        await subjectCell(c), h('td', {}, await describe(c)), h('td', {}, c.reason || '—'),
        h('td', {}, fmtDate(c.proposed_at)), h('td', {}, c.proposed_by || '—'),
        h('td', {}, ctx.abilities.naming ? approveInline(c, (await division(c.code))?.name || c.code, approvedHere) : '—'))));
      pending.append(h('table', { class: 'division-changes' },
        h('thead', {}, h('tr', {}, ['区划', '变更事项', '理由', '申报日期', '申报人', '批准'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows)));
    }
    clear(done);
    if (!approved.items.length) { done.append(h('p', {}, '还没有批准过区划变更。')); return; }
    // Newest first: the one just approved is at the top.
    const rows = await Promise.all(approved.items.slice().reverse().map(async (c) => h('tr', { dataset: { id: c.id, code: c.code } },
      await subjectCell(c), h('td', {}, await describe(c)), h('td', {}, fmtDate(c.approved_at)), h('td', {}, c.approval_document || '—'))));
    done.append(h('table', { class: 'division-changes' },
      h('thead', {}, h('tr', {}, ['区划', '变更事项', '批准日期', '批准文号'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)));
  }

  async function approvedHere(view) {
    forgetDivision();
    clear(result).append(await resultCard(view));
    result.querySelector('h2')?.setAttribute('tabindex', '-1');
    result.querySelector('h2')?.focus();
    await Promise.all([load(), onApproved && onApproved(view)]);
  }

  return { el, load };
}

function approveInline(c, name, onApproved) {
  const box = messageBox();
  const doc = field(`“${name}”变更的批准文号`, input({ name: 'document' }), { required: true });
  const btn = h('button', { type: 'submit' }, '批准');
  const form = h('form', { class: 'inline', 'aria-label': `批准“${name}”的变更` }, doc.wrap, btn, box.el);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const document = doc.input.value.trim();
    if (!document) { doc.set('请填写批准文号。'); doc.input.focus(); return; }
    busy(btn, async () => {
      try {
        const view = await post(`/v1/names/division-changes/${encodeURIComponent(c.id)}/approve`, { document });
        await onApproved(view);
      } catch (err) {
        // A document problem is the field's; anything else (a clash arisen since, a
        // change approved meanwhile) is said in the box beside it.
        showRefusal(err, { document: doc }, box, (v, e2) => (!v && e2 && e2.status === 400 ? 'document' : null));
      }
    });
  });
  return form;
}

/** How many addresses an approval re-texted, with a few of them old → new. */
const EXAMPLES = 5;

async function resultCard(view) {
  const changed = view.changed || [];
  const retexted = changed.filter((c) => c.old && c.new);
  const retired = changed.filter((c) => c.old && !c.new);
  const what = await describe(view);
  const d = await division(view.code);
  const card = section('批准结果');
  card.classList.add('approved-change');
  const box = messageBox();
  box.ok(`${d ? d.name : view.code}${what}。批准文号：${view.approval_document}。`);
  card.append(box.el,
    h('p', { class: 'retexted', dataset: { count: String(retexted.length) } },
      retexted.length ? `共 ${retexted.length} 个地址的标准地址随之改变${retexted.length > EXAMPLES ? `，以下列出其中 ${EXAMPLES} 个` : ''}：` : '没有地址的标准地址因此改变。'));
  if (retexted.length) {
    card.append(h('table', { class: 'retexted-examples' },
      h('thead', {}, h('tr', {}, ['原标准地址', '新标准地址'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, retexted.slice(0, EXAMPLES).map((c) => h('tr', { dataset: { id: c.id } },
        h('td', {}, c.old), h('td', {}, addressLink(c.id, c.new)))))));
  }
  for (const r of retired) {
    card.append(h('p', {}, '已撤销：', addressLink(r.id, r.old), `（${r.id}）`));
  }
  return card;
}
