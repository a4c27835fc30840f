// An address page: what it is, its history, what lies under it, its certificate, the
// events that touched it, and the changes the user's role may make to it. With a date
// (`?at=`), the address as it stood at the end of that day: its text, parent and history
// then, read only, with a way back to how it stands now.

import { get, post, qs, newKey } from './api.js';
import { childrenOf, eventsFor, plateNumber, countyLayer } from './data.js';
import { createMap } from './map.js';
import { numberingDiagram } from './diagram.js';
import { divisionBadge, successorNote } from './changes.js';
import {
  h, clear, field, input, textarea, messageBox, showRefusal, busy, section, fmtDate, LEVEL, STATUS, statusBadge, addressLink, asOfNote, levelOf,
} from './ui.js';

export const DOC_KIND = { evaluation: '地名命名评估报告', expert_review: '专家论证意见', public_consultation: '征求社会公众意见报告', other: '其他材料' };

export async function addressView(page, ctx, id, params = new URLSearchParams()) {
  const at = params.get('at') || '';
  const now = h('a', { href: `#/address/${encodeURIComponent(id)}`, class: 'asof-now' }, '查看现状');
  let a;
  try {
    a = await get(`/v1/addresses/${encodeURIComponent(id)}${qs({ at })}`);
  } catch (err) {
    // Not yet in the register on that day (or already gone): say so, and offer today's.
    if (!at || err.status !== 404) throw err;
    page.append(h('h1', {}, `截至 ${fmtDate(at)}`), asOfNote(at, ' ', now), h('p', { class: 'field-error' }, err.message));
    return;
  }
  const isName = a.level === 'thoroughfare' || a.level === 'locality';
  const name = isName && !at ? await get(`/v1/names/${encodeURIComponent(id)}`).catch(() => null) : null;
  if (name) a.name = name.name;
  const returned = name && name.returned_at ? name : null;

  page.append(h('p', { class: 'crumbs' }, h('a', { href: '#/' }, '查询'), ' › ', LEVEL[a.level] || a.level));
  page.append(h('h1', { class: 'canonical-title' }, a.canonical));
  if (at) page.append(asOfNote(at, ' ', now));
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, '层级'), h('dd', {}, LEVEL[a.level] || a.level),
    // A division's own words: retired is 已撤销.
    h('dt', {}, '状态'), h('dd', { class: 'address-status' }, a.division ? divisionBadge(a.division) : returned ? h('span', { class: 'badge status-retired' }, '✕ 已退回') : statusBadge(a.status, a.level)),
    h('dt', {}, '拼音'), h('dd', { lang: 'zh-Latn-pinyin' }, a.pinyin || '—'),
    h('dt', {}, '地址编号'), h('dd', { class: 'mono' }, a.id));
  if (a.parent_id) {
    const link = addressLink(a.parent_id, a.parent_id, at);
    facts.append(h('dt', {}, '上级'), h('dd', {}, link));
    get(`/v1/addresses/${encodeURIComponent(a.parent_id)}${qs({ at })}`).then((p) => { link.textContent = p.canonical; }).catch(() => {});
  }
  if (a.division && a.division.replaced_by) {
    const dd = h('dd', { class: 'successor-of' });
    facts.append(h('dt', {}, '撤销后'), dd);
    successorNote(a.division).then((note) => { if (note) dd.append(note); }).catch(() => { dd.append(addressLink(a.replaced_by)); });
  } else if (a.replaced_by) {
    // The successor by its address, as the clerk chose it, not by its ID.
    const link = addressLink(a.replaced_by, a.replaced_by, at);
    facts.append(h('dt', {}, '由此取代'), h('dd', { class: 'replaced-by' }, link));
    get(`/v1/addresses/${encodeURIComponent(a.replaced_by)}`).then((p) => { link.textContent = p.canonical; }).catch(() => {});
  }
  page.append(facts);
  if (returned) {
    facts.append(h('dt', {}, '退回日期'), h('dd', {}, fmtDate(returned.returned_at)),
      h('dt', {}, '退回理由'), h('dd', { class: 'return-reason' }, returned.return_reason || '—'));
  } else if (a.status === 'retired' && !a.division) retirementFacts(a, facts);

  if (at) {
    // As of a date the page only reads: certificates, children and changes are today's.
    page.append(section('历次名称', historyTable(a, at)));
    const evSec = section('相关变更记录');
    const evBody = h('div', {}, h('p', { class: 'hint' }, '正在读取…'));
    evSec.append(evBody);
    page.append(evSec);
    showMap(page, a, evSec);
    showEvents(a, evBody);
    return;
  }

  const tools = h('p', { class: 'actions' },
    h('a', { class: 'button', href: `#/print/certificate/${encodeURIComponent(a.id)}` }, '地址变更证明（打印）'));
  if (a.level === 'plate') tools.append(' ', h('a', { class: 'button', href: `#/print/plate/${encodeURIComponent(a.id)}` }, '门牌证（打印）'));
  if (ctx.abilities.plates && a.level === 'thoroughfare' && a.status === 'active') {
    tools.append(' ', h('a', { class: 'button', href: `#/map?street=${encodeURIComponent(a.id)}&mode=issue` }, '在地图上编门牌'));
  }
  page.append(tools);

  // History
  page.append(section('历次名称', historyTable(a)));

  if (name && name.documents && name.documents.length) {
    page.append(section('案卷材料', h('ul', {}, name.documents.map((d) => h('li', {}, `${DOC_KIND[d.kind] || '其他材料'}：${d.reference || ''}`)))));
  }

  // Changes this role may make
  const actions = actionsFor(a, name, ctx);
  if (actions) page.append(actions);

  // Map and children
  const childSec = section(a.level === 'thoroughfare' || a.level === 'locality' ? '门牌' : '下级地址');
  const childBody = h('div', {}, h('p', { class: 'hint' }, '正在读取…'));
  childSec.append(childBody);
  if (['thoroughfare', 'locality', 'plate', 'building', 'unit'].includes(a.level)) page.append(childSec);
  const evSec = section('相关变更记录');
  const evBody = h('div', {}, h('p', { class: 'hint' }, '正在读取…'));
  evSec.append(evBody);
  page.append(evSec);

  showMap(page, a, childSec.isConnected ? childSec : evSec);

  // Load the slower parts
  if (childSec.isConnected) {
    childrenOf(a).then(async (items) => {
      clear(childBody);
      if (!items.length) childBody.append(h('p', {}, '暂无。'));
      if (a.level === 'thoroughfare') {
        let findings = [];
        const county = name && name.county_code;
        if (county) {
          try { findings = (await get(`/v1/plates/report${qs({ county_code: county })}`)).findings.filter((f) => f.thoroughfare_id === a.id); } catch { /* report unavailable */ }
        }
        childBody.append(numberingDiagram({ name: a.name }, items, findings));
        if (page._map) {
          page._map.set({ plates: items, findings });
        }
      }
      if (items.length) {
        childBody.append(h('ul', { class: 'children' }, items.map((c) => h('li', {}, addressLink(c.id, c.canonical), ' ', c.status ? statusBadge(c.status, levelOf(c.id)) : ''))));
      }
    }).catch((e) => { clear(childBody); childBody.append(h('p', { class: 'field-error' }, `下级地址读取失败：${e.message}`)); });
  }
  showEvents(a, evBody);
}

