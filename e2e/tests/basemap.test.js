// The optional base layer: tiles from the configured service (a stand-in on loopback)
// under the register's own lines, with its attribution and 审图号 shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, signIn, TOKENS, shot } from '../lib/helpers.js';

let b;
before(async () => { b = await startBrowser(); });
after(async () => { await b.close(); });

test('a configured base layer is drawn under the streets with its attribution and 审图号', async () => {
  assert.ok(process.env.TILE_PORT, 'run.sh starts the tile stand-in');
  const page = await b.newPage();
  const tiles = [];
  page.on('response', (r) => { if (new URL(r.url()).port === process.env.TILE_PORT) tiles.push(r.status()); });
  await signIn(page, TOKENS.reader, '查询');
  await page.getByRole('link', { name: '地图' }).click();
  const map = page.locator('.main-map');
  await map.locator('g.street').first().waitFor();
  await map.locator('g.map-tiles image').first().waitFor({ state: 'attached' });
  await map.locator('.map-attribution', { hasText: '审图号：鄂S（2026）001号' }).waitFor();
  await map.locator('.map-attribution', { hasText: '测试底图（本机）' }).waitFor();
  // The tiles lie under the register's layers.
  const order = await map.locator('svg.map-svg').evaluate((svg) => [...svg.children].map((c) => c.getAttribute('class')));
  assert.ok(order.indexOf('map-tiles') < order.indexOf('map-layers'), JSON.stringify(order));
  for (let i = 0; i < 100 && tiles.length === 0; i++) await page.waitForTimeout(50);
  assert.ok(tiles.length > 0 && tiles.every((s) => s === 200), JSON.stringify(tiles));
  await shot(page, '16-base-layer');
});
