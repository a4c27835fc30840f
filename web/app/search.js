// One search box that takes anything: free text goes to /v1/resolve; while typing, the
// autocomplete offers names (also by pinyin and initials). An optional date answers as the
// register stood at the end of that day, for an old deed that names a street as it was then.

import { get, qs } from './api.js';
import { suggestions } from './data.js';
import {
  h, clear, debounce, LEVEL, STATUS, statusBadge, addressLink, addressHref, messageBox, uid, field, fmtDate, today, asOfNote,
} from './ui.js';

const CORRECTION = {
  former_name: '曾用名', homophone: '同音字', completed_level: '补全上级区划', numeral: '数字写法', full_width: '全角字符',
  short_form: '简称', traditional: '繁体字', pinyin: '拼音', sub_number: '附号写法', noise: '去除无关文字',
};

/** A combobox: text field with a list of suggestions (arrow keys, Enter, Escape). */
export function searchBox({ value = '', at = '', onSubmit, label = '查找地址' }) {
  const id = uid('q');
  const listId = `${id}-list`;
  const inputEl = h('input', {
    id, type: 'search', name: 'q', value, autocomplete: 'off', spellcheck: 'false', role: 'combobox',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
    placeholder: '例如：恩施市航空大道12号、hangkong dadao、hkdd',
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'suggest', hidden: true, 'aria-label': '候选地址' });
  const hint = h('p', { class: 'hint', id: `${id}-hint` }, '可输入任意写法：完整或不完整的地址、曾用名、拼音或拼音首字母。');
  const note = h('p', { class: 'field-error', id: `${id}-err`, 'aria-live': 'polite' });
  inputEl.setAttribute('aria-describedby', `${id}-hint ${id}-err`);
  let items = [];
  let active = -1;
  let asked = 0;
  const close = () => { list.hidden = true; inputEl.setAttribute('aria-expanded', 'false'); inputEl.removeAttribute('aria-activedescendant'); active = -1; };
  const show = () => {
    clear(list);
    items.forEach((it, i) => {
      list.append(h('li', {
        id: `${listId}-${i}`, role: 'option', 'aria-selected': i === active ? 'true' : 'false', class: 'suggest-item', dataset: { id: it.id },
        onmousedown: (e) => { e.preventDefault(); choose(i); },
      }, h('span', { class: 'suggest-text' }, it.canonical), ' ', h('span', { class: 'suggest-meta' }, `${LEVEL[it.level] || it.level || ''} · ${STATUS[it.status] || it.status || ''}${it.current_name === false ? ' · 曾用名匹配' : ''}${it.pinyin && it.level !== 'division' ? ` · ${it.pinyin}` : ''}`)));
    });
    list.hidden = !items.length;
    inputEl.setAttribute('aria-expanded', items.length ? 'true' : 'false');
    if (active >= 0) inputEl.setAttribute('aria-activedescendant', `${listId}-${active}`);
  };
  const date = field('按日期查询（可选）', h('input', { type: 'date', name: 'at', value: at, max: today() }), {
    hint: '留空即按今天。填写日期，则按该日终了时的登记册作答，如旧契约、旧证件上写的地址。',
  });
  date.wrap.classList.add('asof-field');
  const choose = (i) => {
    const it = items[i];
    close();
    if (it) location.hash = addressHref(it.id, date.input.value);
  };
  const ask = debounce(async () => {
    const q = inputEl.value.trim();
    const n = ++asked;
    if (q.length < 1) { items = []; close(); return; }
    try {
      const got = await suggestions(q, 8);
      if (n !== asked) return;
      items = got; active = -1; show();
      note.textContent = '';
    } catch (e) {
      if (n === asked) { items = []; close(); note.textContent = `候选加载失败：${e.message}`; }
    }
  }, 200);
  inputEl.addEventListener('input', ask);
  inputEl.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && items.length) { e.preventDefault(); active = (active + 1) % items.length; show(); }
    else if (e.key === 'ArrowUp' && items.length) { e.preventDefault(); active = (active - 1 + items.length) % items.length; show(); }
    else if (e.key === 'Escape') { close(); }
    else if (e.key === 'Enter' && active >= 0 && !list.hidden) { e.preventDefault(); choose(active); }
  });
  inputEl.addEventListener('blur', () => setTimeout(close, 150));
  // Our own checks, in words at the field, rather than the browser's bubble (max=today).
  const form = h('form', { role: 'search', class: 'search', novalidate: true, onsubmit: (e) => { e.preventDefault(); close(); onSubmit(inputEl.value.trim(), date.input.value); } },
    h('label', { for: id, class: 'search-label' }, label),
    h('div', { class: 'search-row' }, h('div', { class: 'combo' }, inputEl, list), h('button', { type: 'submit', class: 'primary' }, '查找')),
    hint, note, date.wrap);
  return { form, input: inputEl, date };
}