/**
 * Every text the address had, from when to when, with the document that gave it; as of a
 * date, a text without an end was still in use that day, whatever came after.
 */
function historyTable(a, at) {
  return h('table', { class: 'history' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '标准地址'), h('th', { scope: 'col' }, '起'), h('th', { scope: 'col' }, '止'), h('th', { scope: 'col' }, '批准文号'))),
    h('tbody', {}, (a.history || []).map((e) => h('tr', {},
      h('td', {}, e.canonical), h('td', {}, e.valid_from ? fmtDate(e.valid_from) : '—'), h('td', {}, e.valid_to ? fmtDate(e.valid_to) : at ? '当日仍有效' : '至今'), h('td', {}, e.document || '—')))));
}

/** The address on a map, placed before `before`; kept on the page for the children to draw on. */
function showMap(page, a, before) {
  if (a.geometry) {
    const map = createMap({ label: `${a.canonical}的位置` });
    const mapSec = section('位置', map.el);
    page.insertBefore(mapSec, before);
    const geoms = [a.geometry];
    if (a.level === 'thoroughfare') map.set({ streets: [{ id: a.id, name: a.name || '', status: a.status, geometry: a.geometry }], selected: a.id });
    else if (a.level === 'locality') map.set({ localities: [{ id: a.id, name: a.name || '', status: a.status, geometry: a.geometry }] });
    else if (a.level === 'plate') {
      map.set({ plates: [{ id: a.id, status: a.status, geometry: a.geometry, canonical: a.canonical, ...plateNumber(a.canonical) }] });
      if (a.parent_id) {
        get(`/v1/addresses/${encodeURIComponent(a.parent_id)}`).then((p) => {
          if (p.geometry && p.level === 'thoroughfare') { map.set({ streets: [{ id: p.id, name: '', status: p.status, geometry: p.geometry }] }); }
        }).catch(() => {});
      }
    }
    map.fit(geoms);
    map.setHome();
    page._map = map;
  }
}

