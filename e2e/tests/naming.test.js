// A civil-affairs clerk proposes a clashing name and sees the violation at the field,
// then proposes a good one and draws its line on the map; another clerk approves it (the
// proposer may not).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, signIn, TOKENS, BASE, shot, waitApi, api } from '../lib/helpers.js';

let b;
before(async () => { b = await startBrowser(); });
after(async () => { await b.close(); });

test('a clerk sees a clashing name refused at the field, then proposes and approves a good one', async () => {
  const page = await b.newPage();
  await signIn(page, TOKENS.civil_affairs, '民政');
  await shot(page, '01-signed-in-clerk');
  await page.getByRole('link', { name: '申报名称' }).click();
  const county = page.getByLabel('所属县市');
  await county.waitFor();
  assert.equal(await county.inputValue(), '422801');
  // Wait until the county's streets are drawn.
  await page.locator('.map-svg g.street').first().waitFor();

  // 1. The clash, live as the name is typed.
  const name = page.getByLabel('拟用名称');
  const checked = waitApi(page, 'POST', /^\/v1\/names\/check$/);
  await name.fill('航空大道');
  assert.equal((await checked).status(), 200);
  const nameError = page.locator(`#${await name.getAttribute('id')}-err`);
  await assert.doesNotReject(nameError.getByText(/重名/).waitFor());
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  assert.ok(await nameError.getByRole('link', { name: '查看冲突记录' }).count() >= 1, 'the conflicting record is linked');

  // Draw the line: two clicks on the map.
  const svg = page.locator('.propose .map-svg');
  const box = await svg.boundingBox();
  await page.mouse.click(box.x + box.width * 0.30, box.y + box.height * 0.80);
  await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.85);
  const geometry = page.getByLabel('几何（GeoJSON）');
  const g = JSON.parse(await geometry.inputValue());
  assert.equal(g.type, 'LineString');
  assert.equal(g.coordinates.length, 2);

  // Submitting the clash anyway: the server refuses it, the words appear at the field.
  const refused = waitApi(page, 'POST', /^\/v1\/names$/);
  await page.getByRole('button', { name: '提交申报' }).click();
  const r1 = await refused;
  assert.equal(r1.status(), 422);
  await nameError.getByText(/重名/).waitFor();
  await page.getByRole('alert').getByText('未能完成').waitFor();
  // Nothing typed is lost.
  assert.equal(await name.inputValue(), '航空大道');
  assert.equal(JSON.parse(await geometry.inputValue()).coordinates.length, 2);
  await shot(page, '02-naming-violation');

  // 2. A good name.
  const ok = waitApi(page, 'POST', /^\/v1\/names\/check$/);
  await name.fill('金鹰路');
  await ok;
  await page.locator('#name-check [data-ok="true"]').waitFor();
  assert.equal(await nameError.innerText(), '');
  await page.getByLabel('地名命名评估报告文号').fill('恩市民政评〔2026〕7号');
  await page.getByLabel('专家论证意见文号').fill('恩市地名专〔2026〕3号');
  await page.getByLabel('征求社会公众意见报告文号').fill('恩市民政征〔2026〕5号');
  await page.getByLabel('命名理由及含义').fill('以金鹰广场得名');
  const proposed = waitApi(page, 'POST', /^\/v1\/names$/);
  await page.getByRole('button', { name: '提交申报' }).click();
  const r2 = await proposed;
  assert.equal(r2.status(), 201);
  const id = (await r2.json()).id;
  assert.match(id, /^thr_/);
  await page.waitForURL(new RegExp(`#/address/${id}$`));
  await page.locator('h1', { hasText: '湖北省恩施土家族苗族自治州恩施市金鹰路' }).waitFor();
  await page.locator('.address-status', { hasText: '拟用' }).waitFor();
  await page.getByText('恩市地名专〔2026〕3号').waitFor();

  // 3. The clerk who proposed it cannot approve it: the refusal says why, in words.
  await page.getByLabel('批准文号').fill('恩市政函〔2026〕21号');
  const own = waitApi(page, 'POST', new RegExp(`^/v1/names/${id}/approve$`));
  await page.getByRole('button', { name: '批准', exact: true }).click();
  assert.equal((await own).status(), 403);
  await page.getByText(/另一名经办人/).first().waitFor();
  await page.locator('.address-status', { hasText: '拟用' }).waitFor();

  // Another clerk approves it.
  const second = await b.newPage();
  await signIn(second, TOKENS.approver, '民政');
  await second.goto(`${BASE}/#/address/${id}`);
  await second.getByLabel('批准文号').fill('恩市政函〔2026〕21号');
  const approved = waitApi(second, 'POST', new RegExp(`^/v1/names/${id}/approve$`));
  await second.getByRole('button', { name: '批准', exact: true }).click();
  assert.equal((await approved).status(), 200);
  await second.locator('.address-status', { hasText: '现行' }).waitFor();
  await shot(second, '03-name-approved');

  const rec = await api('GET', `/v1/addresses/${id}`, TOKENS.reader);
  assert.equal(rec.body.status, 'active');
  assert.ok(BASE);
  b.check();
});

test('the list of proposals waiting shows a new proposal and approves it', async () => {
  const r = await api('POST', '/v1/names', TOKENS.civil_affairs, {
    kind: 'thoroughfare', name: '明月巷', county_code: '422801',
    geometry: { type: 'LineString', coordinates: [[109.46, 30.28], [109.465, 30.281]] },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  const page = await b.newPage();
  await signIn(page, TOKENS.approver);
  const listed = waitApi(page, 'GET', /^\/v1\/names$/);
  await page.getByRole('link', { name: '待批名称' }).click();
  await listed;
  const row = page.locator(`tr[data-id="${id}"]`);
  await row.waitFor();
  await row.getByLabel('“明月巷”的批准文号').fill('恩市政函〔2026〕22号');
  const approved = waitApi(page, 'POST', new RegExp(`^/v1/names/${id}/approve$`));
  await row.getByRole('button', { name: '批准' }).click();
  assert.equal((await approved).status(), 200);
  await row.getByText('已批准').waitFor();
  await shot(page, '04-proposals-waiting');
  b.check();
});

test('another clerk returns a proposal with its reason, and the page says so', async () => {
  const r = await api('POST', '/v1/names', TOKENS.civil_affairs, {
    kind: 'thoroughfare', name: '清风巷', county_code: '422801',
    geometry: { type: 'LineString', coordinates: [[109.461, 30.283], [109.466, 30.284]] },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  const page = await b.newPage();
  await signIn(page, TOKENS.approver);
  await page.goto(`${BASE}/#/address/${id}`);
  const form = page.getByRole('form', { name: '退回申报' });
  await form.getByLabel('退回理由').fill('与规划道路名称重复，请另拟');
  const returned = waitApi(page, 'POST', new RegExp(`^/v1/names/${id}/return$`));
  await form.getByRole('button', { name: '退回（不予批准）' }).click();
  assert.equal((await returned).status(), 200);
  await page.locator('.address-status', { hasText: '已退回' }).waitFor();
  await page.locator('.return-reason', { hasText: '与规划道路名称重复，请另拟' }).waitFor();
  await page.locator('table.events tr[data-kind="name.returned"]', { hasText: '请另拟' }).waitFor();
  await shot(page, '04b-proposal-returned');
  b.check();
});
