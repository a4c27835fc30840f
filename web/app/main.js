// The app shell: sign-in with a token, what the menu offers by the token's role, and the
// hash router that shows each screen.

import { token, setToken, detectAbilities, ApiError } from './api.js';
import { h, clear, field, input, messageBox, ROLE, takeFlash } from './ui.js';
import { searchView } from './search.js';
import { addressView } from './address.js';
import { proposeView, proposalsView } from './naming.js';
import { divisionsView } from './divisions.js';
import { mapView, reportView, ordersView } from './plates.js';
import { certificateView, plateCertificateView } from './print.js';
import { setBasemap } from './map.js';
import { deskView, hasDesk } from './desk.js';

export const ctx = {
  abilities: null,
  get county() { return sessionStorage.getItem('menpai.county') || '422801'; },
  set county(c) { sessionStorage.setItem('menpai.county', c); },
};

const main = () => document.getElementById('main');

function signIn(reason) {
  const root = clear(main());
  const box = messageBox();
  const t = field('访问令牌', input({ type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false' }), {
    hint: '请粘贴管理员为您签发的令牌。令牌只保存在本浏览器标签页中，关闭标签页即失效。', required: true,
  });
  const btn = h('button', { type: 'submit', class: 'primary' }, '登录');
  const form = h('form', { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, '登录'), box.el, t.wrap, btn);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = t.input.value.trim();
    if (!value) { t.set('请填写令牌。'); t.input.focus(); return; }
    t.set(null);
    setToken(value);
    btn.disabled = true;
    try {
      ctx.abilities = await detectAbilities();
      renderChrome();
      // A bare address lands on the role's work; a link followed before signing in is kept.
      if (!location.hash || location.hash === '#/' || location.hash === '#') land();
      else route();
    } catch (err) {
      setToken('');
      t.set(err instanceof ApiError && err.status === 401 ? '令牌无效或已吊销，请核对后重试。' : err.message);
      t.input.focus();
    } finally {
      btn.disabled = false;
    }
  });
  if (reason) box.error(reason);
  root.append(form);
  t.input.focus();
}

/** Opens the desk for roles that have one (the hash change routes), search for the others. */
function land() {
  if (hasDesk(ctx.abilities) && location.hash !== '#/desk') location.hash = '#/desk';
  else route();
}

function renderChrome() {
  const nav = clear(document.getElementById('nav'));
  const who = clear(document.getElementById('who'));
  if (!ctx.abilities) return;
  const a = ctx.abilities;
  const items = [['#/', '查询'], ['#/map', '地图']];
  if (hasDesk(a)) items.unshift(['#/desk', '工作台']);
  if (a.naming) items.push(['#/names/new', '申报名称'], ['#/names/proposed', '待批名称']);
  // Every role reads the division changes; civil affairs also proposes and approves there.
  items.push(['#/divisions', '区划变更']);
  if (a.plates) items.push(['#/plates/report', '清理报告'], ['#/plates/orders', '门牌制作单']);
  nav.append(h('ul', {}, items.map(([href, text]) => h('li', {}, h('a', { href, dataset: { nav: href } }, text)))));
  who.append(h('span', { class: 'role', dataset: { role: a.role } }, `当前身份：${ROLE[a.role] || a.role}`),
    h('button', { type: 'button', class: 'link', onclick: () => { setToken(''); ctx.abilities = null; renderChrome(); location.hash = '#/'; signIn(); } }, '退出'));
  markNav();
}

function markNav() {
  const here = location.hash || '#/';
  for (const a of document.querySelectorAll('#nav a')) {
    const on = a.dataset.nav === '#/' ? here === '#/' || here.startsWith('#/search') : here.startsWith(a.dataset.nav);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

async function route() {
  if (!ctx.abilities) return;
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const root = clear(main());
  markNav();
  const page = h('div', { class: 'page' });
  root.append(page);
  const flash = takeFlash();
  if (flash) {
    const fb = messageBox();
    root.prepend(fb.el);
    fb.ok(flash);
  }
  try {
    if (!parts.length || parts[0] === 'search') await searchView(page, ctx, params);
    else if (parts[0] === 'desk') await deskView(page, ctx);
    else if (parts[0] === 'address' && parts[1]) await addressView(page, ctx, parts[1], params);
    else if (parts[0] === 'divisions') await divisionsView(page, ctx);
    else if (parts[0] === 'map') await mapView(page, ctx, params);
    else if (parts[0] === 'names' && parts[1] === 'new') await proposeView(page, ctx, params);
    else if (parts[0] === 'names' && parts[1] === 'proposed') await proposalsView(page, ctx);
    else if (parts[0] === 'plates' && parts[1] === 'report') await reportView(page, ctx, params);
    else if (parts[0] === 'plates' && parts[1] === 'orders') await ordersView(page, ctx, params);
    else if (parts[0] === 'print' && parts[1] === 'certificate' && parts[2]) await certificateView(page, ctx, parts[2]);
    else if (parts[0] === 'print' && parts[1] === 'plate' && parts[2]) await plateCertificateView(page, ctx, parts[2]);
    else page.append(h('h1', {}, '未找到该页面'), h('p', {}, h('a', { href: '#/' }, '返回查询')));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setToken('');
      ctx.abilities = null;
      renderChrome();
      signIn('令牌无效或已吊销，请重新登录。');
      return;
    }
    const box = messageBox();
    page.append(box.el);
    box.error(err.message || String(err));
  }
  const h1 = root.querySelector('h1');
  if (h1 && document.activeElement === document.body) h1.setAttribute('tabindex', '-1');
  document.title = `${h1 ? `${h1.textContent} · ` : ''}恩施州地名门牌登记`;
}

window.addEventListener('hashchange', route);

async function start() {
  // The optional base layer, from the server's configuration; the map works without it.
  try {
    const r = await fetch('/app/config.json');
    if (r.ok) setBasemap((await r.json()).basemap);
  } catch { /* no base layer */ }
  if (!token()) { signIn(); return; }
  try {
    ctx.abilities = await detectAbilities();
  } catch (err) {
    setToken('');
    signIn(err instanceof ApiError && err.status === 401 ? '令牌无效或已吊销，请重新登录。' : err.message);
    return;
  }
  renderChrome();
  if (!location.hash) land();
  else route();
}

start();