/** When and why the address was retired (注销/废止), as the feed recorded it. */
function retirementFacts(a, facts) {
  const end = a.level === 'thoroughfare' || a.level === 'locality' ? '废止' : '注销';
  eventsFor(a.id).then((events) => {
    const e = events.find((x) => /\.retired$/.test(x.kind) && (x.subject_id === a.id || x.new === null));
    if (!e) return;
    facts.append(
      h('dt', {}, `${end}日期`), h('dd', { class: 'retired-on' }, fmtDate(e.at)),
      h('dt', {}, `${end}理由`), h('dd', { class: 'retired-reason' }, e.reason || '—'),
      h('dt', {}, '经办'), h('dd', {}, e.actor_label || '—'));
  }).catch(() => {});
}

/** The events of the feed that touched the address, newest first. */
function showEvents(a, evBody) {
  eventsFor(a.id).then((events) => {
    clear(evBody);
    if (!events.length) { evBody.append(h('p', {}, '暂无。')); return; }
    evBody.append(h('table', { class: 'events' },
      h('thead', {}, h('tr', {}, ['序号', '日期', '事项', '操作者', '理由', '变更前', '变更后'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, events.map((e) => h('tr', { dataset: { kind: e.kind } },
        h('td', {}, String(e.seq)), h('td', {}, fmtDate(e.at)), h('td', {}, e.kind_label || '变更'), h('td', {}, e.actor_label || '—'),
        h('td', {}, e.reason || '—'),
        h('td', {}, e.old || '—'), h('td', {}, e.new || '—'))))));
  }).catch((e) => { clear(evBody); evBody.append(h('p', { class: 'field-error' }, `变更记录读取失败：${e.message}`)); });
}

function reload() {
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** The forms for the changes the role may make to this address. */
function actionsFor(a, name, ctx) {
  const ab = ctx.abilities;
  const forms = [];
  if (ab.naming && name) {
    if (a.status === 'proposed') forms.push(approveForm(a), returnForm(a));
    if (a.status === 'active') forms.push(renameForm(a, name), retireNameForm(a));
  }
  if (ab.plates && a.level === 'plate' && a.status !== 'retired') forms.push(retirePlateForm(a));
  if ((ab.plates || ab.buildings) && a.status !== 'retired') {
    const child = { plate: ['楼栋', 'buildings', '/v1/plates/'], building: ['单元', 'units', '/v1/buildings/'], unit: ['户室', 'rooms', '/v1/units/'] }[a.level];
    if (child) forms.push(addChildForm(a, ...child));
  }
  if (!forms.length) return null;
  return section('办理', ...forms);
}

function approveForm(a) {
  const box = messageBox();
  const doc = field('批准文号', input({ name: 'document' }), { required: true, hint: '例如：恩市政函〔2026〕12号' });
  const btn = h('button', { type: 'submit', class: 'primary' }, '批准');
  const form = h('form', { class: 'subform', 'aria-label': '批准名称' }, h('h3', {}, '批准'), box.el, doc.wrap, btn);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!doc.input.value.trim()) { doc.set('请填写批准文号。'); doc.input.focus(); return; }
    busy(btn, async () => {
      try {
        await post(`/v1/names/${encodeURIComponent(a.id)}/approve`, { document: doc.input.value.trim() });
        box.ok('已批准。');
        reload();
      } catch (err) {
        showRefusal(err, { document: doc }, box, (v, e) => (v ? 'document' : e && e.status === 400 ? 'document' : null));
      }
    });
  });
  return form;
}

