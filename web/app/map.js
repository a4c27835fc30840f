// The register's own map, drawn in SVG from its lon/lat geometry (CGCS2000 ≈ WGS84; no
// shifted systems, no tile server). Streets are lines with arrows in their numbering
// direction and a wide invisible hit area; plates are labelled points; localities points
// or areas. It pans (drag, arrow keys), zooms (wheel, +/−, buttons) and reports clicks in
// lon/lat. A popup can be anchored at a point: it follows the point when the map moves.

import { h, s, clear, append, uid } from './ui.js';

const W = 960;
const H = 540;

// An optional base layer of XYZ tiles from the county's own tile service, configured on
// the server (GET /app/config.json) and off by default: {url, attribution, approval}.
let basemap = null;
export function setBasemap(b) { basemap = b && b.url ? b : null; }

const tile = (template, z, x, y) => template.replace('{z}', z).replace('{x}', x).replace('{y}', y);

function coordsOf(g) {
  if (!g) return [];
  switch (g.type) {
    case 'Point': return [g.coordinates];
    case 'LineString': case 'MultiPoint': return g.coordinates;
    case 'MultiLineString': case 'Polygon': return g.coordinates.flat();
    case 'MultiPolygon': return g.coordinates.flat(2);
    default: return [];
  }
}

function linesOf(g) {
  if (!g) return [];
  if (g.type === 'LineString') return [g.coordinates];
  if (g.type === 'MultiLineString') return g.coordinates;
  if (g.type === 'Polygon') return g.coordinates;
  if (g.type === 'MultiPolygon') return g.coordinates.flat();
  return [];
}

export function bbox(geoms) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of geoms) {
    for (const [x, y] of coordsOf(g)) {
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
  }
  return Number.isFinite(x0) ? [x0, y0, x1, y1] : null;
}

/**
 * Creates a map. Options: label (accessible name), onClick({lon, lat, streetId, plateId,
 * localityId}). Returns {el, svg, set(layers), fit(geoms), toLonLat(evt), popup(at, label,
 * …content), closePopup()}.
 */
