// A police officer clicks a doorway on the map, sees the suggested number in a popup at the
// click, confirms, and sees the plate on the map and in the diagram at once; a double click on
// confirm issues one plate. The keyboard works the popup too, and a refusal is put in words.
// A plan's results stay in view, and its done button goes. All at 1366×768, where the
// sidebar's own scroll area used to hide what followed a click.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, signIn, TOKENS, shot, waitApi, api, streetId, seenWhole } from '../lib/helpers.js';

let b;
before(async () => { b = await startBrowser(); });
after(async () => { await b.close(); });

/** Screen point at a fraction of a street's drawn line, nudged off the line by `off` px. */
async function pointOnStreet(page, id, frac, off) {
  return page.evaluate(([id, frac, off]) => {
    const path = document.querySelector(`.main-map g.street[data-id="${id}"] path.street-line`);
    const len = path.getTotalLength();
    const p = path.getPointAtLength(len * frac);
    const q = path.getPointAtLength(Math.min(len, len * frac + 1));
    const ctm = path.getScreenCTM();
    const pt = path.ownerSVGElement.createSVGPoint();
    // Perpendicular offset in SVG units (the map's units are pixels of its viewBox).
    const dx = q.x - p.x; const dy = q.y - p.y; const n = Math.hypot(dx, dy) || 1;
    pt.x = p.x - (dy / n) * off; pt.y = p.y + (dx / n) * off;
    const s = pt.matrixTransform(ctm);
    return { x: s.x, y: s.y };
  }, [id, frac, off]);
}

/** Fails unless the element is wholly seen (in the window, not clipped by a scroll area). */
async function assertSeen(locator, what) {
  const v = await seenWhole(locator);
  assert.ok(v.seen, `${what} is wholly visible at 1366×768 (rect ${JSON.stringify(v.rect)}, clipped by ${v.clippedBy})`);
}

async function issuedSince(seq) {
  const r = await api('GET', `/v1/events?after=${seq}&limit=1000`, TOKENS.reader);
  return r.body.events.filter((e) => e.kind === 'plate.issued');
}

