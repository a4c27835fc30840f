// Each role lands on its desk (工作台) after signing in, with counts that match what the API
// lists; the administrator issues a token on the desk, sees it listed and revokes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, signIn, TOKENS, BASE, shot, waitApi, api, streetId, todayInChina } from '../lib/helpers.js';

let b;
before(async () => { b = await startBrowser(); });
after(async () => { await b.close(); });

/** Every name the listing gives for these filters, all pages. */
async function names(query) {
  const items = [];
  let after = '';
  do {
    const r = await api('GET', `/v1/names?${query}&limit=1000${after ? `&after=${after}` : ''}`, TOKENS.reader);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    items.push(...r.body.items);
    after = r.body.next_after || '';
  } while (after);
  return items;
}

/** The desk after signing in: the hash, the heading and the 工作台 menu item. */
async function assertOnDesk(page) {
  await page.locator('h1', { hasText: '工作台' }).waitFor();
  assert.equal(new URL(page.url()).hash, '#/desk');
  assert.equal(await page.getByRole('link', { name: '工作台' }).getAttribute('aria-current'), 'page');
  // Search stays one click away.
  await page.getByRole('link', { name: '查询', exact: true }).waitFor();
}

/** The loaded count of a desk section. */
async function count(page, name) {
  const el = page.locator(`[data-count="${name}"]:not([aria-busy])`);
  await el.waitFor();
  return el.innerText();
}