/** 退回 (不予批准): another clerk than the proposer sends a proposal back, saying why. */
function returnForm(a) {
  const box = messageBox();
  const reason = field('退回理由', textarea({ name: 'reason', rows: 2 }), { required: true, hint: '提出者会看到此理由，例如：与规划道路名称重复' });
  const btn = h('button', { type: 'submit' }, '退回（不予批准）');
  const form = h('form', { class: 'subform', 'aria-label': '退回申报' }, h('h3', {}, '退回'), box.el, reason.wrap, btn);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!reason.input.value.trim()) { reason.set('请填写退回理由。'); reason.input.focus(); return; }
    busy(btn, async () => {
      try {
        await post(`/v1/names/${encodeURIComponent(a.id)}/return`, { reason: reason.input.value.trim() });
        box.ok('已退回。');
        reload();
      } catch (err) {
        showRefusal(err, { reason }, box, () => 'reason');
      }
    });
  });
  return form;
}

function renameForm(a, name) {
  const box = messageBox();
  const nm = field('新名称', input({ name: 'name' }), { required: true });
  const doc = field('批准文号', input({ name: 'document' }), { required: true });
  const reason = field('更名理由', input({ name: 'reason' }));
  const live = h('div', { class: 'live-check', 'aria-live': 'polite' });
  const btn = h('button', { type: 'submit' }, '更名');
  let t;
  nm.input.addEventListener('input', () => {
    clearTimeout(t);
    t = setTimeout(async () => {
      const v = nm.input.value.trim();
      clear(live);
      if (!v) return;
      try {
        const r = await post('/v1/names/check', { kind: name.kind, name: v, county_code: name.county_code || undefined, village_code: name.village_code || undefined });
        nm.set(r.violations.length ? r.violations.map((x) => h('span', { class: 'violation' }, `✕ ${x.message}`)) : null);
        if (r.ok) live.append(h('p', { class: 'ok-line' }, `✓ 符合命名规则（拼音：${r.pinyin}）`));
      } catch { /* checked again on submit */ }
    }, 250);
  });
  const form = h('form', { class: 'subform', 'aria-label': '更名' }, h('h3', {}, '更名'), box.el, nm.wrap, live, doc.wrap, reason.wrap, btn);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!nm.input.value.trim()) { nm.set('请填写新名称。'); nm.input.focus(); return; }
    if (!doc.input.value.trim()) { doc.set('请填写批准文号。'); doc.input.focus(); return; }
    busy(btn, async () => {
      try {
        await post(`/v1/names/${encodeURIComponent(a.id)}/rename`, { name: nm.input.value.trim(), document: doc.input.value.trim(), reason: reason.input.value.trim() || undefined });
        box.ok('已更名，原名保留为曾用名。');
        reload();
      } catch (err) {
        showRefusal(err, { name: nm, document: doc }, box, (v, e2) => (v ? 'name' : /文号|document/.test(e2?.message || '') ? 'document' : 'name'));
      }
    });
  });
  return form;
}

function retireNameForm(a) {
  const box = messageBox();
  const doc = field('批准文号', input({ name: 'document' }), { required: true });
  const reason = field('废止理由', input({ name: 'reason' }), { required: true });
  const btn = h('button', { type: 'submit', class: 'danger' }, '废止');
  const form = h('form', { class: 'subform', 'aria-label': '废止名称' }, h('h3', {}, '废止'), box.el, doc.wrap, reason.wrap, btn);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!doc.input.value.trim()) { doc.set('请填写批准文号。'); doc.input.focus(); return; }
    if (!reason.input.value.trim()) { reason.set('请填写废止理由。'); reason.input.focus(); return; }
    busy(btn, async () => {
      try {
        await post(`/v1/names/${encodeURIComponent(a.id)}/retire`, { document: doc.input.value.trim(), reason: reason.input.value.trim() });
        box.ok('已废止。');
        reload();
      } catch (err) {
        const extra = err.problem && err.problem.conflicts;
        showRefusal(err, { document: doc, reason }, box, () => null);
        if (Array.isArray(extra) && extra.length) {
          box.error(err.message, h('ul', {}, extra.slice(0, 20).map((c) => h('li', {}, addressLink(c.id || c, c.canonical || c.id || c)))));
        }
      }
    });
  });
  return form;
}