test('an officer issues a plate from a popup at the click on the map, and a double click issues one plate', async () => {
  const id = await streetId('航空大道');
  const page = await b.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, TOKENS.police, '公安');
  assert.equal(await page.getByRole('link', { name: '申报名称' }).count(), 0);
  await page.getByRole('link', { name: '地图' }).click();
  await page.goto(`${page.url().split('#')[0]}#/map?street=${id}&mode=issue`);
  await page.locator(`.main-map g.street.selected[data-id="${id}"]`).waitFor();
  // The street's plates are drawn with their numbers, and its numbering diagram below.
  await page.locator('.main-map g.plate text').first().waitFor();
  await page.locator('.diagram-svg').waitFor();
  await shot(page, '05-map-street');

  const start = (await api('GET', '/v1/events?after=0&limit=1', TOKENS.reader)).body.last_seq;

  // 1. Click a doorway beside the street: the suggestion shows at the click, in a popup.
  const at = await pointOnStreet(page, id, 0.93, 6);
  const suggested = waitApi(page, 'POST', /^\/v1\/plates\/suggest$/);
  await page.mouse.click(at.x, at.y);
  const s = await suggested;
  assert.equal(s.status(), 200, await s.text());
  const sug = await s.json();
  const label = `${sug.number}号${sug.sub ? `附${sug.sub}号` : ''}`;
  const popup = page.getByRole('dialog', { name: '建议号码' });
  await popup.locator('.suggested-number', { hasText: label }).waitFor();
  await assertSeen(popup, 'the popup');
  const box = await popup.boundingBox();
  const gap = Math.hypot(Math.max(box.x - at.x, 0, at.x - box.x - box.width), Math.max(box.y - at.y, 0, at.y - box.y - box.height));
  assert.ok(gap < 40, `the popup is beside the click (${JSON.stringify(box)}, click ${JSON.stringify(at)})`);
  await popup.getByText(sug.number % 2 ? '单号' : '双号', { exact: true }).waitFor();
  await popup.getByText({ left: '左侧（单号）', right: '右侧（双号）' }[sug.side], { exact: true }).waitFor();
  await popup.getByText(sug.canonical, { exact: true }).waitFor();
  assert.equal(await popup.getByRole('button', { name: '取消' }).count(), 1);
  await shot(page, '05b-issue-popup');

  // 2. Double-click confirm: one plate, the popup gone, the plate drawn on the map and in the
  //    numbering diagram at once (no reload: a mark left on the window survives).
  await page.evaluate(() => { window.e2eSamePage = true; });
  const issued = waitApi(page, 'POST', /^\/v1\/plates$/);
  await popup.locator('button.confirm-issue', { hasText: `确认编发 ${label}` }).dblclick();
  const first = await issued;
  assert.equal(first.status(), 201);
  const plate = await first.json();
  await popup.waitFor({ state: 'detached' });
  await page.locator('.issued-number', { hasText: label }).waitFor();
  assert.equal(plate.number, sug.number);
  await page.locator(`.main-map g.plate.fresh[data-id="${plate.id}"]`).waitFor();
  await page.locator(`.diagram-svg a.slot.fresh[data-id="${plate.id}"]`).waitFor();
  assert.equal(await page.evaluate(() => window.e2eSamePage), true, 'the page was not reloaded');
  await assertSeen(page.locator('.issued-number'), 'the issued number in the sidebar');
  await shot(page, '06-plate-issued');
  const events = await issuedSince(start);
  assert.equal(events.length, 1, `one plate issued, not ${events.length}`);
  assert.equal(events[0].subject_id, plate.id);

  // 3. The same confirm sent twice at once (a double click that beats the button's disabling):
  //    the idempotency key makes the second answer the first.
  const at2 = await pointOnStreet(page, id, 0.08, -6);
  const suggested2 = waitApi(page, 'POST', /^\/v1\/plates\/suggest$/);
  await page.mouse.click(at2.x, at2.y);
  assert.equal((await suggested2).status(), 200);
  const button = page.locator('button.confirm-issue');
  await button.waitFor();
  const before2 = (await api('GET', '/v1/events?after=0&limit=1', TOKENS.reader)).body.last_seq;
  const answers = [];
  const both = new Promise((resolve) => {
    page.on('response', (r) => {
      if (r.request().method() !== 'POST' || new URL(r.url()).pathname !== '/v1/plates') return;
      answers.push(r);
      if (answers.length === 2) resolve();
    });
  });
  await button.evaluate((el) => { el.disabled = false; el.click(); el.disabled = false; el.click(); });
  await both;
  const bodies = await Promise.all(answers.map((r) => r.json()));
  assert.deepEqual(answers.map((r) => r.status()), [201, 201]);
  assert.equal(bodies[0].id, bodies[1].id, 'both answers name the same plate');
  await page.locator(`.issued-number[data-id="${bodies[0].id}"]`).waitFor();
  await page.locator(`.diagram-svg a.slot.fresh[data-id="${bodies[0].id}"]`).waitFor();
  assert.equal(await page.locator('.map-popup').count(), 0, 'the popup closed');
  const keys = answers.map((r) => r.request().headers()['idempotency-key']);
  assert.ok(keys.every((k) => k && k === keys[0]), 'every confirm carries the same Idempotency-Key');
  const ev2 = await issuedSince(before2);
  assert.equal(ev2.length, 1, `one plate issued, not ${ev2.length}`);
  b.check();
});

test('the popup works from the keyboard, closes with Esc and 取消, and puts a refusal in words', async () => {
  const id = await streetId('航空大道');
  const page = await b.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, TOKENS.police);
  await page.goto(`${page.url().split('#')[0]}#/map?street=${id}&mode=issue`);
  await page.locator('.diagram-svg').waitFor();
  const popup = page.getByRole('dialog', { name: '建议号码' });
  const go = page.getByRole('button', { name: '建议号码' });

  // Far from the street: the refusal in words in the popup; Esc closes it, back to the button.
  await page.getByLabel('经度').fill('109.40');
  await page.getByLabel('纬度').fill('30.20');
  await go.focus();
  await page.keyboard.press('Enter');
  await popup.getByText('未能给出建议号码').waitFor();
  await popup.getByText(/超过/).first().waitFor();
  await assertSeen(popup, 'the popup with the refusal');
  await shot(page, '05c-issue-popup-refused');
  await page.keyboard.press('Escape');
  await popup.waitFor({ state: 'detached' });

  // Beside the street: the keyboard lands on 确认编发; Esc closes without issuing.
  await page.getByLabel('经度').fill('109.4700');
  await page.getByLabel('纬度').fill('30.2751');
  await go.focus();
  await page.keyboard.press('Enter');
  await popup.locator('.suggested-number').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('confirm-issue')), true, 'focus is on 确认编发');
  await assertSeen(popup, 'the popup from the keyboard');
  const before = (await api('GET', '/v1/events?after=0&limit=1', TOKENS.reader)).body.last_seq;
  await page.keyboard.press('Escape');
  await popup.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), '建议号码', 'focus is back on 建议号码');

  // 取消 closes it too; nothing was issued.
  await page.keyboard.press('Enter');
  await popup.getByRole('button', { name: '取消' }).click();
  await popup.waitFor({ state: 'detached' });
  assert.equal((await issuedSince(before)).length, 0, 'nothing issued');
  b.check();
});

