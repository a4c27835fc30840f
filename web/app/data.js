// Reading the register for the screens, through the routes every role has. Where a
// convenient route is not on the server yet (autocomplete, children of an address), the app
// falls back to what the change feed and the name list already tell it.

import { get, qs, ApiError } from './api.js';
import { levelOf } from './ui.js';

// ---- the change feed, read once and then incrementally ------------------------------

const feedState = { lastSeq: 0, texts: new Map(), touched: new Map(), loading: null };

/** Reads the feed from where it stopped; returns {texts: id → current text, touched: id → [event]}. */
export async function feed() {
  if (feedState.loading) return feedState.loading;
  feedState.loading = (async () => {
    try {
      for (let guard = 0; guard < 200; guard++) {
        const page = await get(`/v1/events${qs({ after: feedState.lastSeq, limit: 1000 })}`);
        for (const e of page.events || []) {
          const summary = { seq: e.seq, at: e.at, actor: e.actor, actor_label: e.actor_label, kind: e.kind, kind_label: e.kind_label, subject_id: e.subject_id, reason: e.reason };
          const ids = new Set((e.changes || []).map((c) => c.id));
          if (e.subject_id) ids.add(e.subject_id);
          for (const c of e.changes || []) {
            if (c.new) feedState.texts.set(c.id, c.new);
          }
          for (const id of ids) {
            if (!feedState.touched.has(id)) feedState.touched.set(id, []);
            const change = (e.changes || []).find((c) => c.id === id);
            feedState.touched.get(id).push({ ...summary, old: change?.old ?? null, new: change?.new ?? null });
          }
          feedState.lastSeq = Math.max(feedState.lastSeq, e.seq);
        }
        if (!page.events || page.events.length < 1000) break;
      }
    } finally {
      feedState.loading = null;
    }
    return feedState;
  })();
  return feedState.loading;
}

export async function eventsFor(id) {
  const f = await feed();
  return (f.touched.get(id) || []).slice().reverse();
}

const esc = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Number and sub-number of a plate's canonical text. */
export function plateNumber(text) {
  const m = /(\d+)号(?:附(\d+)号)?$/.exec(text || '');
  return m ? { number: +m[1], sub: m[2] ? +m[2] : null } : { number: null, sub: null };
}

/**
 * The addresses directly under one: a street's or locality's plates, a plate's buildings, a
 * building's units, a unit's rooms. Each item: {id, canonical, level, status?, number, sub}.
 */
export async function childrenOf(addr) {
  try {
    const r = await get(`/v1/addresses/${encodeURIComponent(addr.id)}/children`);
    return r.items || [];
  } catch (e) {
    if (!(e instanceof ApiError) || !e.missingRoute) throw e;
  }
  const f = await feed();
  const level = addr.level;
  const want = { thoroughfare: 'plt', locality: 'plt', plate: 'bld', building: 'unt', unit: 'rom' }[level];
  if (!want) return [];
  let match;
  if (level === 'thoroughfare') {
    // Chain down to the county, optional township, the street's name, then the number.
    const name = addr.name || '';
    const county = addr.canonical.slice(0, addr.canonical.length - name.length);
    const re = new RegExp(`^${esc(county)}(?:[^\\d]*?(?:街道|镇|乡|区|场))?${esc(name)}\\d+号(附\\d+号)?$`);
    match = (t) => re.test(t);
  } else if (level === 'locality') {
    match = (t) => new RegExp(`^${esc(addr.canonical)}\\d+号$`).test(t);
  } else {
    const unit = { plate: '栋', building: '单元', unit: '室' }[level];
    match = (t) => new RegExp(`^${esc(addr.canonical)}[0-9A-Za-z\\-]+${unit}$`).test(t);
  }
  const items = [];
  for (const [id, text] of f.texts) {
    if (!id.startsWith(`${want}_`) || !match(text)) continue;
    items.push({ id, canonical: text, level: levelOf(id), ...plateNumber(text) });
  }
  items.sort((a, b) => (a.number ?? 0) - (b.number ?? 0) || (a.sub ?? 0) - (b.sub ?? 0) || a.canonical.localeCompare(b.canonical));
  // Status and location: one read per child (the feed carries only texts).
  await Promise.all(items.map(async (it) => {
    try {
      const a = await get(`/v1/addresses/${encodeURIComponent(it.id)}`);
      it.status = a.status;
      it.geometry = a.geometry;
      it.canonical = a.canonical;
    } catch { /* keep what the feed said */ }
  }));
  return items;
}

// ---- names of a county: the streets and localities the map draws -----------------------

const layerCache = new Map();

export async function countyLayer(county, { fresh = false } = {}) {
  if (!fresh && layerCache.has(county)) return layerCache.get(county);
  const items = [];
  let after;
  for (let guard = 0; guard < 50; guard++) {
    const page = await get(`/v1/names${qs({ county_code: county, limit: 1000, after })}`);
    items.push(...(page.items || []));
    if (!page.next_after) break;
    after = page.next_after;
  }
  layerCache.set(county, items);
  return items;
}

export function forgetLayers() {
  layerCache.clear();
}

/** Townships of a county, for the fields that need one: current ones only, since new
 * names and plates never go under a township merged away or recoded. */
const townships = new Map();
export async function townshipsOf(county) {
  if (!townships.has(county)) {
    const r = await get(`/v1/divisions/${county}/children`);
    townships.set(county, (r.items || []).filter((d) => d.level === 'township' && d.status !== 'retired'));
  }
  return townships.get(county);
}

const counties = { list: null };
export async function countiesList() {
  if (!counties.list) {
    const r = await get('/v1/divisions/422800/children');
    counties.list = (r.items || []).filter((d) => d.level === 'county');
  }
  return counties.list;
}

/** After a division change: townships and counties are read again. */
export function forgetDivisions() {
  townships.clear();
  counties.list = null;
}

/**
 * Suggestions for the search box: the autocomplete route where the server has it, otherwise
 * the name list (which also matches pinyin and former names).
 */
export async function suggestions(q, limit = 8) {
  try {
    const r = await get(`/v1/autocomplete${qs({ q, limit })}`);
    return r.items || [];
  } catch (e) {
    if (!(e instanceof ApiError) || !e.missingRoute) throw e;
  }
  const r = await get(`/v1/names${qs({ q, limit })}`);
  return (r.items || []).map((n) => ({ id: n.id, canonical: n.canonical, level: n.kind, name: n.name, pinyin: n.pinyin, status: n.status }));
}