function retirePlateForm(a) {
  const box = messageBox();
  const reason = field('注销理由', input({ name: 'reason' }), { required: true, hint: '例如：房屋拆除、门址合并' });
  const repl = field('取代它的门牌（可选）', input({ name: 'replaced_by', autocomplete: 'off' }), { hint: '输入新门牌的地址，如 航空大道125号' });
  const found = h('p', { class: 'hint successor', 'aria-live': 'polite' });
  const btn = h('button', { type: 'submit', class: 'danger' }, '注销门牌');
  const confirmBox = h('div', { class: 'confirm', hidden: true });
  const form = h('form', { class: 'subform', 'aria-label': '注销门牌' }, h('h3', {}, '注销'), box.el, reason.wrap, repl.wrap, found, btn, confirmBox);
  let successor = null;

  /** The plate the clerk's words name, resolved as any search is; null when blank. */
  async function pickSuccessor() {
    const text = repl.input.value.trim();
    successor = null;
    found.textContent = '';
    if (!text) return true;
    const r = await get(`/v1/resolve${qs({ q: text })}`);
    const hit = r.status === 'matched' && r.address && r.address.level === 'plate' ? r.address : null;
    if (!hit || hit.id === a.id) {
      repl.set(hit ? '不能由这块门牌自己取代。' : `找不到“${text}”这块门牌：请输入完整的道路名称和门牌号。`);
      return false;
    }
    successor = hit;
    found.textContent = `将由 ${hit.canonical} 取代`;
    return true;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    reason.set('');
    repl.set('');
    if (!reason.input.value.trim()) { reason.set('请填写注销理由。'); reason.input.focus(); return; }
    busy(btn, async () => {
      if (!(await pickSuccessor())) { repl.input.focus(); return; }
      // Retiring is for good: the number is never issued again. Ask once more, in words.
      clear(confirmBox);
      const yes = h('button', { type: 'button', class: 'danger' }, '确认注销');
      const no = h('button', { type: 'button' }, '取消');
      confirmBox.append(
        h('p', { role: 'alert' }, `注销 ${a.canonical}？注销后此门牌号不再编发`, successor ? `，由 ${successor.canonical} 取代。` : '。'),
        yes, ' ', no);
      confirmBox.hidden = false;
      btn.hidden = true;
      yes.focus();
      no.addEventListener('click', () => { confirmBox.hidden = true; btn.hidden = false; btn.focus(); });
      yes.addEventListener('click', () => busy(yes, async () => {
        try {
          await post(`/v1/plates/${encodeURIComponent(a.id)}/retire`, { reason: reason.input.value.trim(), replaced_by: successor ? successor.id : undefined });
          box.ok('已注销。');
          reload();
        } catch (err) {
          confirmBox.hidden = true;
          btn.hidden = false;
          showRefusal(err, { reason, replaced_by: repl }, box, (v, e2) => (/替代|取代|不存在/.test(e2?.message || '') ? 'replaced_by' : 'reason'));
        }
      }));
    });
  });
  return form;
}

function addChildForm(a, what, path, prefix) {
  const box = messageBox();
  const num = field(`${what}号`, input({ name: 'number' }), { required: true, hint: what === '户室' ? '如 501' : '数字或带字母的短号，如 3、B8' });
  const btn = h('button', { type: 'submit' }, `登记${what}`);
  const form = h('form', { class: 'subform', 'aria-label': `登记${what}` }, h('h3', {}, `登记${what}`), box.el, num.wrap, btn);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = num.input.value.trim();
    if (!v) { num.set(`请填写${what}号。`); num.input.focus(); return; }
    busy(btn, async () => {
      try {
        const body = { number: /^\d+$/.test(v) && what !== '户室' ? Number(v) : v };
        const r = await post(`${prefix}${encodeURIComponent(a.id)}/${path}`, body, { headers: { 'Idempotency-Key': newKey() } });
        box.ok(addressLink(r.id, r.canonical));
        num.input.value = '';
      } catch (err) {
        showRefusal(err, { number: num }, box, () => 'number');
      }
    });
  });
  return form;
}

export { countyLayer };
