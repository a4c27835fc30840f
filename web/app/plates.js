// The map workbench (every role views; police issue and plan plates on it), the clean-up
// report per township, and the plate-making order (门牌制作单).

import { get, post, qs, newKey, ApiError } from './api.js';
import { childrenOf, countiesList, countyLayer, townshipsOf, forgetLayers } from './data.js';
import { createMap } from './map.js';
import { numberingDiagram } from './diagram.js';
import {
  h, clear, field, input, select, messageBox, showRefusal, violationLine, busy, section, fmtDate, today, addressLink, SIDE, statusBadge,
} from './ui.js';

function plateLabel(p) {
  return `${p.number}号${p.sub ? `附${p.sub}号` : ''}`;
}

/** A refusal in words, with each rule it broke, for a place that has no fields to mark. */
function refusalWords(lead, err) {
  // A rule that only repeats the refusal's own words is not said twice.
  const more = (err.violations || []).filter((v) => v.message !== err.message || v.conflict_id);
  return h('div', { class: 'msg msg-error', role: 'alert' }, h('strong', {}, lead), err.message,
    more.length ? h('ul', {}, more.map((v) => h('li', {}, violationLine(v)))) : null);
}

/** Brings an outcome into view within the sidebar's own scroll area and the window. */
function reveal(el) {
  if (el.isConnected) el.scrollIntoView({ block: 'nearest' });
}

