// Civil affairs (民政): propose a name with the rules checked as it is typed, its line
// drawn on the map or pasted as GeoJSON, the case's documents; the proposals waiting.

import { get, post, qs } from './api.js';
import { countiesList, countyLayer, townshipsOf, forgetLayers } from './data.js';
import { createMap } from './map.js';
import {
  h, clear, field, input, textarea, select, messageBox, showRefusal, busy, section, debounce, violationLine, fmtDate, addressLink, setFlash,
} from './ui.js';

export async function proposeView(page, ctx) {
  page.append(h('h1', {}, '申报名称'));
  if (!ctx.abilities.naming) { page.append(h('p', {}, '只有民政部门的令牌可以申报名称。')); return; }
  const counties = await countiesList();
  const box = messageBox();
  const kind = field('类别', select([['thoroughfare', '道路街巷（街、路、巷、大道、大街）'], ['locality', '村组（湾、组）']], { name: 'kind' }));
  const county = field('所属县市', select(counties.map((c) => [c.code, c.name]), { name: 'county_code' }), { required: true });
  county.input.value = ctx.county;
  const township = field('所属乡镇（街道）', select([], { name: 'township' }));
  const village = field('所属村（社区）', select([], { name: 'village_code' }), { required: true });
  const villageBlock = h('div', { class: 'locality-only', hidden: true }, township.wrap, village.wrap);
  const name = field('拟用名称', input({ name: 'name' }), { required: true, hint: '输入时即按命名规则检查：重名、同音、通名、字母数字、长度、人名和外国地名等。' });
  const live = h('div', { class: 'live-check', id: 'name-check', 'aria-live': 'polite', 'aria-label': '命名规则检查结果' });
  const pinyin = field('拼音（可选，仅在读音需要指定时填写）', input({ name: 'pinyin', lang: 'zh-Latn-pinyin' }));
  const geometry = field('几何（GeoJSON）', textarea({ name: 'geometry', rows: 5, spellcheck: 'false', class: 'mono' }), {
    required: true, hint: '在下方地图上依次点击画出道路（方向即编号方向），或粘贴 GeoJSON 的 LineString、MultiLineString（村组可为 Point、Polygon）。',
  });
  const reason = field('命名理由及含义', textarea({ name: 'reason', rows: 2 }));
  const applicant = field('申请单位', input({ name: 'applicant' }));
  const docEval = field('地名命名评估报告文号', input({ name: 'doc_evaluation' }));
  const docExpert = field('专家论证意见文号', input({ name: 'doc_expert' }));
  const docPublic = field('征求社会公众意见报告文号', input({ name: 'doc_public' }));
  const docOther = field('其他材料文号', input({ name: 'doc_other' }));
  const submit = h('button', { type: 'submit', class: 'primary' }, '提交申报');

  // Map for drawing
  let draft = [];
  const map = createMap({
    label: '绘制道路：点击地图依次添加折点',
    onClick: ({ lon, lat }) => {
      if (kind.input.value === 'locality') draft = [[lon, lat]];
      else draft = [...draft, [lon, lat]];
      syncFromDraft();
    },
  });
  const undo = h('button', { type: 'button', onclick: () => { draft = draft.slice(0, -1); syncFromDraft(); } }, '撤销上一点');
  const wipe = h('button', { type: 'button', onclick: () => { draft = []; syncFromDraft(); } }, '清除线条');
  const drawInfo = h('p', { class: 'hint', 'aria-live': 'polite' });

  function syncFromDraft() {
    map.set({ draft: kind.input.value === 'locality' ? null : draft, marker: kind.input.value === 'locality' && draft[0] ? { at: draft[0], label: '村组位置' } : null });
    let g = null;
    if (kind.input.value === 'locality') g = draft[0] ? { type: 'Point', coordinates: draft[0] } : null;
    else if (draft.length >= 2) g = { type: 'LineString', coordinates: draft };
    geometry.input.value = g ? JSON.stringify(g) : '';
    drawInfo.textContent = kind.input.value === 'locality'
      ? (draft[0] ? `已选位置：${draft[0][0]}, ${draft[0][1]}` : '点击地图选定村组位置。')
      : `已画 ${draft.length} 个折点${draft.length === 1 ? '，至少需要 2 个' : ''}。`;
    geometry.set(null);
  }

  geometry.input.addEventListener('input', () => {
    try {
      const g = JSON.parse(geometry.input.value);
      const gg = g.type === 'Feature' ? g.geometry : g;
      if (gg && gg.type === 'LineString') { draft = gg.coordinates; map.set({ draft, marker: null }); }
      else if (gg && gg.type === 'MultiLineString') { draft = gg.coordinates[0] || []; map.set({ draft: null, streets: [...baseStreets, { id: 'draft', name: name.input.value || '新道路', status: 'proposed', geometry: gg }] }); }
      else if (gg && gg.type === 'Point') { draft = [gg.coordinates]; map.set({ marker: { at: gg.coordinates, label: '村组位置' } }); }
      geometry.set(null);
    } catch {
      if (geometry.input.value.trim()) geometry.set('不是有效的 JSON，请检查括号和引号。');
    }
  });

  let baseStreets = [];
  async function loadCounty() {
    ctx.county = county.input.value;
    const items = await countyLayer(county.input.value);
    baseStreets = items.filter((i) => i.kind === 'thoroughfare');
    map.set({ streets: baseStreets, localities: items.filter((i) => i.kind === 'locality') });
    map.fit(baseStreets.map((t) => t.geometry));
    map.setHome();
    if (kind.input.value === 'locality') await loadTownships();
    check();
  }
  async function loadTownships() {
    const ts = await townshipsOf(county.input.value);
    clear(township.input).append(...ts.map((t) => h('option', { value: t.code }, t.name)));
    await loadVillages();
  }
  async function loadVillages() {
    if (!township.input.value) return;
    const r = await get(`/v1/divisions/${township.input.value}/children`);
    // A village merged away or recoded takes no new localities.
    clear(village.input).append(...(r.items || []).filter((v) => v.status !== 'retired').map((v) => h('option', { value: v.code }, v.name)));
    check();
  }
  county.input.addEventListener('change', () => loadCounty().catch((e) => county.set(e.message)));
  township.input.addEventListener('change', () => loadVillages().catch((e) => township.set(e.message)));
  kind.input.addEventListener('change', () => {
    const loc = kind.input.value === 'locality';
    villageBlock.hidden = !loc;
    draft = [];
    syncFromDraft();
    if (loc) loadTownships().catch((e) => township.set(e.message));
    check();
  });

  // Live rule check as the name is typed
  let asked = 0;
  const body = () => {
    const loc = kind.input.value === 'locality';
    return {
      kind: kind.input.value, name: name.input.value.trim(),
      county_code: loc ? undefined : county.input.value, village_code: loc ? village.input.value || undefined : undefined,
      pinyin: pinyin.input.value.trim() || undefined,
    };
  };
  const check = debounce(async () => {
    const b = body();
    const n = ++asked;
    if (!b.name) { clear(live); name.set(null); return; }
    try {
      const r = await post('/v1/names/check', b);
      if (n !== asked) return;
      clear(live);
      name.set(r.violations.length ? r.violations.map((v) => h('span', { class: 'line' }, violationLine(v))) : null);
      if (r.ok) live.append(h('p', { class: 'ok-line', dataset: { ok: 'true' } }, h('span', { 'aria-hidden': 'true' }, '✓ '), `符合命名规则。专名“${r.specific}”，通名“${r.generic || '—'}”，拼音 ${r.pinyin}。`));
      else live.append(h('p', { class: 'bad-line', dataset: { ok: 'false' } }, `不符合命名规则（${r.violations.length} 项），见“拟用名称”下方。`));
      for (const w of r.warnings || []) live.append(h('p', { class: 'warn-line' }, violationLine(w, { warning: true })));
    } catch (e) {
      if (n !== asked) return;
      clear(live);
      name.set(e.message);
    }
  }, 250);
  name.input.addEventListener('input', check);
  pinyin.input.addEventListener('input', check);
  village.input.addEventListener('change', check);

  const form = h('form', { class: 'card propose', novalidate: true }, box.el,
    h('div', { class: 'cols' },
      h('div', {}, kind.wrap, county.wrap, villageBlock, name.wrap, live, pinyin.wrap, reason.wrap, applicant.wrap,
        h('fieldset', {}, h('legend', {}, '案卷材料（《地名管理条例实施办法》要求的评估、论证和征求意见报告）'), docEval.wrap, docExpert.wrap, docPublic.wrap, docOther.wrap)),
      h('div', {}, h('div', { class: 'map-block' }, map.el, h('p', { class: 'map-tools' }, undo, ' ', wipe), drawInfo), geometry.wrap)),
    h('p', {}, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const b = body();
    let ok = true;
    if (!b.name) { name.set('请填写拟用名称。'); ok = false; }
    let g = null;
    try { g = JSON.parse(geometry.input.value); if (g && g.type === 'Feature') g = g.geometry; } catch { g = null; }
    if (!g) { geometry.set(geometry.input.value.trim() ? '不是有效的 GeoJSON。' : '请在地图上画出位置，或粘贴 GeoJSON。'); ok = false; }
    if (!ok) { box.error('请按标出的字段补充后再提交。'); (b.name ? geometry : name).input.focus(); return; }
    const documents = [
      ['evaluation', docEval], ['expert_review', docExpert], ['public_consultation', docPublic], ['other', docOther],
    ].filter(([, f]) => f.input.value.trim()).map(([k, f]) => ({ kind: k, reference: f.input.value.trim() }));
    busy(submit, async () => {
      try {
        const r = await post('/v1/names', {
          ...b, geometry: g, reason: reason.input.value.trim() || undefined, applicant: applicant.input.value.trim() || undefined, documents,
        });
        const rec = r.record || r;
        forgetLayers();
        setFlash(`已申报“${rec.name}”，状态：拟用（待批准）。`);
        location.hash = `#/address/${encodeURIComponent(rec.id)}`;
      } catch (err) {
        showRefusal(err, { name, geometry, pinyin, county_code: county, village_code: village, reason, applicant }, box,
          (v, e2) => (v ? (/geometry|几何|坐标/.test(v.rule + v.message) ? 'geometry' : 'name') : /geometry|几何|坐标|经纬/.test(e2?.message || '') ? 'geometry' : null));
      }
    });
  });
  page.append(form);
  syncFromDraft();
  await loadCounty();
}

