// A street's numbering diagram: the street as an arrow in its numbering direction, odd
// plates on the left (above), even on the right (below), in order; gaps in each parity as
// dashed empty slots, sub-numbers stacked on their base number, and the problems of the
// clean-up report marked with ⚠ and listed in words. Plates just issued on the map's
// workbench (fresh) are filled as on the map, so the officer finds them.

import { h, s } from './ui.js';

const SLOT = 40; // px per pair of numbers

export function numberingDiagram(street, plates, findings = []) {
  const onStreet = plates.filter((p) => p.number != null);
  const problems = new Map();
  for (const f of findings) {
    if (!f.plate_id) continue;
    if (!problems.has(f.plate_id)) problems.set(f.plate_id, []);
    problems.get(f.plate_id).push(f);
  }
  const wrap = h('figure', { class: 'diagram' });
  const caption = h('figcaption', {}, `${street.name || ''} 编号示意：箭头为编号方向，上方为左侧单号，下方为右侧双号；虚线框为空号，小字为附号，⚠ 为清理报告指出的问题。`);
  if (!onStreet.length) {
    wrap.append(caption, h('p', {}, '这条道路上还没有门牌。'));
    return wrap;
  }
  const max = Math.max(...onStreet.map((p) => p.number));
  const slots = Math.ceil((max + 1) / 2) + 1;
  const width = Math.max(600, slots * SLOT + 80);
  const byBase = new Map();
  for (const p of onStreet) {
    const k = p.number;
    if (!byBase.has(k)) byBase.set(k, []);
    byBase.get(k).push(p);
  }
  for (const list of byBase.values()) list.sort((a, b) => (a.sub ?? 0) - (b.sub ?? 0));
  const maxStack = Math.max(...[...byBase.values()].map((l) => l.length));
  const rowH = 26;
  const mid = 40 + maxStack * rowH + 20;
  const height = mid * 2;
  const svg = s('svg', { class: 'diagram-svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${street.name || ''}门牌编号示意图，共 ${onStreet.length} 块门牌` });
  const xOf = (n) => 40 + Math.floor((n - 1) / 2) * SLOT + SLOT / 2;
  svg.append(
    s('line', { x1: 20, y1: mid, x2: width - 30, y2: mid, class: 'diagram-street' }),
    s('path', { d: `M${width - 30},${mid - 8} L${width - 12},${mid} L${width - 30},${mid + 8} z`, class: 'diagram-arrow' }),
    s('text', { x: 22, y: mid - 8, class: 'diagram-side' }, '左侧 · 单号'),
    s('text', { x: 22, y: mid + 18, class: 'diagram-side' }, '右侧 · 双号'),
  );
  // Gaps: numbers of each parity between the lowest and highest used that are missing.
  for (const parity of [1, 0]) {
    const used = onStreet.filter((p) => p.number % 2 === parity).map((p) => p.number);
    if (!used.length) continue;
    const lo = Math.min(...used);
    const hi = Math.max(...used);
    for (let n = lo; n <= hi; n += 2) {
      if (byBase.has(n)) continue;
      const y = parity ? mid - 14 - rowH : mid + 14;
      svg.append(s('g', { class: 'slot gap', dataset: { number: n } },
        s('title', {}, `${n}号 空号`),
        s('rect', { x: xOf(n) - 16, y, width: 32, height: rowH - 4, class: 'gap-box' }),
        s('text', { x: xOf(n), y: y + 16, class: 'gap-text' }, String(n))));
    }
  }
  for (const [n, list] of byBase) {
    const odd = n % 2 === 1;
    list.forEach((p, i) => {
      const y = odd ? mid - 14 - rowH * (i + 1) : mid + 14 + rowH * i;
      const probs = problems.get(p.id) || [];
      const label = p.sub ? `${n}附${p.sub}` : String(n);
      const cls = ['slot', p.status === 'retired' ? 'retired' : '', probs.length ? 'problem' : '', p.sub ? 'sub' : '', p.fresh ? 'fresh' : ''].join(' ');
      const a = s('a', { href: `#/address/${encodeURIComponent(p.id)}`, class: cls, dataset: { id: p.id, number: label } },
        s('title', {}, `${p.canonical || label}${p.status === 'retired' ? '（已注销）' : ''}${probs.length ? `；问题：${probs.map((f) => f.message).join('；')}` : ''}`),
        s('rect', { x: xOf(n) - 17, y, width: 34, height: rowH - 4, class: 'slot-box' }),
        s('text', { x: xOf(n), y: y + 16, class: p.sub ? 'slot-text small' : 'slot-text' }, (probs.length ? '⚠' : '') + label + (p.status === 'retired' ? '✕' : '')));
      svg.append(a);
    });
  }
  const scroller = h('div', { class: 'diagram-scroll', tabindex: '0', 'aria-label': '编号示意图（可横向滚动）' }, svg);
  wrap.append(caption, scroller);
  const listed = findings.filter((f) => !f.plate_id || onStreet.some((p) => p.id === f.plate_id));
  if (listed.length) {
    wrap.append(h('div', { class: 'problems' }, h('h3', {}, `清理报告指出的问题（${listed.length}）`),
      h('ul', {}, listed.map((f) => h('li', {}, h('span', { 'aria-hidden': 'true' }, '⚠ '), f.plate ? `${f.plate}：` : '', f.message)))));
  }
  return wrap;
}