export function createMap({ label = '地图', onClick } = {}) {
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'map-svg', role: 'application', tabindex: '0',
    'aria-label': `${label}。方向键平移，加号和减号缩放；也可在地图下方按列表选择。`,
  });
  const defs = s('defs', {},
    s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '5', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' })));
  const bg = s('rect', { x: 0, y: 0, width: W, height: H, class: 'map-bg' });
  const tiles = s('g', { class: 'map-tiles', 'aria-hidden': 'true' });
  const layer = s('g', { class: 'map-layers' });
  svg.append(defs, bg, tiles, layer);
  const attribution = h('p', { class: 'map-attribution' });
  const scaleBar = h('span', { class: 'scale' });
  const coordOut = h('span', { class: 'coord', 'aria-live': 'off' });
  const zoomIn = h('button', { type: 'button', 'aria-label': '放大', onclick: () => zoom(1.6) }, '＋');
  const zoomOut = h('button', { type: 'button', 'aria-label': '缩小', onclick: () => zoom(1 / 1.6) }, '－');
  const home = h('button', { type: 'button', onclick: () => { view = { ...homeView }; draw(); } }, '全图');
  const el = h('div', { class: 'map' },
    h('div', { class: 'map-tools' }, zoomIn, zoomOut, home, scaleBar, coordOut),
    svg,
    h('p', { class: 'map-note' }, '坐标系：CGCS2000 经纬度（与 WGS84 相当）。地图按登记册自身的几何绘制，箭头为编号方向（左单右双）。'),
    attribution);

  let layers = { streets: [], localities: [], plates: [], findings: [], draft: null, marker: null, selected: null };
  let view = { cx: 109.47, cy: 30.28, k: 20000 }; // k: px per degree of longitude
  let homeView = { ...view };
  let cosLat = Math.cos((30.28 * Math.PI) / 180);

  const px = ([lon, lat]) => [W / 2 + (lon - view.cx) * view.k, H / 2 - (lat - view.cy) * view.k / cosLat * 1];
  // lat degrees are longer than lon degrees by 1/cos(lat): scale y by k / cosLat.
  const toLL = (x, y) => [view.cx + (x - W / 2) / view.k, view.cy - (y - H / 2) * cosLat / view.k];

  function fit(geoms, pad = 0.12) {
    const b = bbox(geoms);
    if (!b) return;
    const [x0, y0, x1, y1] = b;
    cosLat = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
    const dx = Math.max(x1 - x0, 0.002);
    const dy = Math.max(y1 - y0, 0.002);
    const k = Math.min((W * (1 - 2 * pad)) / dx, (H * (1 - 2 * pad)) / (dy / cosLat));
    view = { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, k };
    draw();
  }

  function setHome() { homeView = { ...view }; }

  function zoom(f, at) {
    const [ax, ay] = at || [W / 2, H / 2];
    const [lon, lat] = toLL(ax, ay);
    view.k = Math.min(Math.max(view.k * f, 200), 5e7);
    // keep the point under the cursor in place
    const [nx, ny] = px([lon, lat]);
    view.cx += (nx - ax) / view.k;
    view.cy -= (ny - ay) * cosLat / view.k;
    draw();
  }

  function pan(dx, dy) {
    view.cx -= dx / view.k;
    view.cy += dy * cosLat / view.k;
    draw();
  }

  function pathD(line) {
    return line.map((c, i) => `${i ? 'L' : 'M'}${px(c)[0].toFixed(1)},${px(c)[1].toFixed(1)}`).join('');
  }

  function arrowsFor(line, cls) {
    // Arrows along the line every ~90 px, pointing in the numbering direction.
    const out = [];
    let carry = 45;
    for (let i = 1; i < line.length; i++) {
      const [ax, ay] = px(line[i - 1]);
      const [bx, by] = px(line[i]);
      const len = Math.hypot(bx - ax, by - ay);
      if (len < 1e-6) continue;
      const ang = (Math.atan2(by - ay, bx - ax) * 180) / Math.PI;
      let d = carry;
      while (d < len) {
        const t = d / len;
        out.push(s('path', { d: 'M-6,-4 L4,0 L-6,4 z', class: cls, transform: `translate(${(ax + (bx - ax) * t).toFixed(1)},${(ay + (by - ay) * t).toFixed(1)}) rotate(${ang.toFixed(1)})` }));
        d += 90;
      }
      carry = d - len;
    }
    return out;
  }

  // Web Mercator tiles placed by their corners, so they sit under the register's lines.
  function drawTiles() {
    clear(tiles);
    attribution.textContent = basemap ? `底图：${basemap.attribution || '未注明'}　审图号：${basemap.approval || '未注明'}` : '';
    if (!basemap) return;
    const z = Math.max(0, Math.min(19, Math.round(Math.log2((view.k * 360) / 256))));
    const n = 2 ** z;
    const tx = (lon) => Math.min(n - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n)));
    const ty = (lat) => {
      const r = (lat * Math.PI) / 180;
      return Math.min(n - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)));
    };
    const lonOf = (x) => (x / n) * 360 - 180;
    const latOf = (y) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
    const [lonW, latN] = toLL(0, 0);
    const [lonE, latS] = toLL(W, H);
    const [x0, x1, y0, y1] = [tx(lonW), tx(lonE), ty(latN), ty(latS)];
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > 120) return; // zoomed far out: no base layer
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const [ax, ay] = px([lonOf(x), latOf(y)]);
        const [bx, by] = px([lonOf(x + 1), latOf(y + 1)]);
        tiles.append(s('image', { href: tile(basemap.url, z, x, y), x: ax, y: ay, width: bx - ax, height: by - ay, preserveAspectRatio: 'none' }));
      }
    }
  }

  function draw() {
    drawTiles();
    clear(layer);
    scaleBar.textContent = `100 米 ≈ ${Math.max(1, Math.round((view.k * 100) / (111320 * cosLat)))} 像素`;
    // Localities
    for (const l of layers.localities) {
      const g = l.geometry;
      const grp = s('g', { class: `locality status-${l.status}`, dataset: { id: l.id, name: l.name } });
      const title = s('title', {}, `${l.name}（村组）`);
      if (g && g.type === 'Point') {
        const [x, y] = px(g.coordinates);
        grp.append(title, s('rect', { x: x - 4, y: y - 4, width: 8, height: 8, class: 'loc-mark' }),
          s('circle', { cx: x, cy: y, r: 10, class: 'hit' }),
          s('text', { x: x + 7, y: y + 4, class: 'loc-label' }, l.name));
      } else if (g) {
        for (const ring of linesOf(g)) grp.append(s('path', { d: `${pathD(ring)}Z`, class: 'loc-area' }));
        grp.prepend(title);
      }
      layer.append(grp);
    }
    // Streets
    for (const t of layers.streets) {
      const lines = linesOf(t.geometry);
      if (!lines.length) continue;
      const sel = layers.selected === t.id;
      const grp = s('g', { class: `street status-${t.status}${sel ? ' selected' : ''}`, dataset: { id: t.id, name: t.name } });
      grp.append(s('title', {}, `${t.name}${t.status === 'active' ? '' : `（${t.status === 'proposed' ? '拟用' : '已废止'}）`}`));
      for (const line of lines) {
        const d = pathD(line);
        grp.append(s('path', { d, class: 'street-line' }));
        grp.append(...arrowsFor(line, 'street-arrow'));
        grp.append(s('path', { d, class: 'hit', dataset: { id: t.id } }));
      }
      const mid = lines[0][Math.floor(lines[0].length / 2)];
      const [mx, my] = px(mid);
      grp.append(s('text', { x: mx, y: my - 8, class: 'street-label' }, t.name));
      layer.append(grp);
    }
    // Plates
    for (const p of layers.plates) {
      const c = p.geometry && p.geometry.type === 'Point' ? p.geometry.coordinates : null;
      if (!c) continue;
      const [x, y] = px(c);
      const num = p.number != null ? `${p.number}${p.sub ? `-${p.sub}` : ''}` : '';
      layer.append(s('g', { class: `plate status-${p.status || 'issued'}${p.fresh ? ' fresh' : ''}`, dataset: { id: p.id, number: num } },
        s('title', {}, p.canonical || num),
        s('circle', { cx: x, cy: y, r: 4.5, class: 'plate-dot' }),
        s('circle', { cx: x, cy: y, r: 10, class: 'hit' }),
        s('text', { x: x + 6, y: y - 6, class: 'plate-label' }, num)));
    }
    // Findings of the clean-up report
    for (const f of layers.findings) {
      if (!f.location) continue;
      const [x, y] = px(f.location);
      layer.append(s('g', { class: 'finding', dataset: { rule: f.rule } },
        s('title', {}, f.message),
        s('path', { d: `M${x},${y - 11} L${x + 9},${y + 5} L${x - 9},${y + 5} z`, class: 'finding-mark' }),
        s('text', { x, y: y + 3, class: 'finding-bang' }, '!')));
    }
    // A line being drawn
    if (layers.draft && layers.draft.length) {
      const d = pathD(layers.draft);
      layer.append(s('path', { d, class: 'draft-line' }), ...arrowsFor(layers.draft, 'draft-arrow'));
      layers.draft.forEach((c, i) => {
        const [x, y] = px(c);
        layer.append(s('circle', { cx: x, cy: y, r: 4, class: 'draft-vertex' }), s('text', { x: x + 5, y: y + 12, class: 'draft-label' }, String(i + 1)));
      });
    }
    // Doorways picked for a plan or a suggestion
    for (const m of [].concat(layers.marker || [])) {
      const [x, y] = px(m.at);
      layer.append(s('g', { class: 'doorway' }, s('title', {}, m.label || '门址'),
        s('path', { d: `M${x - 7},${y} L${x + 7},${y} M${x},${y - 7} L${x},${y + 7}`, class: 'doorway-cross' }),
        m.label ? s('text', { x: x + 8, y: y + 14, class: 'doorway-label' }, m.label) : null));
    }
    placePopup();
  }

  // ---- a popup at a point (what a click there would do), inside the map's frame ----
  let popup = null; // {at, el}
  const GAP = 14; // px between the point and the popup, so the point stays visible

  /** Where the map's drawing and the window overlap, in the map element's own pixels. */
  function visibleFrame() {
    const box = el.getBoundingClientRect();
    const r = svg.getBoundingClientRect();
    return {
      box,
      left: r.left - box.left, right: r.right - box.left,
      top: Math.max(r.top, 0) - box.top, bottom: Math.min(r.bottom, window.innerHeight) - box.top,
    };
  }

  // Beside the point, to its right and below; flipped to the other side where it would
  // leave the visible map, then held inside it (a point panned away pins it to the edge).
  function placePopup() {
    if (!popup) return;
    const ctm = svg.getScreenCTM();
    if (!ctm) return;
    const [sx, sy] = px(popup.at);
    const pt = svg.createSVGPoint();
    pt.x = sx; pt.y = sy;
    const c = pt.matrixTransform(ctm);
    const f = visibleFrame();
    const x = c.x - f.box.left;
    const y = c.y - f.box.top;
    const w = popup.el.offsetWidth;
    const hh = popup.el.offsetHeight;
    let left = x + GAP + w > f.right - 4 ? x - GAP - w : x + GAP;
    let top = y + GAP + hh > f.bottom - 4 ? y - GAP - hh : y + GAP;
    left = Math.max(f.left + 4, Math.min(left, f.right - w - 4));
    top = Math.max(f.top + 4, Math.min(top, f.bottom - hh - 4));
    popup.el.style.left = `${Math.round(left)}px`;
    popup.el.style.top = `${Math.round(top)}px`;
  }

  /** Opens (or refills) the popup at [lon, lat]; returns its element. */
  function openPopup(at, label, ...content) {
    if (!popup) {
      popup = { at, el: h('div', { class: 'map-popup', role: 'dialog', tabindex: '-1' }) };
      el.append(popup.el);
    }
    popup.at = at;
    popup.el.setAttribute('aria-label', label);
    append(clear(popup.el), content);
    placePopup();
    return popup.el;
  }

  // The drawing scales with the page's width: the popup keeps to its point.
  if (typeof ResizeObserver === 'function') new ResizeObserver(() => placePopup()).observe(svg);

  function closePopup() {
    if (!popup) return;
    popup.el.remove();
    popup = null;
  }

  function toSvgPoint(evt) {
    const pt = svg.createSVGPoint();
    pt.x = evt.clientX; pt.y = evt.clientY;
    const ctm = svg.getScreenCTM();
    const p = ctm ? pt.matrixTransform(ctm.inverse()) : pt;
    return [p.x, p.y];
  }

  function toLonLat(evt) {
    const [x, y] = toSvgPoint(evt);
    const [lon, lat] = toLL(x, y);
    return [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
  }

  // Drag to pan; a press without movement is a click.
  let drag = null;
  let suppressClick = false;
  svg.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    suppressClick = false;
    drag = { x: e.clientX, y: e.clientY, moved: false, start: toSvgPoint(e) };
  });
  svg.addEventListener('pointermove', (e) => {
    const [lon, lat] = toLonLat(e);
    coordOut.textContent = `经度 ${lon.toFixed(6)}，纬度 ${lat.toFixed(6)}`;
    if (!drag) return;
    if (!(e.buttons & 1)) { drag = null; return; }
    if (!drag.moved && Math.hypot(e.clientX - drag.x, e.clientY - drag.y) < 5) return;
    drag.moved = true;
    const [x, y] = toSvgPoint(e);
    pan(x - drag.start[0], y - drag.start[1]);
    drag.start = toSvgPoint(e);
  });
  const endDrag = () => { suppressClick = Boolean(drag && drag.moved); drag = null; };
  svg.addEventListener('pointerup', endDrag);
  svg.addEventListener('pointercancel', endDrag);
  svg.addEventListener('click', (e) => {
    if (suppressClick) { suppressClick = false; return; }
    const [lon, lat] = toLonLat(e);
    const g = e.target.closest('g[data-id]');
    const info = { lon, lat };
    if (g && g.classList.contains('street')) info.streetId = g.dataset.id;
    if (g && g.classList.contains('plate')) info.plateId = g.dataset.id;
    if (g && g.classList.contains('locality')) info.localityId = g.dataset.id;
    if (onClick) onClick(info, e);
  });
  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    zoom(e.deltaY < 0 ? 1.25 : 0.8, toSvgPoint(e));
  }, { passive: false });
  svg.addEventListener('keydown', (e) => {
    const step = 60;
    const keys = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (keys[e.key]) { e.preventDefault(); pan(...keys[e.key]); }
    else if (e.key === '+' || e.key === '=') { e.preventDefault(); zoom(1.6); }
    else if (e.key === '-' || e.key === '_') { e.preventDefault(); zoom(1 / 1.6); }
  });

  return {
    el, svg,
    set(next) { layers = { ...layers, ...next }; draw(); },
    get layers() { return layers; },
    fit(geoms) { fit(geoms); },
    setHome,
    toLonLat,
    popup: openPopup,
    closePopup,
    /** Places the popup again, after its content changed size. */
    placePopup,
    id: uid('map'),
  };
}