export async function mapView(page, ctx, params) {
  page.append(h('h1', {}, '地图'));
  const counties = await countiesList();
  const police = ctx.abilities.plates;
  const county = field('县市', select(counties.map((c) => [c.code, c.name]), { name: 'county' }));
  county.input.value = params.get('county') || ctx.county;
  const street = field('道路', select([['', '（请选择道路，或在地图上点击道路）']], { name: 'street' }));
  const modes = police ? [['view', '查看'], ['issue', '编门牌（点击门址）'], ['plan', '编号方案（整条道路）']] : [['view', '查看']];
  let mode = police && ['issue', 'plan'].includes(params.get('mode')) ? params.get('mode') : 'view';
  const modeGroup = h('fieldset', { class: 'modes' }, h('legend', {}, '操作'), modes.map(([v, t]) => h('label', { class: 'radio' },
    h('input', { type: 'radio', name: 'mode', value: v, checked: v === mode, onchange: () => { mode = v; closeSuggestion(); renderPanel(); } }), ' ', t)));
  const panel = h('div', { class: 'panel', 'aria-live': 'polite' });
  const diagramBox = h('div', {});
  let streets = [];
  let selected = null;
  let plates = [];
  let findings = [];
  let doorway = null;
  let planDoors = [];

  const map = createMap({
    label: police ? '道路地图：编门牌时点击门址位置' : '道路地图',
    onClick: (info) => {
      if (info.plateId && mode === 'view') { location.hash = `#/address/${encodeURIComponent(info.plateId)}`; return; }
      if (info.streetId && (!selected || mode === 'view')) { selectStreet(info.streetId); if (mode === 'view') return; }
      if (mode === 'issue' && selected) { doorway = [info.lon, info.lat]; lonF.input.value = info.lon; latF.input.value = info.lat; suggest(map.svg); }
      else if (mode === 'plan' && selected) { planDoors.push([info.lon, info.lat]); planChanged(); }
    },
  });

  // Fields shared by the police panels
  const township = field('乡镇（街道）', select([['', '（按最近的门牌自动确定）']], { name: 'township_code' }));
  const lonF = field('经度', input({ name: 'lon', inputmode: 'decimal' }));
  const latF = field('纬度', input({ name: 'lat', inputmode: 'decimal' }));

  async function loadCounty() {
    ctx.county = county.input.value;
    const items = await countyLayer(county.input.value);
    streets = items.filter((i) => i.kind === 'thoroughfare');
    clear(street.input).append(h('option', { value: '' }, '（请选择道路，或在地图上点击道路）'),
      ...streets.filter((t) => t.status !== 'retired').sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
        .map((t) => h('option', { value: t.id }, `${t.name}${t.status === 'proposed' ? '（拟用）' : ''}`)));
    map.set({ streets, localities: items.filter((i) => i.kind === 'locality'), plates: [], selected: null });
    map.fit(streets.map((t) => t.geometry));
    map.setHome();
    const ts = await townshipsOf(county.input.value);
    clear(township.input).append(h('option', { value: '' }, '（按最近的门牌自动确定）'), ...ts.map((t) => h('option', { value: t.code }, t.name)));
  }

  async function selectStreet(id) {
    closeSuggestion();
    selected = streets.find((t) => t.id === id) || null;
    street.input.value = id || '';
    doorway = null; planDoors = []; plates = []; findings = [];
    // What the panel showed belongs to the street left behind.
    clear(result); clear(planResult); planDry = false;
    map.set({ selected: id || null, marker: null, plates: [], findings: [] });
    clear(diagramBox);
    if (!selected) { renderPanel(); return; }
    map.fit([selected.geometry]);
    renderPanel();
    await reloadStreet();
  }

  /** The clean-up report's findings on the selected street (optional: none when it fails). */
  async function streetFindings(id) {
    try { return (await get(`/v1/plates/report${qs({ county_code: county.input.value })}`)).findings.filter((f) => f.thoroughfare_id === id); } catch { return []; }
  }

  /** Reads the street's plates and findings again; plates issued here (and `newIds`) marked as new. */
  async function reloadStreet(newIds = []) {
    const t = selected;
    const items = await childrenOf({ id: t.id, level: 'thoroughfare', canonical: t.canonical, name: t.name });
    const found = await streetFindings(t.id);
    if (selected !== t) return;
    const fresh = new Set([...newIds, ...plates.filter((p) => p.fresh).map((p) => p.id)]);
    plates = items.map((p) => (fresh.has(p.id) ? { ...p, fresh: true } : p));
    findings = found;
    redraw();
  }

  /** Draws the street's plates on the map and its numbering diagram, as they now stand. */
  function redraw() {
    map.set({ plates, findings });
    clear(diagramBox);
    if (selected) diagramBox.append(section(`${selected.name} 编号示意图`, numberingDiagram(selected, plates, findings)));
  }

  county.input.addEventListener('change', () => loadCounty().then(() => selectStreet('')).catch((e) => county.set(e.message)));
  street.input.addEventListener('change', () => selectStreet(street.input.value).catch((e) => street.set(e.message)));

  // ---- issuing one plate: the suggestion in a popup at the doorway ----
  // A sidebar that scrolls on its own hid the suggestion below its fold; at the click it is
  // seen where the officer looks. The lon/lat fields and 建议号码 stay for the keyboard.
  const box = messageBox();
  let key = null; // one key per suggestion: a double click or a retry issues one plate
  let suggestion = null;
  let popupOpen = false;
  let returnFocus = null; // where the keyboard was before the popup took it
  const result = h('div', { class: 'issue-result' });

  map.el.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && popupOpen) { e.preventDefault(); closeSuggestion(); }
  });

  function showPopup(...content) {
    popupOpen = true;
    return map.popup(doorway, '建议号码', ...content);
  }

  /** Closes the popup and forgets the doorway; the keyboard goes back where it was. */
  function closeSuggestion() {
    suggestion = null;
    if (!popupOpen) return;
    popupOpen = false;
    doorway = null;
    map.closePopup();
    map.set({ marker: null });
    if (returnFocus && returnFocus.isConnected) returnFocus.focus({ preventScroll: true });
    returnFocus = null;
  }

  const cancelButton = (text) => h('button', { type: 'button', class: 'cancel-issue', onclick: closeSuggestion }, text);

  /** Asks for the number at the doorway; `origin` gets the keyboard back when the popup closes. */
  async function suggest(origin) {
    box.clear(); suggestion = null;
    const lon = Number(lonF.input.value);
    const lat = Number(latF.input.value);
    lonF.set(null); latF.set(null); township.set(null);
    if (!Number.isFinite(lon) || lonF.input.value === '') { lonF.set('请填写经度，或在地图上点击门址。'); return; }
    if (!Number.isFinite(lat) || latF.input.value === '') { latF.set('请填写纬度，或在地图上点击门址。'); return; }
    const at = [lon, lat];
    doorway = at;
    if (!popupOpen) returnFocus = origin || document.activeElement;
    map.set({ marker: { at, label: '门址' } });
    showPopup(h('p', { class: 'hint', role: 'status' }, '正在计算建议号码…'), h('p', { class: 'popup-actions' }, cancelButton('取消'))).focus({ preventScroll: true });
    const body = { thoroughfare_id: selected.id, location: at, township_code: township.input.value || undefined };
    try {
      const r = await post('/v1/plates/suggest', body);
      if (doorway !== at) return; // another click, or 取消, came first
      suggestion = { ...r, body };
      key = newKey();
      if (r.township_code && !township.input.value) township.input.value = r.township_code;
      showSuggestion();
    } catch (err) {
      if (doorway !== at) return;
      // The words at the click; the field to change (乡镇, 经纬度) marked in the sidebar, and
      // the keyboard left in the popup, whose 关闭 leads back where it came from.
      const close = cancelButton('关闭');
      showPopup(refusalWords('未能给出建议号码：', err), h('p', { class: 'popup-actions' }, close));
      showRefusal(err, { township_code: township, lon: lonF }, box,
        (v, e) => (v ? 'lon' : /township|乡镇/.test(e?.message || '') ? 'township_code' : /经纬|location/.test(e?.message || '') ? 'lon' : null));
      close.focus({ preventScroll: true });
    }
  }

  function showSuggestion() {
    const s = suggestion;
    const problem = h('div', { class: 'popup-problem' });
    const confirm = h('button', { type: 'button', class: 'primary confirm-issue' }, `确认编发 ${plateLabel(s)}`);
    confirm.addEventListener('click', () => issue(confirm, problem));
    showPopup(
      h('p', { class: 'big' }, '建议号码：', h('strong', { class: 'suggested-number' }, plateLabel(s))),
      h('dl', { class: 'facts' },
        h('dt', {}, '所在侧'), h('dd', {}, s.side ? SIDE[s.side] : '—（村组按顺序编号）'),
        h('dt', {}, '单双号'), h('dd', {}, s.number % 2 ? '单号' : '双号'),
        h('dt', {}, '距起点'), h('dd', {}, s.measure_m != null ? `${Math.round(s.measure_m)} 米` : '—'),
        h('dt', {}, '标准地址'), h('dd', { class: 'suggested-canonical' }, s.canonical)),
      problem,
      h('p', { class: 'popup-actions' }, confirm, cancelButton('取消')),
      h('p', { class: 'hint' }, '按 Esc 键关闭。'));
    confirm.focus({ preventScroll: true });
  }

  async function issue(btn, problem) {
    if (!suggestion || btn.disabled) return;
    const s = suggestion;
    const body = { ...s.body, township_code: township.input.value || s.township_code, number: s.number, sub: s.sub ?? undefined };
    await busy(btn, async () => {
      try {
        const r = await post('/v1/plates', body, { headers: { 'Idempotency-Key': key } });
        if (suggestion === s) closeSuggestion(); // not a newer suggestion made meanwhile
        showIssued(r, body.location);
      } catch (err) {
        clear(problem).append(refusalWords('未能编发：', err));
        map.placePopup();
        if (/township|乡镇/.test(err.message || '')) township.set(err.message);
      }
    });
  }

  /** The plate at once on the map and in the diagram, and what was issued in the sidebar. */
  function showIssued(r, at) {
    box.clear();
    clear(result).append(h('div', { class: 'issued', role: 'status' },
      h('p', { class: 'big' }, '已编发：', h('output', { class: 'issued-number', dataset: { id: r.id } }, plateLabel(r))),
      h('p', {}, addressLink(r.id, r.canonical)),
      h('p', {}, h('a', { class: 'button', href: `#/print/plate/${encodeURIComponent(r.id)}` }, '打印门牌证'))));
    plates = [...plates.filter((p) => p.id !== r.id), { id: r.id, number: r.number, sub: r.sub, status: 'issued', canonical: r.canonical, geometry: { type: 'Point', coordinates: at }, fresh: true }];
    redraw();
    reveal(result);
    // The report may have changed with the new plate (道路无门牌, 单双号错侧): read it again.
    const t = selected;
    streetFindings(t.id).then((found) => { if (selected === t) { findings = found; redraw(); } });
  }

  // ---- numbering a whole street: plan, review, issue ----
  const planBox = messageBox();
  const planList = h('ol', { class: 'plan-doors' });
  const planResult = h('div', { class: 'plan-result' });
  let planDry = false; // planResult holds a trial numbering, which the doorways it numbered outlive
  function showPlanDoors() {
    clear(planList).append(...planDoors.map((d, i) => h('li', {}, `门址 ${i + 1}：${d[0]}, ${d[1]} `,
      h('button', { type: 'button', class: 'link', onclick: () => { planDoors.splice(i, 1); planChanged(); } }, `删除门址 ${i + 1}`))));
    map.set({ marker: planDoors.map((d, i) => ({ at: d, label: String(i + 1) })) });
  }
  /** Doorways added or removed: a trial numbering of the old list no longer holds. */
  function planChanged() {
    if (planDry) { clear(planResult); planDry = false; }
    showPlanDoors();
  }
  async function plan(dry) {
    planBox.clear(); township.set(null);
    if (!planDoors.length) { planBox.error('请先在地图上依次点击各个门址。'); reveal(planBox.el); return null; }
    if (!township.input.value) {
      // “By the nearest plate”: the township the server would suggest for the first doorway.
      try {
        const s = await post('/v1/plates/suggest', { thoroughfare_id: selected.id, location: planDoors[0] });
        if (s.township_code) township.input.value = s.township_code;
      } catch { /* the plan's own refusal says what is missing */ }
      if (!township.input.value) { township.set('这条道路上还没有门牌，请选择门牌所在的乡镇（街道）。'); township.input.focus(); return null; }
    }
    try {
      return await post('/v1/plates/plan', { thoroughfare_id: selected.id, township_code: township.input.value || undefined, entrances: planDoors, dry_run: dry });
    } catch (err) {
      showRefusal(err, { township_code: township }, planBox, (v, e) => (/township|乡镇/.test(e?.message || '') ? 'township_code' : null));
      reveal(planBox.el);
      return null;
    }
  }
  function planTable(r) {
    return h('table', { class: 'plan' }, h('thead', {}, h('tr', {}, ['门址', '号码', '所在侧', '标准地址'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, r.plates.map((p, i) => h('tr', {}, h('td', {}, String(i + 1)), h('td', {}, plateLabel(p)), h('td', {}, p.side ? SIDE[p.side] : '—'), h('td', {}, p.canonical)))));
  }

  /** A reserved plan and its one action, 全部编发, which goes once done. */
  function showReserved(r) {
    const outcome = messageBox();
    const issueAll = h('button', { type: 'button', class: 'primary' }, `全部编发（${r.plates.length} 块）`);
    issueAll.addEventListener('click', () => busy(issueAll, async () => {
      outcome.clear();
      let done;
      try {
        done = await post(`/v1/plates/plan/${encodeURIComponent(r.plan_id)}/issue`, {});
      } catch (err) { outcome.error(err.message); reveal(outcome.el); return; }
      showPlanIssued(done);
    }));
    clear(planResult).append(h('h3', {}, `已预留，保留至 ${fmtDate(r.reserved_until)}`), planTable(r), h('p', {}, issueAll), outcome.el);
    planDry = false;
    reveal(planResult);
  }

  /** The plan's plates issued: the outcome where the button was, the map and diagram anew. */
  async function showPlanIssued(done) {
    planBox.clear();
    const issued = done.plates || [];
    clear(planResult).append(h('div', { class: 'msg msg-ok', role: 'status' }, h('strong', {}, '已完成：'), `已编发 ${issued.length} 块门牌。`),
      h('ul', { class: 'plan-issued' }, issued.map((p) => h('li', {}, addressLink(p.id, p.canonical)))));
    reveal(planResult);
    planDoors = []; showPlanDoors();
    await reloadStreet(issued.map((p) => p.id));
  }

  function renderPanel() {
    clear(panel);
    if (!selected) { panel.append(h('p', { class: 'hint' }, police && mode !== 'view' ? '请先选择道路。' : '选择道路可查看其门牌和编号示意图。')); return; }
    panel.append(h('p', {}, '当前道路：', addressLink(selected.id, selected.name), ' ', statusBadge(selected.status)));
    if (mode === 'issue') {
      const go = h('button', { type: 'button' }, '建议号码');
      go.addEventListener('click', () => busy(go, () => suggest(go)));
      panel.append(h('p', { class: 'hint' }, '在地图上点击门址位置，建议号码显示在点击处；也可填写经纬度后按“建议号码”。'), result, box.el, township.wrap, h('div', { class: 'pair' }, lonF.wrap, latF.wrap), go);
    } else if (mode === 'plan') {
      const dry = h('button', { type: 'button' }, '试编（不写入）');
      const reserve = h('button', { type: 'button' }, '预留号码');
      dry.addEventListener('click', () => busy(dry, async () => {
        const r = await plan(true);
        if (!r) return;
        clear(planResult).append(h('h3', {}, '试编结果'), planTable(r));
        planDry = true;
        reveal(planResult);
      }));
      reserve.addEventListener('click', () => busy(reserve, async () => {
        const r = await plan(false);
        if (!r) return;
        showReserved(r);
      }));
      panel.append(h('p', { class: 'hint' }, '在地图上依次点击新道路的各个门址，先试编核对，再预留并一次编发。'), planBox.el, township.wrap, planList, h('p', {}, dry, ' ', reserve), planResult);
      showPlanDoors();
    } else {
      panel.append(h('p', { class: 'hint' }, '点击门牌可打开其详情。'));
    }
  }

  page.append(h('div', { class: 'workbench' },
    h('div', { class: 'side' }, county.wrap, street.wrap, modeGroup, panel),
    h('div', { class: 'main-map' }, map.el)), diagramBox);
  await loadCounty();
  const want = params.get('street');
  if (want) {
    const t = streets.find((x) => x.id === want);
    if (!t) {
      // A street of another county: find its county from its record.
      try {
        const n = await get(`/v1/names/${encodeURIComponent(want)}`);
        if (n.county_code && n.county_code !== county.input.value) { county.input.value = n.county_code; await loadCounty(); }
      } catch { /* unknown street: leave the list */ }
    }
    await selectStreet(want);
  } else renderPanel();
}

// ---- the clean-up report, per township, each problem on the map ----

const RULE = { parity: '单双号错侧', order: '编号顺序颠倒', distance: '离道路过远', no_plates: '道路无门牌', duplicate: '重名', homophone: '同音' };

export async function reportView(page, ctx, params) {
  page.append(h('h1', {}, '门牌清理报告'));
  const counties = await countiesList();
  const county = field('县市', select(counties.map((c) => [c.code, c.name]), { name: 'county_code' }));
  county.input.value = params.get('county') || ctx.county;
  const body = h('div', { 'aria-live': 'polite' });
  const map = createMap({ label: '清理报告中的问题位置' });
  page.append(h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); load(); } }, county.wrap, h('button', { type: 'submit' }, '生成报告')), body);
  async function load() {
    ctx.county = county.input.value;
    clear(body).append(h('p', { class: 'hint' }, '正在生成…'));
    const [r, layer] = await Promise.all([get(`/v1/plates/report${qs({ county_code: county.input.value })}`), countyLayer(county.input.value)]);
    clear(body);
    const streets = layer.filter((i) => i.kind === 'thoroughfare');
    map.set({ streets, findings: r.findings });
    body.append(section('问题分布', map.el));
    map.fit(streets.map((t) => t.geometry));
    map.setHome();
    if (!r.findings.length) { body.append(h('p', {}, '没有发现问题。')); return; }
    const byTownship = new Map();
    for (const f of r.findings) {
      const k = f.township || '（未定乡镇）';
      if (!byTownship.has(k)) byTownship.set(k, []);
      byTownship.get(k).push(f);
    }
    for (const [t, list] of byTownship) {
      body.append(section(`${t}（${list.length} 项）`, h('table', { class: 'report' },
        h('thead', {}, h('tr', {}, ['问题', '道路', '门牌', '说明'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, list.map((f) => h('tr', { dataset: { rule: f.rule } },
          h('td', {}, h('span', { 'aria-hidden': 'true' }, '⚠ '), RULE[f.rule] || f.rule),
          h('td', {}, addressLink(f.thoroughfare_id, f.thoroughfare)),
          h('td', {}, f.plate_id ? addressLink(f.plate_id, f.plate || f.canonical) : '—'),
          h('td', {}, f.message)))))));
    }
    body.append(h('p', {}, h('a', { class: 'button', href: `#/map?county=${county.input.value}` }, '在地图上查看')));
  }
  await load();
}

// ---- 门牌制作单: the plates issued in a period, to print ----

/** 2026年11月25日, 2026-11-25 or 2026/11/25 → 2026-11-25 (null when not a real date). */
export function parseDate(text) {
  const m = /^\s*(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?\s*$/.exec(text || '');
  if (!m) return null;
  const [y, mo, d] = [+m[1], +m[2], +m[3]];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export async function ordersView(page, ctx, params) {
  page.append(h('h1', { class: 'no-print' }, '门牌制作单'));
  const counties = await countiesList();
  const hint = '如 2026年11月25日，也可写作 2026-11-25';
  const from = field('起始日期', input({ name: 'from', value: fmtDate(params.get('from') || today()) }), { required: true, hint });
  const to = field('截止日期', input({ name: 'to', value: fmtDate(params.get('to') || today()) }), { required: true, hint });
  const county = field('县市', select([['', '全部'], ...counties.map((c) => [c.code, c.name])], { name: 'county_code' }));
  county.input.value = params.get('county_code') ?? ctx.county;
  const box = messageBox();
  const out = h('div', {});
  const form = h('form', { class: 'filters no-print' }, from.wrap, to.wrap, county.wrap, h('button', { type: 'submit', class: 'primary' }, '生成制作单'), box.el);
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  page.append(form, out);
  async function load() {
    box.clear(); from.set(null); to.set(null);
    const f = parseDate(from.input.value);
    const t = parseDate(to.input.value);
    if (!f) { from.set('请按“2026年11月25日”或“2026-11-25”的格式填写起始日期。'); from.input.focus(); return; }
    if (!t) { to.set('请按“2026年11月25日”或“2026-11-25”的格式填写截止日期。'); to.input.focus(); return; }
    if (f > t) { to.set('截止日期不能早于起始日期。'); to.input.focus(); return; }
    let r;
    try {
      r = await get(`/v1/plates/orders${qs({ from: f, to: t, county_code: county.input.value })}`);
    } catch (err) {
      clear(out);
      if (err instanceof ApiError && err.missingRoute) { box.error('服务器尚未提供门牌制作单接口（/v1/plates/orders），请稍后再试。'); return; }
      showRefusal(err, { from, to, county_code: county }, box, (v, e2) => (/from|起始/.test(e2?.message || '') ? 'from' : /to|截止/.test(e2?.message || '') ? 'to' : null));
      return;
    }
    const countyName = county.input.value ? counties.find((c) => c.code === county.input.value)?.name : '恩施土家族苗族自治州';
    const items = r.items || [];
    clear(out).append(h('article', { class: 'printable order' },
      h('h2', { class: 'doc-title' }, '门牌制作单'),
      h('p', { class: 'doc-meta' }, `${countyName || ''}　编发期间：${fmtDate(f)}至${fmtDate(t)}　共 ${items.length} 块`),
      items.length ? h('table', { class: 'order-table' },
        h('thead', {}, h('tr', {}, ['序号', '牌面文字', '拼音', '规格', '数量', '乡镇（街道）', '位置', '编发日期'].map((t) => h('th', { scope: 'col' }, t)))),
        // What the workshop puts on each plate, street by street in number order (the
        // server's order); the full address is in the title for the clerk who checks it.
        h('tbody', {}, items.map((p, i) => h('tr', { dataset: { id: p.id }, title: p.canonical },
          h('td', {}, String(i + 1)), h('td', { class: 'face' }, p.face || plateLabel(p)), h('td', { lang: 'zh-Latn-pinyin' }, p.face_pinyin || ''),
          h('td', {}, p.size || '—'), h('td', { class: 'num' }, String(p.quantity ?? 1)), h('td', {}, p.township || '—'),
          h('td', { class: 'mono loc' }, p.location ? [h('span', {}, `经 ${(+p.location[0]).toFixed(6)}`), h('span', {}, `纬 ${(+p.location[1]).toFixed(6)}`)] : '—'), h('td', {}, fmtDate(p.issued_at))))))
        : h('p', {}, '该期间没有编发门牌。'),
      h('div', { class: 'sign' }, h('p', {}, '制表单位（盖章）：＿＿＿＿＿＿＿＿'), h('p', {}, `制表日期：${fmtDate(today())}`))),
    h('p', { class: 'no-print' }, h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, '打印')));
  }
  if (params.get('from')) await load();
}

export { forgetLayers };
