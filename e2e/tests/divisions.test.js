// A civil-affairs clerk picks a village by browsing down from the county, sees a clashing
// new name refused at the field, proposes merging the village into its neighbour and
// approves it: the page shows the addresses re-texted, and the merged village as 已撤销.
// A reader then sees the same lists and the retired village, with nothing to change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, signIn, TOKENS, shot, waitApi, api } from '../lib/helpers.js';

// 利川市东城街道: 白鹊山村 (its 向家湾 and the plates there) merges into 交椅台村.
const COUNTY = '422802';
const TOWNSHIP = '422802002';
const MERGED = '422802002207';
const INTO = '422802002206';

let b;
before(async () => { b = await startBrowser(); });
after(async () => { await b.close(); });

test('a clerk proposes merging one village into another and approves it', async () => {
  const page = await b.newPage();
  await signIn(page, TOKENS.civil_affairs, '民政');
  await page.getByRole('link', { name: '区划变更' }).click();
  await page.locator('h1', { hasText: '区划变更' }).waitFor();

  // Browse down: county, township, village.
  const township = page.getByLabel('乡镇（街道）', { exact: true });
  const village = page.getByLabel('村（社区）', { exact: true });
  await page.getByLabel('县市', { exact: true }).selectOption(COUNTY);
  await page.locator(`select[name="township"] option[value="${TOWNSHIP}"]`).waitFor({ state: 'attached' });
  await township.selectOption(TOWNSHIP);
  await page.locator(`select[name="village"] option[value="${MERGED}"]`).waitFor({ state: 'attached' });
  await village.selectOption(MERGED);
  await page.locator('.subject', { hasText: '白鹊山村' }).waitFor();
  await page.locator(`table.villages tr[data-code="${MERGED}"]`, { hasText: '现行' }).waitFor();

  // 1. A new name its neighbour already has: refused, the words at the field.
  await page.getByLabel('更名（含乡改镇、乡改街道）').check();
  const newName = page.getByLabel('新名称', { exact: true });
  await newName.fill('交椅台村');
  const refused = waitApi(page, 'POST', /^\/v1\/names\/division-changes$/);
  await page.getByRole('button', { name: '提交申报' }).click();
  assert.equal((await refused).status(), 422);
  const nameError = page.locator(`#${await newName.getAttribute('id')}-err`);
  await nameError.getByText(/重名/).waitFor();
  assert.equal(await newName.getAttribute('aria-invalid'), 'true');
  assert.ok(await nameError.getByRole('link', { name: '查看冲突记录' }).count() >= 1, 'the clashing village is linked');
  await page.getByRole('alert').getByText('未能完成').waitFor();
  await shot(page, '17-division-change-refused');

  // 2. The merger: it stands alone, so choosing it clears the renaming.
  await page.getByLabel('并入另一村（社区）或乡镇（街道）').check();
  assert.equal(await page.getByLabel('更名（含乡改镇、乡改街道）').isChecked(), false);
  await page.getByText('并入须单独申报，已取消：更名').waitFor();
  await page.getByLabel('并入到', { exact: true }).selectOption(INTO);
  await page.getByLabel('变更理由').fill('两村合并，村委会驻交椅台');
  const proposed = waitApi(page, 'POST', /^\/v1\/names\/division-changes$/);
  await page.getByRole('button', { name: '提交申报' }).click();
  const r1 = await proposed;
  assert.equal(r1.status(), 201);
  const change = await r1.json();
  assert.equal(change.status, 'proposed');
  assert.equal(change.merge_into, INTO);
  await page.getByRole('status').getByText('已申报：白鹊山村并入交椅台村').waitFor();

  // 3. Waiting; approved with its document.
  const row = page.locator(`table.division-changes tr[data-id="${change.id}"]`);
  await row.getByText('并入交椅台村（422802002206）').waitFor();
  await row.getByLabel('“白鹊山村”变更的批准文号').fill('鄂政函〔2026〕35号');
  const approved = waitApi(page, 'POST', new RegExp(`^/v1/names/division-changes/${change.id}/approve$`));
  await row.getByRole('button', { name: '批准' }).click();
  const r2 = await approved;
  assert.equal(r2.status(), 200);
  const view = await r2.json();
  const retexted = view.changed.filter((c) => c.old && c.new);
  assert.ok(retexted.length >= 2, 'the locality and its plates take new texts');

  const result = page.locator('.approved-change');
  await result.getByText(`共 ${retexted.length} 个地址的标准地址随之改变`).waitFor();
  const examples = result.locator('table.retexted-examples tbody tr');
  assert.equal(await examples.count(), Math.min(5, retexted.length));
  const first = await examples.first().locator('td').allInnerTexts();
  assert.match(first[0], /白鹊山村/);
  assert.match(first[1], /交椅台村/);
  assert.doesNotMatch(first[1], /白鹊山村/);
  await result.getByText('鄂政函〔2026〕35号').waitFor();

  // The merged village: 已撤销, with its successor; no longer pickable.
  const merged = page.locator(`table.villages tr[data-code="${MERGED}"]`);
  await merged.getByText('已撤销').waitFor();
  await merged.locator('.successor', { hasText: '并入交椅台村' }).waitFor();
  assert.equal(await page.locator(`select[name="village"] option[value="${MERGED}"]`).isDisabled(), true);
  await page.locator(`table.division-changes tr[data-id="${change.id}"]`, { hasText: '鄂政函〔2026〕35号' }).waitFor();
  assert.equal(await page.locator(`table.division-changes tr[data-id="${change.id}"] form`).count(), 0, 'no longer waiting');
  await shot(page, '18-division-change-approved');

  // The register agrees.
  const d = await api('GET', `/v1/divisions/${MERGED}`, TOKENS.reader);
  assert.equal(d.body.status, 'retired');
  assert.equal(d.body.replaced_by, INTO);
  b.check();
});

test('a reader sees the changes and the retired village, and nothing to change', async () => {
  const page = await b.newPage();
  await signIn(page, TOKENS.reader, '查询');
  await page.getByRole('link', { name: '区划变更' }).click();
  await page.getByText('已批准的区划变更').waitFor();
  assert.equal(await page.getByRole('button', { name: '提交申报' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: '批准' }).count(), 0);
  await page.locator('table.division-changes', { hasText: '鄂政函〔2026〕35号' }).waitFor();

  await page.getByLabel('县市', { exact: true }).selectOption(COUNTY);
  await page.locator(`select[name="township"] option[value="${TOWNSHIP}"]`).waitFor({ state: 'attached' });
  await page.getByLabel('乡镇（街道）', { exact: true }).selectOption(TOWNSHIP);
  const merged = page.locator(`table.villages tr[data-code="${MERGED}"]`);
  await merged.getByText('已撤销').waitFor();

  // Its page: 已撤销, and where it went.
  await merged.getByRole('link', { name: '白鹊山村' }).click();
  await page.locator('h1', { hasText: '白鹊山村' }).waitFor();
  await page.locator('.address-status', { hasText: '已撤销' }).waitFor();
  await page.locator('.successor-of', { hasText: '并入交椅台村' }).waitFor();
  await shot(page, '19-retired-village');
  b.check();
});
