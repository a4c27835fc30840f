// A reader searches a former name and finds the current address; a reader sees no naming
// or issuing actions anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, signIn, TOKENS, shot, waitApi, api, streetId } from '../lib/helpers.js';

let b;
let renamed;
before(async () => {
  b = await startBrowser();
  // Setup through the API: 胜利街 of 恩施市 is renamed 书院街.
  renamed = await streetId('胜利街');
  const r = await api('POST', `/v1/names/${renamed}/rename`, TOKENS.civil_affairs, { name: '书院街', document: '恩市政函〔2026〕30号', reason: 'e2e' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
});
after(async () => { await b.close(); });

test('a reader searches a former name and finds the current address', async () => {
  const page = await b.newPage();
  await signIn(page, TOKENS.reader, '查询');
  const q = page.getByRole('combobox', { name: '查找地址' });
  await q.fill('恩施市胜利街');
  const resolved = waitApi(page, 'GET', /^\/v1\/resolve$/);
  await q.press('Enter');
  const r = await resolved;
  assert.equal(r.status(), 200);
  const body = await r.json();
  assert.equal(body.address.id, renamed);
  const result = page.locator('article.result');
  await result.getByRole('link', { name: '湖北省恩施土家族苗族自治州恩施市书院街' }).waitFor();
  await result.locator('[data-kind="former_name"]', { hasText: '胜利街' }).waitFor();
  await result.getByText('现行').waitFor();
  await shot(page, '08-search-former-name');
  await result.getByRole('link', { name: '湖北省恩施土家族苗族自治州恩施市书院街' }).click();
  await page.locator('h1', { hasText: '书院街' }).waitFor();
  // History keeps the former text with its end date and the renaming's document.
  const history = page.locator('table.history');
  await history.getByText('湖北省恩施土家族苗族自治州恩施市胜利街').waitFor();
  await history.getByText('恩市政函〔2026〕30号').waitFor();
  await page.locator('table.events tr[data-kind="name.renamed"]').waitFor();
  await shot(page, '09-address-page');
  b.check();
});

test('a reader searching a place elsewhere in China is told where it is', async () => {
  const page = await b.newPage();
  await signIn(page, TOKENS.reader, '查询');
  const q = page.getByRole('combobox', { name: '查找地址' });
  await q.fill('河南南阳宛城区工农路8号');
  const resolved = waitApi(page, 'GET', /^\/v1\/resolve$/);
  await q.press('Enter');
  const body = await (await resolved).json();
  assert.equal(body.status, 'not_found');
  assert.equal(body.outside.code, '411302');
  await page.locator('article.result p.outside', { hasText: '不在本登记范围：河南省南阳市宛城区' }).waitFor();
  b.check();
});

test('a reader sees no naming or issuing actions', async () => {
  const page = await b.newPage();
  await signIn(page, TOKENS.reader, '查询');
  for (const link of ['申报名称', '待批名称', '清理报告', '门牌制作单']) {
    assert.equal(await page.getByRole('link', { name: link }).count(), 0, `no “${link}” for a reader`);
  }
  const id = await streetId('航空大道');
  const base = page.url().split('#')[0];
  await page.goto(`${base}#/address/${id}`);
  await page.locator('h1', { hasText: '航空大道' }).waitFor();
  await page.locator('.diagram-svg').waitFor();
  for (const text of ['办理', '在地图上编门牌', '批准', '更名', '废止']) {
    assert.equal(await page.getByRole('button', { name: text }).count() + await page.getByRole('link', { name: text, exact: true }).count() + await page.getByRole('heading', { name: text, exact: true }).count(), 0, `no “${text}” for a reader`);
  }
  // A plate: no retiring, no buildings.
  const plate = page.locator('ul.children a').first();
  await plate.click();
  await page.locator('h1', { hasText: '号' }).waitFor();
  assert.equal(await page.getByRole('button', { name: /注销|登记/ }).count(), 0);
  // The map: viewing only.
  await page.goto(`${base}#/map?street=${id}&mode=issue`);
  await page.locator(`.main-map g.street.selected[data-id="${id}"]`).waitFor();
  assert.equal(await page.getByRole('radio', { name: /编门牌|编号方案/ }).count(), 0);
  assert.equal(await page.getByRole('button', { name: /确认编发|建议号码/ }).count(), 0);
  await shot(page, '10-reader-map');
  // The naming form is not offered.
  await page.goto(`${base}#/names/new`);
  await page.getByText('只有民政部门的令牌可以申报名称').waitFor();
  b.check();
});

test('a reader finds a street by its pinyin initials with the keyboard alone', async () => {
  const page = await b.newPage();
  await signIn(page, TOKENS.reader);
  const q = page.getByRole('combobox', { name: '查找地址' });
  const suggested = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/autocomplete' && new URL(r.url()).searchParams.get('q') === 'hkdd');
  await q.focus();
  await page.keyboard.type('hkdd');
  assert.equal((await suggested).status(), 200);
  const option = page.getByRole('option', { name: /恩施市航空大道/ });
  await option.waitFor();
  await shot(page, '14-autocomplete');
  await page.keyboard.press('ArrowDown');
  assert.equal(await q.getAttribute('aria-activedescendant'), await page.getByRole('option').first().getAttribute('id'));
  await page.keyboard.press('Enter');
  await page.locator('h1', { hasText: '湖北省恩施土家族苗族自治州恩施市航空大道' }).waitFor();
  b.check();
});
