// The desk (工作台): where a role lands after signing in, showing the work the API lists
// for it. Civil affairs: proposals waiting, approved names still to announce. Police: the
// plates to make and the clean-up findings of its county. The administrator's desk is in
// admin.js. Search stays in the menu, one click away.

import { get, qs } from './api.js';
import { countiesList } from './data.js';
import { h, append, clear, field, select, section, fmtDate, today, addressLink, messageBox } from './ui.js';
import { adminDesk } from './admin.js';

/** Roles with work the API lists; housing, commerce and readers land on search as before. */
export function hasDesk(abilities) {
  return ['civil_affairs', 'police', 'admin'].includes(abilities?.role);
}

export async function deskView(page, ctx) {
  page.append(h('h1', {}, '工作台'));
  const role = ctx.abilities.role;
  if (role === 'civil_affairs') await civilAffairsDesk(page, ctx);
  else if (role === 'police') await policeDesk(page, ctx);
  else if (role === 'admin') await adminDesk(page, ctx);
  else page.append(h('p', {}, '您的身份没有需要办理的事项。', h('a', { href: '#/' }, '去查找地址')));
}

/** How many items a short list shows before “显示其余”. */
const SHORT = 6;

/**
 * A desk section: its title, a count filled in when loaded (`data-count` names it for
 * tests and styles), a short list and a link to the full page. `load` returns
 * {count, items, render(item) → li content, more: [href, text] | null, empty, extra}.
 */
function deskSection(title, name, load) {
  const count = h('strong', { class: 'desk-count', dataset: { count: name }, 'aria-busy': 'true' }, '…');
  const body = h('div', { 'aria-live': 'polite' }, h('p', { class: 'hint' }, '正在读取…'));
  const el = section(title, h('p', { class: 'desk-total' }, count, ' 项'), body);
  el.classList.add('desk-section');
  el.dataset.section = name;
  const done = (async () => {
    try {
      const r = await load();
      count.textContent = r.count === null ? '—' : String(r.count);
      count.removeAttribute('aria-busy');
      append(clear(body), [r.extra, shortList(r.items, r.render, r.empty), r.more ? h('p', {}, h('a', { href: r.more[0] }, r.more[1])) : null]);
    } catch (err) {
      count.textContent = '—';
      count.removeAttribute('aria-busy');
      const box = messageBox();
      clear(body).append(box.el);
      box.error(err.message || String(err));
    }
  })();
  return { el, done };
}

/** The first few items, and a button that shows the rest in place (no page of its own). */
function shortList(items, render, empty) {
  if (!items.length) return empty ? h('p', {}, empty) : null;
  const ul = h('ul', { class: 'desk-list' }, items.slice(0, SHORT).map((it) => h('li', { dataset: { id: it.id || '' } }, render(it))));
  if (items.length <= SHORT) return ul;
  const rest = items.length - SHORT;
  const btn = h('button', { type: 'button', class: 'link' }, `显示其余 ${rest} 项`);
  btn.addEventListener('click', () => {
    const extra = items.slice(SHORT).map((it) => h('li', { dataset: { id: it.id || '' } }, render(it)));
    ul.append(...extra);
    btn.remove();
    // Keyboard users continue where the new items start.
    const first = extra[0]?.querySelector('a');
    if (first) first.focus();
  });
  return h('div', {}, ul, btn);
}

/** Every page of a names listing: the API gives at most 1000 a page. */
async function allNames(params) {
  const items = [];
  let after;
  do {
    const r = await get(`/v1/names${qs({ ...params, after, limit: 1000 })}`);
    items.push(...r.items);
    after = r.next_after;
  } while (after);
  return items;
}

// ---- civil affairs ----

