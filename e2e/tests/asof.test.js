// A reader holds an old deed naming a street by the name it had: searched as of a day
// before the renaming, the address comes back as it stood then, labelled 截至 that day,
// with a way to today's. A date after today is refused at the date field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, signIn, TOKENS, shot, waitApi, api, streetId } from '../lib/helpers.js';

// The bundled data has no dated former names: 舞阳大街 of 恩施市 is renamed today, so
// yesterday (in China, where the register keeps its dates) it still had its old name.
const chinaDay = (offsetDays) => new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
const YESTERDAY = chinaDay(-1);
const TOMORROW = chinaDay(1);
const written = (iso) => { const [y, m, d] = iso.split('-').map(Number); return `${y}年${m}月${d}日`; };

let b;
let street;
before(async () => {
  b = await startBrowser();
  street = await streetId('舞阳大街');
  const r = await api('POST', `/v1/names/${street}/rename`, TOKENS.civil_affairs, { name: '硒都大街', document: '恩市政函〔2026〕41号', reason: 'e2e' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
});
after(async () => { await b.close(); });

test('a reader searches an old street name as of a day before its renaming', async () => {
  const page = await b.newPage();
  await signIn(page, TOKENS.reader, '查询');
  const q = page.getByRole('combobox', { name: '查找地址' });
  const date = page.getByLabel('按日期查询（可选）');

  // A day that has not come yet: said at the date field, nothing asked of the server.
  await q.fill('恩施市舞阳大街13号');
  await date.fill(TOMORROW);
  await page.getByRole('button', { name: '查找', exact: true }).click();
  const dateError = page.locator(`#${await date.getAttribute('id')}-err`);
  await dateError.getByText('日期不能晚于今天').waitFor();
  assert.equal(await date.getAttribute('aria-invalid'), 'true');

  // Yesterday: the street by its name then.
  await date.fill(YESTERDAY);
  const resolved = waitApi(page, 'GET', /^\/v1\/resolve$/);
  await page.getByRole('button', { name: '查找', exact: true }).click();
  const r = await resolved;
  assert.equal(new URL(r.url()).searchParams.get('at'), YESTERDAY);
  const body = await r.json();
  assert.equal(body.status, 'matched');
  const then = body.address.canonical;
  assert.match(then, /^湖北省恩施土家族苗族自治州恩施市.*舞阳大街13号$/);
  assert.ok(!(body.corrections || []).some((c) => c.kind === 'former_name'), 'the name was current then');

  const result = page.locator('article.result');
  await result.getByRole('heading', { name: `结果：完全匹配（截至 ${written(YESTERDAY)}）` }).waitFor();
  await result.locator('.asof', { hasText: `截至 ${written(YESTERDAY)}` }).waitFor();
  assert.equal(await date.inputValue(), YESTERDAY, 'the date stays in the field');
  await shot(page, '20-search-as-of');

  // The address page as it stood, and back to today's.
  await result.getByRole('link', { name: then }).click();
  await page.waitForURL(new RegExp(`#/address/${body.address.id}\\?at=${YESTERDAY}$`));
  await page.locator('h1', { hasText: then }).waitFor();
  await page.locator('.asof', { hasText: `截至 ${written(YESTERDAY)}` }).waitFor();
  assert.equal(await page.locator('table.history').getByText('硒都大街').count(), 0, 'the later name was not yet');
  await shot(page, '21-address-as-of');
  await page.getByRole('link', { name: '查看现状' }).click();
  await page.locator('h1', { hasText: then.replace('舞阳大街', '硒都大街') }).waitFor();
  assert.equal(await page.locator('.asof').count(), 0);
  await page.locator('table.history').getByText('恩市政函〔2026〕41号').waitFor();
  b.check();
});