function days(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

test('civil affairs lands on the desk with proposals waiting and names to announce', async () => {
  const line = (x, y) => ({ type: 'LineString', coordinates: [[x, y], [x + 0.004, y + 0.001]] });
  const waiting = await api('POST', '/v1/names', TOKENS.civil_affairs, { kind: 'thoroughfare', name: '桂香巷', county_code: '422801', geometry: line(109.452, 30.262) });
  assert.equal(waiting.status, 201, JSON.stringify(waiting.body));
  const toAnnounce = await api('POST', '/v1/names', TOKENS.civil_affairs, { kind: 'thoroughfare', name: '荷韵巷', county_code: '422801', geometry: line(109.456, 30.266) });
  assert.equal(toAnnounce.status, 201, JSON.stringify(toAnnounce.body));
  const approved = await api('POST', `/v1/names/${toAnnounce.body.id}/approve`, TOKENS.approver, { document: '恩市政函〔2026〕40号' });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const proposed = await names('status=proposed');
  const unannounced = await names('status=active&announced=false');
  assert.ok(proposed.some((n) => n.id === waiting.body.id));
  assert.ok(unannounced.some((n) => n.id === toAnnounce.body.id));

  const page = await b.newPage();
  await signIn(page, TOKENS.civil_affairs, '民政');
  await assertOnDesk(page);
  for (const title of ['等待批准的名称', '已批准、待公告的名称', '不符合命名规则的存量名称']) {
    await page.getByRole('heading', { name: title }).waitFor();
  }
  assert.equal(await count(page, 'proposed'), String(proposed.length));
  assert.equal(await count(page, 'unannounced'), String(unannounced.length));
  // Nothing in the API lists legacy names breaking the rules: the desk says so, not “0”.
  assert.equal(await count(page, 'legacy'), '—');
  await page.locator('[data-section="legacy"]').getByText('还没有列出这类名称的接口').waitFor();
  const waitingSection = page.locator('[data-section="proposed"]');
  await waitingSection.getByRole('link', { name: '查看全部并逐条批准' }).waitFor();
  await shot(page, 'desk-civil-affairs');
  // The short list links each name to its page, where it is announced.
  await page.locator('[data-section="unannounced"]').locator(`li[data-id="${toAnnounce.body.id}"]`).getByRole('link', { name: '荷韵巷' }).click();
  await page.locator('h1', { hasText: '荷韵巷' }).waitFor();
  b.check();
});

test('police land on the desk with plates to make and the clean-up findings of the county', async () => {
  const street = await streetId('土司路');
  const g = (await api('GET', `/v1/addresses/${street}`, TOKENS.reader)).body.geometry;
  const c = g.type === 'LineString' ? g.coordinates : g.coordinates[0];
  const at = [(c[0][0] + c[1][0]) / 2, (c[0][1] + c[1][1]) / 2];
  const sug = await api('POST', '/v1/plates/suggest', TOKENS.police, { thoroughfare_id: street, location: at });
  assert.equal(sug.status, 200, JSON.stringify(sug.body));
  const plate = await api('POST', '/v1/plates', TOKENS.police, { thoroughfare_id: street, location: at, township_code: sug.body.township_code }, { 'Idempotency-Key': `e2e-desk-${Date.now()}` });
  assert.equal(plate.status, 201, JSON.stringify(plate.body));
  const to = todayInChina();
  const orders = await api('GET', `/v1/plates/orders?from=${days(to, -6)}&to=${to}&county_code=422801`, TOKENS.police);
  assert.equal(orders.status, 200, JSON.stringify(orders.body));
  assert.ok(orders.body.items.some((p) => p.id === plate.body.id));
  const report = await api('GET', '/v1/plates/report?county_code=422801', TOKENS.police);
  assert.equal(report.status, 200);

  const page = await b.newPage();
  await signIn(page, TOKENS.police, '公安');
  await assertOnDesk(page);
  assert.equal(await page.getByLabel('县市').inputValue(), '422801');
  await page.getByRole('heading', { name: /待制作的门牌（恩施市/ }).waitFor();
  await page.getByRole('heading', { name: /门牌清理问题（恩施市）/ }).waitFor();
  assert.equal(await count(page, 'orders'), String(orders.body.items.length));
  assert.equal(await count(page, 'findings'), String(report.body.findings.length));
  await page.locator('[data-section="orders"]').getByRole('link', { name: plate.body.canonical }).waitFor();
  await shot(page, 'desk-police');
  // The order of the period opens from the desk, already made.
  await page.locator('[data-section="orders"]').getByRole('link', { name: /的制作单并打印$/ }).click();
  await page.locator(`.order-table tr[data-id="${plate.body.id}"]`).waitFor();
  b.check();
});

test('the administrator issues a token on the desk, sees it listed and in the audit log, and revokes it', async () => {
  const before = await api('GET', '/v1/tokens', TOKENS.admin);
  assert.equal(before.status, 200);
  const active = (items) => items.filter((t) => !t.revoked_at && !(t.expires_at && Date.parse(t.expires_at) <= Date.now())).length;

  const page = await b.newPage();
  await signIn(page, TOKENS.admin, '管理员');
  await assertOnDesk(page);
  for (const title of ['访问令牌', '审计日志', '导入记录', '命名词表']) {
    await page.getByRole('heading', { name: title, exact: true }).waitFor();
  }
  assert.equal(await count(page, 'tokens'), String(active(before.body.items)));
  const audit = await api('GET', '/v1/audit?limit=1000', TOKENS.admin);
  assert.equal(await count(page, 'audit'), String(audit.body.items.length));
  await shot(page, 'desk-admin');

  // A wrong expiry is refused at its field, before any request.
  const form = page.locator('form.token-form');
  await form.getByLabel('角色').selectOption('police');
  await form.getByLabel('标签').fill('恩施市公安局桌面测试');
  await form.getByLabel('范围').fill('422801');
  await form.getByLabel('有效期至').fill('2026年2月30日');
  await form.getByRole('button', { name: '创建令牌' }).click();
  const expiry = form.getByLabel('有效期至');
  assert.equal(await expiry.getAttribute('aria-invalid'), 'true');
  await page.locator(`#${await expiry.getAttribute('id')}-err`).getByText('有效期').waitFor();

  // Issued: the secret is shown once, and the token is listed.
  await expiry.fill(days(todayInChina(), 30));
  const created = waitApi(page, 'POST', /^\/v1\/tokens$/);
  await form.getByRole('button', { name: '创建令牌' }).click();
  const r = await created;
  assert.equal(r.status(), 201);
  const token = await r.json();
  const secret = page.getByLabel('新令牌', { exact: true });
  await secret.waitFor();
  assert.equal(await secret.inputValue(), token.token);
  assert.equal((await api('GET', '/v1/divisions/422800', token.token)).status, 200, 'the new token works');
  const row = page.locator(`table.tokens tr[data-id="${token.id}"]`);
  await row.getByText('恩施市公安局桌面测试').waitFor();
  await row.getByText('公安（门牌）').waitFor();
  await row.getByText('恩施市（422801）').waitFor();
  await row.getByText('从未使用').waitFor();
  assert.equal(await count(page, 'tokens'), String(active(before.body.items) + 1));
  // The audit log shows it first.
  await page.locator(`table.audit tbody tr[data-action="token.create"]`).first().waitFor();
  assert.equal(await page.locator('table.audit tbody tr').first().getAttribute('data-action'), 'token.create');
  await page.locator('table.audit tbody tr').first().getByText('创建令牌').waitFor();
  await shot(page, 'desk-admin-token-created');

  // Revoked after a confirmation in place; cancelling first changes nothing.
  await row.getByRole('button', { name: '吊销' }).click();
  await row.getByRole('button', { name: '取消' }).click();
  assert.equal(await row.getAttribute('data-state'), 'active');
  await row.getByRole('button', { name: '吊销' }).click();
  const revoked = waitApi(page, 'POST', new RegExp(`^/v1/tokens/${token.id}/revoke$`));
  await row.getByRole('button', { name: '确认吊销' }).click();
  assert.equal((await revoked).status(), 200);
  await page.locator(`table.tokens tr[data-id="${token.id}"][data-state="revoked"]`).getByText('已吊销').waitFor();
  assert.equal((await api('GET', '/v1/divisions/422800', token.token)).status, 401, 'the revoked token no longer works');
  await page.getByRole('status').getByText('已吊销“恩施市公安局桌面测试”的令牌').waitFor();
  await page.locator('table.audit tbody tr').first().getByText('吊销令牌').waitFor();
  assert.ok(BASE);
  b.check();
});

test('the administrator adds a word to a naming rule on the desk', async () => {
  const page = await b.newPage();
  await signIn(page, TOKENS.admin);
  await assertOnDesk(page);
  const form = page.locator('form.word-form');
  // Missing choices are named at their fields.
  await form.getByRole('button', { name: '加入词表' }).click();
  assert.equal(await form.getByLabel('词表').getAttribute('aria-invalid'), 'true');
  assert.equal(await form.getByLabel('词语').getAttribute('aria-invalid'), 'true');
  await form.getByLabel('词表').selectOption('reserved_word');
  await form.getByLabel('词语').fill('桌面测试词');
  await form.getByLabel('说明').fill('e2e');
  const added = waitApi(page, 'POST', /^\/v1\/names\/words$/);
  await form.getByRole('button', { name: '加入词表' }).click();
  assert.equal((await added).status(), 201);
  await page.locator('.word-rule[data-rule="reserved_word"] tr[data-word="桌面测试词"]').waitFor();
  // The same word again: the server's refusal is shown at the word.
  await form.getByLabel('词表').selectOption('reserved_word');
  await form.getByLabel('词语').fill('桌面测试词');
  const again = waitApi(page, 'POST', /^\/v1\/names\/words$/);
  await form.getByRole('button', { name: '加入词表' }).click();
  assert.equal((await again).status(), 409);
  // The refusal is drawn after the answer arrives: wait for it rather than race it.
  await form.getByLabel('词语').and(page.locator('[aria-invalid="true"]')).waitFor();
  b.check();
});
