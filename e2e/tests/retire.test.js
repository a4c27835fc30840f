// An officer retires a plate: picks its successor by the successor's address, confirms,
// and the page keeps what happened — status 已注销, the date, the reason, the history — and
// the door-plate certificate of the retired plate prints marked 作废.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, signIn, TOKENS, BASE, shot, waitApi, api, streetId, pdfText } from '../lib/helpers.js';

let b;
const squash = (t) => t.replace(/\s+/g, '');

before(async () => { b = await startBrowser(); });
after(async () => { await b.close(); });

/** Issues a plate on the street at `frac` of its first segment. */
async function issueOn(street, frac) {
  const g = (await api('GET', `/v1/addresses/${street}`, TOKENS.reader)).body.geometry;
  const c = g.type === 'LineString' ? g.coordinates : g.coordinates[0];
  const at = [c[0][0] + (c[1][0] - c[0][0]) * frac, c[0][1] + (c[1][1] - c[0][1]) * frac];
  const s = await api('POST', '/v1/plates/suggest', TOKENS.police, { thoroughfare_id: street, location: at });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  const p = await api('POST', '/v1/plates', TOKENS.police, { thoroughfare_id: street, location: at, township_code: s.body.township_code }, { 'Idempotency-Key': `e2e-retire-${frac}-${Date.now()}` });
  assert.equal(p.status, 201, JSON.stringify(p.body));
  return p.body;
}

test('an officer retires a plate with its successor found by address, and the page keeps why', async () => {
  const street = await streetId('施州大道');
  const old = await issueOn(street, 0.31);
  const next = await issueOn(street, 0.33);
  const page = await b.newPage();
  await signIn(page, TOKENS.police, '公安');
  await page.goto(`${BASE}/#/address/${old.id}`);
  await page.locator('h1', { hasText: old.canonical }).waitFor();

  const form = page.getByRole('form', { name: '注销门牌' });
  await form.getByLabel('注销理由').fill('房屋拆除，门址并入新门牌');
  // An address that is no plate is refused at the field, in words.
  await form.getByLabel('取代它的门牌（可选）').fill('火星大道1号');
  await form.getByRole('button', { name: '注销门牌' }).click();
  await form.getByText(/找不到“火星大道1号”这块门牌/).waitFor();
  // The successor by its address, as a clerk writes it.
  await form.getByLabel('取代它的门牌（可选）').fill(next.canonical.replace(/^湖北省恩施土家族苗族自治州/, ''));
  await form.getByRole('button', { name: '注销门牌' }).click();
  // Nothing is retired before the clerk confirms.
  const confirm = form.getByRole('button', { name: '确认注销' });
  await confirm.waitFor();
  await form.getByText(`由 ${next.canonical} 取代`).first().waitFor();
  assert.equal((await api('GET', `/v1/addresses/${old.id}`, TOKENS.reader)).body.status, 'issued');
  await shot(page, '21-retire-confirm');
  const retired = waitApi(page, 'POST', new RegExp(`^/v1/plates/${old.id}/retire$`));
  await confirm.click();
  assert.equal((await retired).status(), 200);

  // The page says 已注销 (as the log does), when, why and who, and keeps the history.
  await page.locator('.address-status', { hasText: '已注销' }).waitFor();
  await page.locator('.retired-reason', { hasText: '房屋拆除，门址并入新门牌' }).waitFor();
  await page.locator('.retired-on').waitFor();
  const successor = page.locator('dd', { hasText: next.canonical });
  await successor.first().waitFor();
  const history = page.locator('section', { hasText: '历次名称' }).locator('td', { hasText: old.canonical });
  assert.ok(await history.count() >= 1, 'the history keeps the retired text');
  await page.locator('table.events tr[data-kind="plate.retired"]', { hasText: '房屋拆除' }).waitFor();
  await shot(page, '22-plate-retired');

  // Its door-plate certificate prints marked 作废.
  await page.goto(`${BASE}/#/print/plate/${old.id}`);
  await page.locator('.plate-cert .void-mark').waitFor();
  const text = squash(await pdfText(page, 'plate-certificate-retired'));
  for (const want of ['作废', '已注销', old.canonical]) {
    assert.ok(text.includes(squash(want)), `the certificate of a retired plate says “${want}”:\n${text}`);
  }
  b.check();
});
