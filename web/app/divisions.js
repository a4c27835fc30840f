// Civil affairs (民政): a township or village renamed (乡改镇), given short forms, merged
// into another, moved to another parent (改隶) or given a new code — picked by browsing
// down from the county, proposed with a reason, approved with its document. Every role
// sees the divisions and the changes; only civil affairs proposes and approves.

import { get, post } from './api.js';
import { countiesList } from './data.js';
import { changeLists, describe, divisionBadge, successorNote } from './changes.js';
import { h, clear, field, textarea, input, select, messageBox, busy, section, violationLine, addressLink } from './ui.js';

export async function divisionsView(page, ctx) {
  page.append(h('h1', {}, '区划变更'));
  page.append(h('p', { class: 'hint' }, '乡镇（街道）和村（社区）的更名、简称、合并、改隶和代码变更。批准后，其下每个地址的标准地址随之改变，原名称和原代码仍可查询。'));
  const counties = await countiesList();
  const picker = divisionPicker(counties, ctx);
  const children = h('div', { 'aria-live': 'polite' });
  const form = ctx.abilities.naming ? proposeForm(picker, () => lists.load()) : null;
  const lists = changeLists(ctx, { onApproved: () => picker.reload() });
  picker.onPick(() => showChildren(picker, children));
  page.append(section('选择区划', picker.el, children));
  if (form) page.append(form);
  else page.append(h('p', { class: 'hint' }, '只有民政部门的令牌可以申报和批准区划变更。'));
  page.append(lists.el);
  await picker.reload();
  await lists.load();
}

const optionFor = (d) => h('option', { value: d.code, disabled: d.status === 'retired' }, d.status === 'retired' ? `${d.name}（已撤销）` : d.name);
const active = (list) => list.filter((d) => d.status !== 'retired');

/**
 * County → township → village, as the naming page browses them. Retired divisions are
 * listed, marked, and cannot be picked. Returns {el, subject(), reload(), onPick(f), …}.
 */
function divisionPicker(counties, ctx) {
  const county = field('县市', select(counties.map((c) => [c.code, c.name]), { name: 'county' }));
  county.input.value = ctx.county;
  const township = field('乡镇（街道）', select([], { name: 'township' }));
  const village = field('村（社区）', select([], { name: 'village' }), { hint: '不选村（社区），即变更乡镇（街道）本身。' });
  const state = { townships: [], villages: [] };
  const listeners = [];
  const picked = () => listeners.forEach((f) => f());

  async function loadTownships() {
    ctx.county = county.input.value;
    const keep = township.input.value;
    state.townships = (await get(`/v1/divisions/${county.input.value}/children`)).items.filter((d) => d.level === 'township');
    clear(township.input).append(...state.townships.map(optionFor));
    const again = state.townships.find((t) => t.code === keep && t.status !== 'retired');
    township.input.value = again ? keep : (active(state.townships)[0] || {}).code || '';
    await loadVillages();
  }
  async function loadVillages() {
    const keep = village.input.value;
    state.villages = township.input.value ? (await get(`/v1/divisions/${township.input.value}/children`)).items : [];
    clear(village.input).append(h('option', { value: '' }, '（不选：乡镇或街道本身）'), ...state.villages.map(optionFor));
    village.input.value = state.villages.some((v) => v.code === keep && v.status !== 'retired') ? keep : '';
    picked();
  }
  const failed = (f) => (e) => f.set(e.message);
  county.input.addEventListener('change', () => { township.input.value = ''; loadTownships().catch(failed(county)); });
  township.input.addEventListener('change', () => loadVillages().catch(failed(township)));
  village.input.addEventListener('change', picked);

  return {
    el: h('div', { class: 'filters' }, county.wrap, township.wrap, village.wrap),
    county, township, village, state,
    /** The division a change would be about: the village, else the township. */
    subject() {
      return state.villages.find((v) => v.code === village.input.value)
        || state.townships.find((t) => t.code === township.input.value) || null;
    },
    /** The field that names the subject, where a refusal of it is shown. */
    subjectField() { return village.input.value ? village : township; },
    reload: () => loadTownships(),
    onPick(f) { listeners.push(f); },
  };
}

