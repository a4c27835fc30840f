// Shared helpers for the end-to-end tests: a fresh headless Debian Chromium per test file,
// a guard that fails the test on any request leaving 127.0.0.1, sign-in, API calls for
// setup, screenshots and PDF text.

import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

export const BASE = process.env.MENPAI_URL || 'http://127.0.0.1:8080';
export const ARTIFACTS = process.env.E2E_ARTIFACTS || new URL('../artifacts/', import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

export const TOKENS = {
  admin: process.env.TOKEN_ADMIN,
  civil_affairs: process.env.TOKEN_CIVIL_AFFAIRS,
  /** Another civil-affairs clerk: the one who approves what the first proposed. */
  approver: process.env.TOKEN_CIVIL_AFFAIRS_APPROVER,
  police: process.env.TOKEN_POLICE,
  housing: process.env.TOKEN_HOUSING,
  reader: process.env.TOKEN_READER,
};

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Starts Chromium with a fresh profile; returns {context, newPage, external, errors, close}. */
export async function startBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'menpai-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const external = [];
  const errors = [];
  // Every request is checked: anything not to 127.0.0.1 is recorded and refused.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    let host = '';
    try { host = new URL(url).hostname; } catch { /* data: and the like */ }
    if (host === '127.0.0.1') return route.continue();
    external.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    try { if (new URL(url).hostname !== '127.0.0.1') external.push(url); } catch { external.push(url); }
  });
  const watch = (page) => {
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const t = m.text();
      // A refused API call (403 probe, 422 rule) is logged by Chromium; those are expected.
      if (/^Failed to load resource: the server responded with a status of (4\d\d)/.test(t)) return;
      errors.push(`console: ${t}`);
    });
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  return {
    context,
    external,
    errors,
    async newPage() {
      const page = context.pages().find((p) => p.url() === 'about:blank') || await context.newPage();
      return page;
    },
    /** Fails when anything left 127.0.0.1 or the page threw. */
    check() {
      assert.deepEqual(external, [], `requests left 127.0.0.1: ${external.join(', ')}`);
      assert.deepEqual(errors, [], `errors in the page: ${errors.join('\n')}`);
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in with a token and waits until the app shows the role. */
export async function signIn(page, token, roleText) {
  await page.goto(`${BASE}/`);
  await page.getByLabel('访问令牌').fill(token);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.role').waitFor();
  if (roleText) assert.match(await page.locator('.role').innerText(), new RegExp(roleText));
}

/** Calls the API directly (test setup and checks). */
export async function api(method, path, token, body, headers = {}) {
  const resp = await fetch(`${BASE}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await resp.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: resp.status, body: json ?? text };
}

export async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** Prints the page to an A4 PDF and returns its text (pdftotext, from poppler-utils). */
export async function pdfText(page, name) {
  const path = join(ARTIFACTS, `${name}.pdf`);
  const buf = await page.pdf({ format: 'A4', printBackground: true });
  writeFileSync(path, buf);
  assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
}

/** Waits for the response to a request matching method and path (a RegExp on the path). */
export function waitApi(page, method, pathRe) {
  return page.waitForResponse((r) => r.request().method() === method && pathRe.test(new URL(r.url()).pathname));
}

/**
 * Today's date in China (UTC+8), as the register dates issuance, whatever the time zone of
 * the machine running the tests (CI runs in UTC, eight hours behind after 16:00).
 */
export function todayInChina() {
  return chinaDateOf(new Date().toISOString());
}

/** The date in China (UTC+8) of a stored RFC 3339 time, as documents bear it. */
export function chinaDateOf(iso) {
  const d = new Date(Date.parse(iso) + 8 * 3600 * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
}

/** The id of a street by its name in a county, through resolution. */
export async function streetId(name, county = '恩施市') {
  const r = await api('GET', `/v1/resolve?q=${encodeURIComponent(county + name)}`, TOKENS.reader);
  assert.equal(r.status, 200);
  assert.equal(r.body.address?.level, 'thoroughfare', `${county}${name} resolves to a street`);
  return r.body.address.id;
}

/**
 * Whether an element is wholly seen: inside the window and inside every ancestor that clips
 * (a sidebar that scrolls on its own hides what is below its fold even when the window shows
 * it). Returns {seen, rect, clippedBy}.
 */
export async function seenWhole(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const inside = (b) => r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
    const rect = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    if (!inside({ left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight })) return { seen: false, rect, clippedBy: 'window' };
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const st = getComputedStyle(a);
      if (/auto|scroll|hidden|clip/.test(`${st.overflowX} ${st.overflowY}`) && !inside(a.getBoundingClientRect())) {
        return { seen: false, rect, clippedBy: a.className || a.tagName };
      }
    }
    return { seen: true, rect, clippedBy: null };
  });
}