export async function searchView(page, ctx, params) {
  const q = params.get('q') || '';
  const at = params.get('at') || '';
  page.append(h('h1', {}, '查找地址'));
  const box = searchBox({
    value: q,
    at,
    onSubmit: (text, day) => {
      // The browser's own check of a typed date leaves the field empty when it is not one.
      if (box.date.input.validity.badInput) { box.date.set('请填写完整的日期，或清空此项按今天查询。'); box.date.input.focus(); return; }
      if (day && day > today()) { box.date.set('日期不能晚于今天：登记册只能回答过去和现在。'); box.date.input.focus(); return; }
      box.date.set(null);
      if (text) location.hash = `#/search?q=${encodeURIComponent(text)}${day ? `&at=${day}` : ''}`;
    },
  });
  page.append(box.form);
  const results = h('section', { class: 'results', 'aria-live': 'polite', 'aria-label': '查找结果' });
  page.append(results);
  if (!q) {
    results.append(h('p', { class: 'hint' }, '结果显示标准地址、层级和状态；点开可看历史、下级地址、变更证明和变更记录。'));
    box.input.focus();
    return;
  }
  const msg = messageBox();
  results.append(msg.el);
  let r;
  try {
    r = await get(`/v1/resolve${qs({ q, at })}`);
  } catch (e) {
    // A date the server will not answer for (malformed, after today) is the date field's.
    if (at && /\bat\b|日期/.test(e.message)) { box.date.set(e.message); msg.error('请按标出的字段修改后重试。'); } else msg.error(e.message);
    return;
  }
  const card = h('article', { class: 'card result', dataset: { status: r.status } });
  card.append(h('h2', {}, `结果：${STATUS[r.status] || r.status}${at ? `（截至 ${fmtDate(at)}）` : ''}`));
  if (at) card.append(asOfNote(at));
  if (r.address) {
    let status = '';
    try { status = (await get(`/v1/addresses/${encodeURIComponent(r.address.id)}${qs({ at })}`)).status; } catch { /* shown without */ }
    card.append(h('p', { class: 'canonical' }, addressLink(r.address.id, r.address.canonical, at)),
      h('dl', { class: 'facts' },
        h('dt', {}, '层级'), h('dd', {}, LEVEL[r.address.level] || r.address.level),
        h('dt', {}, '状态'), h('dd', {}, status ? statusBadge(status) : '—'),
        h('dt', {}, '拼音'), h('dd', { lang: 'zh-Latn-pinyin' }, r.address.pinyin || '—'),
        h('dt', {}, '可信度'), h('dd', {}, `${Math.round((r.confidence || 0) * 100)}%`),
        h('dt', {}, '地址编号'), h('dd', { class: 'mono' }, r.address.id)));
  }
  if (r.unmatched) card.append(h('p', {}, `未能匹配的部分：“${r.unmatched}”`));
  const corr = (r.corrections || []).filter((c) => c.kind !== 'completed_level');
  if (corr.length) {
    card.append(h('h3', {}, '已作的更正'), h('ul', { class: 'corrections' }, corr.map((c) => h('li', { dataset: { kind: c.kind } },
      `${CORRECTION[c.kind] || c.kind}：“${c.from}” → “${c.to}”`, c.kind === 'former_name' ? '（曾用名，已更名为现名）' : ''))));
  }
  if (r.recognised && r.recognised.length) {
    card.append(h('p', { class: 'hint' }, `识别出的区划：${r.recognised.map((d) => d.name).join(' › ')}`));
  }
  if (r.candidates && r.candidates.length) {
    card.append(h('h3', {}, '可能的地址'), h('ul', {}, r.candidates.map((c) => h('li', {}, addressLink(c.id, c.canonical, at), ` （可信度 ${Math.round((c.confidence || 0) * 100)}%）`))));
  }
  // A place elsewhere in China: say where it is, not that the text was misspelt.
  if (r.outside) card.append(h('p', { class: 'outside' }, `不在本登记范围：${r.outside.chain.join('')}`));
  else if (r.status === 'not_found') card.append(h('p', {}, '登记册中没有找到这个地址。请检查写法，或只输入道路名称再试。'));
  results.append(card);
}