/** The villages of the chosen township with their status; a retired one with its successor. */
let shown = 0;
async function showChildren(picker, out) {
  const n = ++shown;
  const t = picker.state.townships.find((x) => x.code === picker.township.input.value);
  if (!t) { clear(out); return; }
  const rows = await Promise.all(picker.state.villages.map(async (v) => h('tr', { dataset: { code: v.code, status: v.status } },
    h('td', {}, addressLink(v.code, v.name)), h('td', { class: 'mono' }, v.code), h('td', {}, divisionBadge(v)),
    h('td', {}, (await successorNote(v)) || (v.aliases.length ? `简称：${v.aliases.join('、')}` : '—')))));
  if (n !== shown) return; // a later pick is being shown
  clear(out).append(h('h3', {}, `${t.name}下辖村（社区）`),
    rows.length
      ? h('table', { class: 'villages' },
        h('thead', {}, h('tr', {}, ['名称', '代码', '状态', '说明'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows))
      : h('p', {}, '暂无下辖村（社区）。'));
}

/** The kinds of change, in the order a clerk thinks of them; merging stands alone. */
const KINDS = [
  ['name', '更名（含乡改镇、乡改街道）'],
  ['aliases', '改简称'],
  ['merge_into', '并入另一村（社区）或乡镇（街道）'],
  ['parent_code', '改隶（划归另一上级）'],
  ['new_code', '改代码'],
];

function proposeForm(picker, onProposed) {
  const box = messageBox();
  const subject = h('p', { class: 'subject', 'aria-live': 'polite' });
  const checks = Object.fromEntries(KINDS.map(([k]) => [k, h('input', { type: 'checkbox', name: 'what', value: k })]));
  const whatError = h('p', { class: 'field-error', id: 'what-err', 'aria-live': 'polite' });
  const what = {
    // The fieldset's own error line, for “choose at least one”.
    set(msg) { clear(whatError); if (msg) whatError.append(h('span', { 'aria-hidden': 'true' }, '⚠ '), '错误：', msg); },
    input: checks.name,
  };
  const name = field('新名称', input({ name: 'name' }), { hint: '如“××乡”改为“××镇”，填写完整的新名称。原名称保留为简称，旧地址照样能查到。' });
  const aliases = field('新的简称', input({ name: 'aliases' }), { hint: '多个简称用顿号或逗号分隔，替换原有简称；留空即取消全部简称。' });
  const mergeInto = field('并入到', select([], { name: 'merge_into' }), { hint: '同一上级下的同级区划。并入须单独申报，不能与其他事项同时申报。' });
  const parentCode = field('改隶到', select([], { name: 'parent_code' }));
  const newCode = field('新的区划代码', input({ name: 'new_code', inputmode: 'numeric', class: 'mono' }), { hint: '原代码撤销，不再使用；新代码须以上级区划代码开头。' });
  const reason = field('变更理由', textarea({ name: 'reason', rows: 2 }));
  const details = { name, aliases, merge_into: mergeInto, parent_code: parentCode, new_code: newCode };
  const fields = { ...details, what, reason, code: null };
  const submit = h('button', { type: 'submit', class: 'primary' }, '提交申报');
  const exclusive = h('p', { class: 'hint', 'aria-live': 'polite' });

  function sync() {
    for (const [k, f] of Object.entries(details)) f.wrap.hidden = !checks[k].checked;
  }
  for (const [k, c] of Object.entries(checks)) {
    c.addEventListener('change', () => {
      // A merger stands alone: choosing it clears the others, and the others clear it.
      const clearing = k === 'merge_into' ? KINDS.map(([x]) => x).filter((x) => x !== 'merge_into') : ['merge_into'];
      if (c.checked) {
        const dropped = clearing.filter((x) => checks[x].checked);
        dropped.forEach((x) => { checks[x].checked = false; });
        exclusive.textContent = dropped.length ? `并入须单独申报，已取消：${dropped.map((x) => KINDS.find(([y]) => y === x)[1]).join('、')}。` : '';
      }
      what.set(null);
      sync();
    });
  }

  function refreshSubject() {
    const d = picker.subject();
    clear(subject);
    for (const f of Object.values(details)) f.set(null);
    if (!d) { subject.append('请先选择乡镇（街道）或村（社区）。'); return; }
    subject.append('拟变更：', addressLink(d.code, d.name), `（${d.level === 'village' ? '村（社区）' : '乡镇（街道）'}，代码 ${d.code}${d.aliases.length ? `，简称：${d.aliases.join('、')}` : ''}）`);
    // Merge targets: active siblings; new parents: the level above, in the same county.
    const siblings = active(d.level === 'village' ? picker.state.villages : picker.state.townships).filter((x) => x.code !== d.code);
    clear(mergeInto.input).append(...siblings.map(optionFor));
    if (d.level === 'village') {
      const parents = active(picker.state.townships).filter((t) => t.code !== d.parent_code);
      clear(parentCode.input).append(...parents.map(optionFor));
    } else {
      countiesList().then((cs) => {
        clear(parentCode.input).append(...cs.filter((c) => c.code !== d.parent_code).map(optionFor));
      }).catch((e) => parentCode.set(e.message));
    }
    aliases.input.value = d.aliases.join('、');
  }
  picker.onPick(refreshSubject);

  const form = h('form', { class: 'card division-change', novalidate: true, 'aria-labelledby': 'dc-title' },
    h('h2', { id: 'dc-title' }, '申报区划变更'), box.el, subject,
    h('fieldset', { 'aria-describedby': 'what-err' }, h('legend', {}, '变更事项'),
      KINDS.map(([k, label]) => h('label', { class: 'radio' }, checks[k], ' ', label)), exclusive, whatError),
    Object.values(details).map((f) => f.wrap), reason.wrap, h('p', {}, submit));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = picker.subject();
    fields.code = picker.subjectField();
    for (const f of Object.values(fields)) f.set(null);
    box.clear();
    const body = bodyOf(d, checks, details, reason);
    const missing = check(d, checks, body, fields);
    if (missing) { box.error('请按标出的字段补充后再提交。'); missing.input.focus(); return; }
    busy(submit, async () => {
      try {
        const r = await post('/v1/names/division-changes', body);
        box.ok(`已申报：${d.name}${await describe(r)}，等待批准。`);
        for (const c of Object.values(checks)) c.checked = false;
        reason.input.value = '';
        name.input.value = '';
        newCode.input.value = '';
        exclusive.textContent = '';
        sync();
        await onProposed(r);
      } catch (err) {
        placeRefusal(err, fields, box, checks);
      }
    });
  });
  sync();
  return form;
}

