// Printable documents on A4: the address-change certificate (地址变更证明) that the
// register issues, and the door-plate certificate (门牌证) of one plate.

import { get } from './api.js';
import { h, fmtDate, today, LEVEL, statusWords } from './ui.js';
import { plateNumber, eventsFor } from './data.js';

/** The mark a printed document of a retired address bears, so that no one takes it for a
 * document of an address in use. */
function voidMark(status, level) {
  if (status !== 'retired') return null;
  return h('p', { class: 'void-mark', role: 'note' }, `作废：此地址已${statusWords(status, level).replace(/^已/, '')}`);
}

function printBar(back) {
  return h('p', { class: 'no-print actions' },
    h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, '打印'), ' ',
    h('a', { class: 'button', href: back }, '返回'));
}

export async function certificateView(page, ctx, id) {
  page.append(h('h1', { class: 'no-print' }, '地址变更证明'));
  const c = await get(`/v1/addresses/${encodeURIComponent(id)}/certificate`, { accept: 'application/json' });
  page.append(printBar(`#/address/${encodeURIComponent(id)}`));
  page.append(h('article', { class: 'printable certificate', dataset: { code: c.code } },
    h('h2', { class: 'doc-title' }, '地址变更证明'),
    voidMark(c.status, c.level),
    h('p', {}, '兹证明，地址编号 ', h('span', { class: 'mono' }, c.address_id), ' 的标准地址现为：'),
    h('p', { class: 'doc-current' }, h('strong', {}, c.current), `（${c.pinyin}），${LEVEL[c.level] || c.level}，状态：${statusWords(c.status, c.level)}。`),
    h('p', {}, '该地址在本登记册中的历次名称如下：'),
    h('table', { class: 'doc-table' },
      h('thead', {}, h('tr', {}, ['标准地址', '起', '止', '批准文号'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, (c.history || []).map((e) => h('tr', {},
        h('td', {}, e.canonical), h('td', {}, e.valid_from ? fmtDate(e.valid_from) : '—'), h('td', {}, e.valid_to ? fmtDate(e.valid_to) : '至今'), h('td', {}, e.document || '—'))))),
    h('p', {}, '本证明可凭验证码 ', h('strong', { class: 'mono verify-code' }, c.code), ' 向地名门牌登记机关查验。'),
    h('div', { class: 'sign' }, h('p', {}, c.authority), h('p', {}, fmtDate(c.issued_at)))));
}

export async function plateCertificateView(page, ctx, id) {
  page.append(h('h1', { class: 'no-print' }, '门牌证'));
  const a = await get(`/v1/addresses/${encodeURIComponent(id)}`);
  if (a.level !== 'plate') {
    page.append(h('p', {}, '只有门牌才有门牌证。'));
    return;
  }
  const n = plateNumber(a.canonical);
  const street = a.parent_id ? await get(`/v1/addresses/${encodeURIComponent(a.parent_id)}`).catch(() => null) : null;
  const loc = a.geometry && a.geometry.type === 'Point' ? a.geometry.coordinates : null;
  const events = await eventsFor(a.id).catch(() => []);
  const issuedEvent = events.find((e) => e.kind === 'plate.issued' || e.kind === 'plate.plan_issued' || e.kind === 'register.imported');
  const issued = (issuedEvent && issuedEvent.at) || (a.history && a.history[0] && a.history[0].valid_from) || null;
  const county = /^(湖北省恩施土家族苗族自治州)?(.+?[市县])/.exec(a.canonical);
  const authority = `${county ? county[2] : '恩施土家族苗族自治州'}公安局`;
  page.append(printBar(`#/address/${encodeURIComponent(id)}`));
  page.append(h('article', { class: 'printable plate-cert', dataset: { id: a.id } },
    h('h2', { class: 'doc-title' }, '门牌证'),
    voidMark(a.status, 'plate'),
    h('p', { class: 'plate-face', 'aria-label': `门牌号 ${n.number}号${n.sub ? `附${n.sub}号` : ''}` },
      h('span', { class: 'plate-street' }, street ? street.canonical.replace(/^.*?[市县]/, '') : ''),
      h('span', { class: 'plate-no' }, `${n.number ?? ''}号${n.sub ? `附${n.sub}号` : ''}`),
      h('span', { class: 'plate-pinyin', lang: 'zh-Latn-pinyin' }, a.pinyin)),
    h('table', { class: 'doc-table' }, h('tbody', {},
      h('tr', {}, h('th', { scope: 'row' }, '标准地址'), h('td', {}, a.canonical)),
      h('tr', {}, h('th', { scope: 'row' }, '汉语拼音'), h('td', { lang: 'zh-Latn-pinyin' }, a.pinyin)),
      h('tr', {}, h('th', { scope: 'row' }, '门牌号'), h('td', {}, `${n.number ?? ''}号${n.sub ? `附${n.sub}号` : ''}`)),
      h('tr', {}, h('th', { scope: 'row' }, '所在道路'), h('td', {}, street ? street.canonical : '—')),
      h('tr', {}, h('th', { scope: 'row' }, '位置（CGCS2000）'), h('td', { class: 'mono' }, loc ? `经度 ${loc[0].toFixed(6)}，纬度 ${loc[1].toFixed(6)}` : '—')),
      h('tr', {}, h('th', { scope: 'row' }, '状态'), h('td', {}, statusWords(a.status, 'plate'))),
      h('tr', {}, h('th', { scope: 'row' }, '编发日期'), h('td', {}, issued ? fmtDate(issued) : '—')),
      h('tr', {}, h('th', { scope: 'row' }, '地址编号'), h('td', { class: 'mono' }, a.id)))),
    h('p', {}, '此门牌经公安机关编制登记，为该处的法定地址，请妥善保管本证。'),
    h('div', { class: 'sign' }, h('p', {}, `${authority}（盖章）`), h('p', {}, fmtDate(today())))));
}