test('the officer opens the new plate and registers a building, unit and room under it', async () => {
  const id = await streetId('航空大道');
  const sug = await api('POST', '/v1/plates/suggest', TOKENS.police, { thoroughfare_id: id, location: [109.4700, 30.2751] });
  assert.equal(sug.status, 200, JSON.stringify(sug.body));
  const r = await api('POST', '/v1/plates', TOKENS.police, { thoroughfare_id: id, location: [109.4700, 30.2751], township_code: sug.body.township_code }, { 'Idempotency-Key': `e2e-${Date.now()}` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const page = await b.newPage();
  await signIn(page, TOKENS.housing, '住建');
  await page.goto(`${page.url().split('#')[0]}#/address/${r.body.id}`);
  await page.getByLabel('楼栋号').fill('3');
  const added = waitApi(page, 'POST', /\/buildings$/);
  await page.getByRole('button', { name: '登记楼栋' }).click();
  const bld = await (await added).json();
  await page.getByRole('link', { name: bld.canonical }).click();
  await page.locator('h1', { hasText: `${bld.canonical}` }).waitFor();
  await page.getByLabel('单元号').fill('2');
  const unitAdded = waitApi(page, 'POST', /\/units$/);
  await page.getByRole('button', { name: '登记单元' }).click();
  const unit = await (await unitAdded).json();
  await page.getByRole('link', { name: unit.canonical }).click();
  await page.locator('h1', { hasText: unit.canonical }).waitFor();
  await page.getByLabel('户室号').fill('501');
  const roomAdded = waitApi(page, 'POST', /\/rooms$/);
  await page.getByRole('button', { name: '登记户室' }).click();
  const room = await (await roomAdded).json();
  assert.match(room.canonical, /3栋2单元501室$/);
  await page.getByRole('link', { name: room.canonical }).waitFor();
  // Housing cannot number doors: no issuing on the street.
  assert.equal(await page.getByRole('link', { name: '清理报告' }).count(), 0);
  await shot(page, '07-room-registered');
  b.check();
});

test('an officer numbers doorways of a street as a plan: review, reserve, issue at once', async () => {
  const id = await streetId('学院路');
  const page = await b.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, TOKENS.police);
  await page.goto(`${page.url().split('#')[0]}#/map?street=${id}&mode=plan`);
  await page.locator(`.main-map g.street.selected[data-id="${id}"]`).waitFor();
  await page.locator('.diagram-svg').waitFor();
  for (const [frac, off] of [[0.2, 6], [0.5, -6], [0.8, 6]]) {
    const at = await pointOnStreet(page, id, frac, off);
    await page.mouse.click(at.x, at.y);
  }
  await page.getByText('门址 3：').waitFor();
  const dry = waitApi(page, 'POST', /^\/v1\/plates\/plan$/);
  await page.getByRole('button', { name: '试编（不写入）' }).click();
  assert.equal((await dry).status(), 200);
  await page.getByRole('heading', { name: '试编结果' }).waitFor();
  assert.equal(await page.locator('table.plan tbody tr').count(), 3);
  await assertSeen(page.locator('table.plan'), 'the 试编结果 table');
  await shot(page, '14-plan-dry-run');
  const reserved = waitApi(page, 'POST', /^\/v1\/plates\/plan$/);
  await page.getByRole('button', { name: '预留号码' }).click();
  const r = await reserved;
  assert.equal(r.status(), 201);
  const planned = await r.json();
  const issueAll = page.getByRole('button', { name: '全部编发（3 块）' });
  await assertSeen(issueAll, 'the 全部编发 button');
  const issued = waitApi(page, 'POST', /^\/v1\/plates\/plan\/[^/]+\/issue$/);
  await issueAll.click();
  assert.equal((await issued).status(), 200);
  await page.getByText('已编发 3 块门牌').waitFor();
  await assertSeen(page.getByText('已编发 3 块门牌'), 'the outcome of 全部编发');
  assert.equal(await page.getByRole('button', { name: /全部编发/ }).count(), 0, 'the done 全部编发 button is gone');
  // The map and the numbering diagram redrawn with the plan's plates.
  for (const p of planned.plates) {
    await page.locator(`.main-map g.plate.fresh[data-id="${p.id}"]`).waitFor();
    await page.locator(`.diagram-svg a.slot.fresh[data-id="${p.id}"]`).waitFor();
  }
  for (const p of planned.plates) {
    const a = await api('GET', `/v1/addresses/${p.id}`, TOKENS.reader);
    assert.equal(a.body.status, 'issued');
  }
  await shot(page, '15-plan-issued');
  b.check();
});