export async function proposalsView(page, ctx) {
  page.append(h('h1', {}, '待批名称'));
  const counties = await countiesList();
  const county = field('县市', select([['', '全部'], ...counties.map((c) => [c.code, c.name])], { name: 'county_code' }));
  const list = h('div', { 'aria-live': 'polite' });
  page.append(h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); load(); } }, county.wrap, h('button', { type: 'submit' }, '筛选')), list);
  async function load() {
    clear(list).append(h('p', { class: 'hint' }, '正在读取…'));
    const r = await get(`/v1/names${qs({ status: 'proposed', county_code: county.input.value, limit: 500 })}`);
    clear(list);
    if (!r.items.length) { list.append(h('p', {}, '没有等待批准的名称。')); return; }
    list.append(h('table', { class: 'proposals' },
      h('thead', {}, h('tr', {}, ['名称', '标准地址', '申报日期', '申报人', '批准'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, r.items.map((n) => h('tr', { dataset: { id: n.id } },
        h('td', {}, addressLink(n.id, n.name)), h('td', {}, n.canonical), h('td', {}, fmtDate(n.proposed_at)), h('td', {}, n.proposed_by || '—'),
        h('td', {}, ctx.abilities.naming ? approveInline(n, load) : '—'))))));
  }
  await load();
}

function approveInline(n, reload) {
  const box = messageBox();
  const doc = field(`“${n.name}”的批准文号`, input({ name: 'document' }), { required: true });
  const btn = h('button', { type: 'submit' }, '批准');
  const form = h('form', { class: 'inline' }, doc.wrap, btn, box.el);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!doc.input.value.trim()) { doc.set('请填写批准文号。'); doc.input.focus(); return; }
    busy(btn, async () => {
      try {
        await post(`/v1/names/${encodeURIComponent(n.id)}/approve`, { document: doc.input.value.trim() });
        forgetLayers();
        form.replaceWith(h('span', { class: 'done', role: 'status' }, '✓ 已批准'));
      } catch (err) {
        showRefusal(err, { document: doc }, box, () => 'document');
      }
    });
  });
  return form;
}

export { section };