async function civilAffairsDesk(page) {
  const grid = h('div', { class: 'desk-grid' });
  page.append(grid);
  const proposed = deskSection('等待批准的名称', 'proposed', async () => {
    const items = await allNames({ status: 'proposed' });
    items.sort((a, b) => (a.proposed_at || '').localeCompare(b.proposed_at || ''));
    return {
      count: items.length, items, empty: '没有等待批准的名称。',
      render: (n) => [addressLink(n.id, n.name), h('span', { class: 'desk-meta' }, ` ${n.canonical} · ${fmtDate(n.proposed_at)}申报`)],
      // The proposer may not approve: another clerk does, from the full list.
      more: items.length ? ['#/names/proposed', '查看全部并逐条批准'] : null,
    };
  });
  const unannounced = deskSection('已批准、待公告的名称', 'unannounced', async () => {
    const items = await allNames({ status: 'active', announced: false });
    items.sort((a, b) => (a.announce_by || '9').localeCompare(b.announce_by || '9'));
    const now = today();
    return {
      count: items.length, items, empty: '批准的名称都已公告。',
      render: (n) => [addressLink(n.id, n.name), h('span', { class: 'desk-meta' }, ` ${n.canonical} · ${fmtDate(n.approved_at)}批准`),
        n.announce_by ? h('span', { class: n.announce_by < now ? 'bad-line inline' : 'desk-meta' },
          n.announce_by < now ? ` · ⚠ 已超过公告期限（${fmtDate(n.announce_by)}）` : ` · 公告期限 ${fmtDate(n.announce_by)}`) : null],
      extra: h('p', { class: 'hint' }, '在名称的页面登记公告日期和公告文号。'),
    };
  });
  const legacy = deskSection('不符合命名规则的存量名称', 'legacy', async () => ({
    count: null, items: [], empty: '',
    // Said plainly rather than shown as zero: nothing in the API lists these yet.
    extra: h('p', {}, '登记系统还没有列出这类名称的接口：导入旧数据时发现的重名、同音等质量问题只在当次导入的结果中给出，',
      '不保存为可查询的清单。需要核查某个名称时，可在名称的页面查看，或在申报时由系统检查。'),
  }));
  grid.append(proposed.el, unannounced.el, legacy.el);
  await Promise.all([proposed.done, unannounced.done, legacy.done]);
}

// ---- police ----

/** Plates issued over this many days (today included) are shown as still to make. */
const ORDER_DAYS = 7;

function daysBefore(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

const plateLabel = (p) => `${p.number}号${p.sub ? `附${p.sub}号` : ''}`;

/** The clean-up rules in words (as on the report page). */
const FINDING = { parity: '单双号错侧', order: '编号顺序颠倒', distance: '离道路过远', no_plates: '道路无门牌' };

async function policeDesk(page, ctx) {
  const counties = await countiesList();
  // The API does not tell a token its own scope, so the desk uses the county last chosen
  // in this tab (恩施市 by default) and lets the officer change it.
  const county = field('县市', select(counties.map((c) => [c.code, c.name]), { name: 'county_code' }), {
    hint: '工作台按此县市列出门牌和清理问题。',
  });
  county.input.value = ctx.county;
  const grid = h('div', { class: 'desk-grid' });
  const form = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); show(); } }, county.wrap, h('button', { type: 'submit' }, '切换'));
  page.append(form, grid);
  async function show() {
    ctx.county = county.input.value;
    const code = county.input.value;
    const name = counties.find((c) => c.code === code)?.name || code;
    const to = today();
    const from = daysBefore(to, ORDER_DAYS - 1);
    const orders = deskSection(`待制作的门牌（${name}，近 ${ORDER_DAYS} 天编发）`, 'orders', async () => {
      const r = await get(`/v1/plates/orders${qs({ from, to, county_code: code })}`);
      const items = [...(r.items || [])].reverse();
      return {
        count: items.length, items, empty: `近 ${ORDER_DAYS} 天没有编发门牌。`,
        render: (p) => [addressLink(p.id, p.canonical), h('span', { class: 'desk-meta' }, ` ${plateLabel(p)} · ${fmtDate(p.issued_at)}编发`)],
        more: [`#/plates/orders${qs({ from, to, county_code: code })}`, `打开 ${fmtDate(from)}至${fmtDate(to)} 的制作单并打印`],
      };
    });
    const report = deskSection(`门牌清理问题（${name}）`, 'findings', async () => {
      const r = await get(`/v1/plates/report${qs({ county_code: code })}`);
      const byRule = new Map();
      for (const f of r.findings) byRule.set(f.rule, (byRule.get(f.rule) || 0) + 1);
      return {
        count: r.findings.length,
        items: r.findings.map((f) => ({ ...f, id: f.plate_id || f.thoroughfare_id })),
        empty: '没有发现问题。',
        extra: byRule.size ? h('ul', { class: 'desk-rules' }, [...byRule].map(([rule, n]) => h('li', { dataset: { rule } }, `${FINDING[rule] || rule}：${n} 项`))) : null,
        render: (f) => [h('span', { 'aria-hidden': 'true' }, '⚠ '), `${FINDING[f.rule] || f.rule}：`,
          f.plate_id ? addressLink(f.plate_id, f.canonical) : addressLink(f.thoroughfare_id, f.thoroughfare),
          h('span', { class: 'desk-meta' }, ` ${f.message}`)],
        more: [`#/plates/report${qs({ county: code })}`, '查看按乡镇分列的完整清理结果'],
      };
    });
    clear(grid).append(orders.el, report.el);
    await Promise.all([orders.done, report.done]);
  }
  await show();
}