function bodyOf(d, checks, details, reason) {
  const b = { code: d ? d.code : '' };
  const value = (k) => details[k].input.value.trim();
  if (checks.name.checked) b.name = value('name');
  if (checks.aliases.checked) b.aliases = value('aliases').split(/[、,，;；\s]+/).filter(Boolean);
  if (checks.merge_into.checked) b.merge_into = value('merge_into');
  if (checks.parent_code.checked) b.parent_code = value('parent_code');
  if (checks.new_code.checked) b.new_code = value('new_code');
  if (reason.input.value.trim()) b.reason = reason.input.value.trim();
  return b;
}

/** What the form can tell before asking: the first field left short, each marked. */
function check(d, checks, body, fields) {
  const short = [];
  const mark = (f, msg) => { f.set(msg); short.push(f); };
  if (!d) mark(fields.code, '请选择要变更的乡镇（街道）或村（社区）。');
  if (!Object.values(checks).some((c) => c.checked)) mark(fields.what, '请至少选择一项变更事项。');
  if (checks.name.checked && !body.name) mark(fields.name, '请填写新名称。');
  if (checks.merge_into.checked && !body.merge_into) mark(fields.merge_into, '没有可并入的同级区划。');
  if (checks.parent_code.checked && !body.parent_code) mark(fields.parent_code, '请选择新的上级区划。');
  if (checks.new_code.checked && !/^\d+$/.test(body.new_code || '')) mark(fields.new_code, '请填写数字组成的新代码。');
  return short[0] || null;
}

/**
 * The server's refusal at the field it concerns: rule violations at the new name (or at
 * the merger or move that brought the clash), a detail by what it names.
 */
function placeRefusal(err, fields, box, checks) {
  const vs = err.violations;
  let at = null;
  if (vs.length) {
    at = checks.merge_into.checked ? 'merge_into' : checks.name.checked ? 'name' : checks.parent_code.checked ? 'parent_code' : 'code';
    fields[at].set(vs.map((v) => h('span', { class: 'line' }, violationLine(v))));
  } else {
    at = fieldOfDetail(err.message);
    if (at && fields[at]) fields[at].set(err.message);
  }
  if (at && fields[at]) {
    box.error(vs.length ? err.message : '请按标出的字段修改后重试。');
    fields[at].input.focus();
  } else {
    box.error(err.message);
  }
}

/** Which field a refusal's detail is about, read from its words. */
function fieldOfDetail(text) {
  if (/至少给出/.test(text)) return 'what';
  if (/merge_into|并入/.test(text)) return 'merge_into';
  if (/new_code|新代码|代码不得重复/.test(text)) return 'new_code';
  if (/parent_code|上级|隶属/.test(text)) return 'parent_code';
  if (/新名称|名称/.test(text)) return 'name';
  if (/简称|aliases/.test(text)) return 'aliases';
  if (/区划代码|已撤销|不存在/.test(text)) return 'code';
  return null;
}
