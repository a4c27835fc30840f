#!/usr/bin/env python3
"""Build the bundled register of 恩施土家族苗族自治州: data/enshi.geojson.

Usage (from the repository root):

    python3 data/build_enshi.py [DATA_DIR] [--out FILE]

DATA_DIR holds enshi-divisions.csv, enshi-villages.csv and enshi-streets.csv
(default: ../shared/data relative to the repository root). The output is one
GeoJSON FeatureCollection in the import format of SPEC §4: divisions (real
codes and names), thoroughfares (real names, illustrative lines), localities
and plates (illustrative). Python 3.11, standard library only; the output is
deterministic (fixed seeds, sorted features): running it twice gives the same
bytes. Notes on odd input rows go to standard error.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA_DIR = os.path.join(REPO_ROOT, "..", "shared", "data")
DEFAULT_OUT = os.path.join(REPO_ROOT, "data", "enshi.geojson")

EARTH_RADIUS_M = 6371008.8

# County seats: approximate real lon/lat (WGS84) of the seat town's centre, the
# seat township (used for plates whose township the street list does not give),
# and the rotation of the illustrative street grid (degrees, counter-clockwise).
SEATS = {
    "422801": {"lonlat": (109.48, 30.29), "township": "422801001", "angle": 20.0},   # 恩施市, 舞阳坝街道
    "422802": {"lonlat": (108.94, 30.29), "township": "422802001", "angle": -10.0},  # 利川市, 都亭街道
    "422822": {"lonlat": (109.72, 30.60), "township": "422822100", "angle": 35.0},   # 建始县, 业州镇
    "422823": {"lonlat": (110.34, 31.04), "township": "422823100", "angle": -25.0},  # 巴东县, 信陵镇
    "422825": {"lonlat": (109.49, 29.99), "township": "422825100", "angle": 10.0},   # 宣恩县, 珠山镇
    "422826": {"lonlat": (109.14, 29.67), "township": "422826100", "angle": -30.0},  # 咸丰县, 高乐山镇
    "422827": {"lonlat": (109.41, 29.49), "township": "422827100", "angle": 15.0},   # 来凤县, 翔凤镇
    "422828": {"lonlat": (110.03, 29.89), "township": "422828101", "angle": 40.0},   # 鹤峰县, 容美镇
}

# Illustrative street names for counties with fewer than MIN_STREETS real ones
# (巴东县 has none in the collected list). Not taken from any source.
ILLUSTRATIVE_STREETS = {
    "422823": ["楚天路", "信陵路", "滨江路", "巫峡路"],
}
MIN_STREETS = 4

# Illustrative localities (组/湾) in real villages: (village code, name).
LOCALITIES = [
    ("422801207210", "三组"),    # 恩施市 芭蕉侗族乡 高拱桥村
    ("422801002201", "一组"),    # 恩施市 六角亭街道 头道水村
    ("422801003202", "李家湾"),  # 恩施市 小渡船街道 望城坡村
    ("422802002206", "一组"),    # 利川市 东城街道 交椅台村
    ("422802002206", "二组"),    # 利川市 东城街道 交椅台村
    ("422802002207", "向家湾"),  # 利川市 东城街道 白鹊山村
    ("422822100212", "一组"),    # 建始县 业州镇 杉木村
    ("422822100227", "二组"),    # 建始县 业州镇 苏家坪村
    ("422822100215", "田家湾"),  # 建始县 业州镇 漆树垭村
    ("422823100200", "一组"),    # 巴东县 信陵镇 荷花村
    ("422823100206", "谭家湾"),  # 巴东县 信陵镇 金竹园村
    ("422825100210", "一组"),    # 宣恩县 珠山镇 东门关村
    ("422825100213", "覃家湾"),  # 宣恩县 珠山镇 狮子关村
    ("422826100200", "一组"),    # 咸丰县 高乐山镇 大坝村
    ("422826100200", "二组"),    # 咸丰县 高乐山镇 大坝村
    ("422826100201", "杨家湾"),  # 咸丰县 高乐山镇 白地坪村
    ("422827100204", "三组"),    # 来凤县 翔凤镇 老茶村
    ("422827100206", "何家湾"),  # 来凤县 翔凤镇 何家坡村
    ("422828101205", "一组"),    # 鹤峰县 容美镇 屏山村
    ("422828101202", "张家湾"),  # 鹤峰县 容美镇 龙井村
]

# Generic parts a thoroughfare name must end with (longest first).
GENERICS = ["大道", "大街", "胡同", "街", "路", "巷", "道", "弄", "里"]

# Ethnic parts of township names (芭蕉侗族乡 -> 芭蕉乡).
ETHNIC = ["土家族苗族", "土家族", "苗族", "侗族", "白族", "回族"]

# Committee suffixes of village names (longest first). "村" forms keep or add 村.
VILLAGE_SUFFIXES = ["村民居委会", "村民委员会", "村民委员", "村委会"]
COMMUNITY_SUFFIXES = ["居民委员会", "居委会"]

# Examples of the product contract (SPEC §3) that the bundled data makes true:
# 湖北省恩施土家族苗族自治州恩施市舞阳坝街道航空大道123号附1号 and …123号3栋2单元501室.
SPEC_PLATE = {"county": "422801", "street": "航空大道", "number": 123, "measure": 1230.0}

# Rules for the illustrative plates.
VERTEX_MARGIN_M = 25.0    # no plate this close to a bend
END_MARGIN_M = 15.0       # nor to either end
MIN_GAP_M = 12.0          # between consecutive plates along the line
SUB_AFTER_M = 5.0         # a 附号 stands this far after its base plate
OFFSET_M = (8.0, 15.0)    # distance of a plate from the line
METRES_PER_NUMBER = 10.0  # numbers follow the distance along the street


def warn(msg: str) -> None:
    print(f"build_enshi: {msg}", file=sys.stderr)


def read_csv(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


# ---------------------------------------------------------------- divisions

def county_alias(name: str) -> list[str]:
    for suffix in ("市", "县"):
        if name.endswith(suffix) and len(name) > 2:
            return [name[: -len(suffix)]]
    return []


def township_aliases(name: str) -> list[str]:
    # Only ethnic townships get a short form: bare specific parts (龙凤, 高坪…)
    # collide with street and village names (高坪大道, 景阳大道) and are left out.
    for generic in ("乡", "镇"):
        if name.endswith(generic):
            stem = name[: -len(generic)]
            for e in ETHNIC:
                if stem.endswith(e) and len(stem) > len(e):
                    return [stem[: -len(e)] + generic]
    return []


def village_name(raw: str) -> str:
    for s in VILLAGE_SUFFIXES:
        if raw.endswith(s):
            stem = raw[: -len(s)]
            return stem if stem.endswith("村") else stem + "村"
    for s in COMMUNITY_SUFFIXES:
        if raw.endswith(s):
            stem = raw[: -len(s)]
            return stem if stem.endswith("社区") else stem + "社区"
    return raw


def build_divisions(data_dir: str):
    rows = read_csv(os.path.join(data_dir, "enshi-divisions.csv"))
    divisions: dict[str, dict] = {}
    for r in rows:
        code, name, level, parent = r["code"], r["name"], r["level"], r["parent_code"]
        if level == "province":
            aliases = ["湖北"] if name == "湖北省" else []
        elif level == "prefecture":
            aliases = ["恩施州", "恩施自治州"] if code == "422800" else []
        elif level == "county":
            aliases = county_alias(name)
        elif level == "township":
            aliases = township_aliases(name)
        else:
            raise SystemExit(f"unknown level {level!r} for {code}")
        divisions[code] = {"code": code, "name": name, "level": level, "parent_code": parent or None,
                           "aliases": aliases}

    villages = read_csv(os.path.join(data_dir, "enshi-villages.csv"))
    # How each township writes its committees: "青堡村委会" (the place's 村 shared with the
    # suffix) or "荷花村村民委员会" (full name + suffix). A stem ending in 村 in a township of
    # the first kind is ambiguous (向家村村委会: 向家村 or 向家村村?); it is kept as the stem.
    shared: dict[str, list[int]] = {}
    for r in villages:
        for s in ("村民委员会", "村委会"):
            if r["name"].endswith(s):
                tally = shared.setdefault(r["township_code"], [0, 0])
                tally[0 if r["name"][: -len(s)].endswith("村") else 1] += 1
                break
    by_township: dict[tuple[str, str], str] = {}
    by_county: dict[tuple[str, str], list[str]] = {}
    for r in villages:
        code, raw, township = r["code"], r["name"], r["township_code"]
        if code in divisions:
            raise SystemExit(f"duplicate code {code}")
        if township not in divisions or divisions[township]["level"] != "township":
            raise SystemExit(f"village {code} has unknown township {township}")
        if not code.startswith(township) or len(code) != 12:
            warn(f"village {code} {raw}: code does not extend its township {township}")
        name = village_name(raw)
        # Odd names after stripping.
        seq = int(code[9:])
        if not (name.endswith("村") or name.endswith("社区")):
            warn(f"village {code}: {raw!r} -> {name!r} ends in neither 村 nor 社区")
        if any(w in name for w in ("委", "居委", "委员")):
            warn(f"village {code}: {raw!r} -> {name!r} still holds committee words")
        if any(ch.isascii() and not ch.isspace() for ch in name) or any(ch in name for ch in "（）()·"):
            warn(f"village {code}: {raw!r} -> {name!r} holds digits, Latin letters or brackets")
        tally = shared.get(township, [0, 0])
        if (raw.endswith("村村民委员会") or raw.endswith("村村委会")) and tally[1] > tally[0]:
            warn(f"village {code}: {raw!r} -> {name!r} is ambiguous (its township writes the place's 村 "
                 f"once, so it may be {name + '村'!r}); kept {name!r}")
        if name.endswith("村村"):
            warn(f"village {code}: {raw!r} -> {name!r} ends in 村村 (kept: the place is named {name[:-1]!r})")
        if len(name) <= 2:
            warn(f"village {code}: {raw!r} -> {name!r} is very short")
        if raw.endswith("村民委员") or raw.endswith("村民居委会"):
            warn(f"village {code}: irregular committee suffix {raw!r} -> {name!r}")
        if name.endswith("社区") and 200 <= seq <= 399:
            warn(f"village {code}: {name!r} is a 社区 with a 村委会 sequence number {seq:03d}")
        if name.endswith("村") and 1 <= seq <= 199:
            warn(f"village {code}: {name!r} is a 村 with a 居委会 sequence number {seq:03d}")
        key = (township, name)
        if key in by_township:
            warn(f"village {code}: {name!r} also names {by_township[key]} in the same township")
        by_township[key] = code
        by_county.setdefault((code[:6], name), []).append(code)
        divisions[code] = {"code": code, "name": name, "level": "village", "parent_code": township, "aliases": []}
    same = sorted((k, v) for k, v in by_county.items() if len(v) > 1)
    if same:
        warn(f"note: {len(same)} village names occur more than once in one county (legal; resolution "
             f"needs the township): " + ", ".join(f"{divisions[k[0]]['name']}{k[1]}×{len(v)}"
                                                    for k, v in same[:12]) + (" …" if len(same) > 12 else ""))
    for code, d in divisions.items():
        if d["parent_code"] and d["parent_code"] not in divisions:
            raise SystemExit(f"{code} has unknown parent {d['parent_code']}")
    return divisions


# ---------------------------------------------------------------- geometry

class Frame:
    """Local equirectangular frame in metres around an origin (lon0, lat0)."""

    def __init__(self, lon0: float, lat0: float):
        self.lon0, self.lat0 = lon0, lat0
        self.my = EARTH_RADIUS_M * math.pi / 180.0          # metres per degree of latitude
        self.mx = self.my * math.cos(math.radians(lat0))     # metres per degree of longitude

    def to_xy(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.lon0) * self.mx, (lat - self.lat0) * self.my)

    def to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        return (round(self.lon0 + x / self.mx, 6), round(self.lat0 + y / self.my, 6))


def rotate(x: float, y: float, deg: float) -> tuple[float, float]:
    a = math.radians(deg)
    return (x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a))


def path_length(pts: list[tuple[float, float]]) -> float:
    return sum(math.dist(pts[i], pts[i + 1]) for i in range(len(pts) - 1))


def cumulative(pts):
    out = [0.0]
    for i in range(len(pts) - 1):
        out.append(out[-1] + math.dist(pts[i], pts[i + 1]))
    return out


def point_at(pts, cum, m: float):
    """Point, unit direction and segment index at measure m along the line."""
    for i in range(len(pts) - 1):
        if cum[i] <= m <= cum[i + 1] or i == len(pts) - 2:
            seg = cum[i + 1] - cum[i]
            t = (m - cum[i]) / seg
            (x0, y0), (x1, y1) = pts[i], pts[i + 1]
            return (x0 + t * (x1 - x0), y0 + t * (y1 - y0)), ((x1 - x0) / seg, (y1 - y0) / seg), i
    raise ValueError(m)


def street_length_range(name: str) -> tuple[float, float]:
    if name.endswith("大道"):
        return (1400.0, 2400.0)
    if name.endswith("巷"):
        return (320.0, 600.0)
    if name.endswith("街"):
        return (500.0, 1300.0)
    return (600.0, 1800.0)


def make_line(rng: random.Random, name: str, cx: float, cy: float, angle: float, min_len: float = 0.0):
    """An illustrative gently bending line centred on (cx, cy) in the county frame (metres)."""
    lo, hi = street_length_range(name)
    length = rng.uniform(max(lo, min_len), max(hi, min_len))
    nv = 3 if length < 600 else 4 if length < 1200 else 5 if length < 1800 else 6
    extent = length * 0.985
    seg = extent / (nv - 1)
    ys = [0.0]
    for _ in range(nv - 1):
        step = rng.uniform(-0.2, 0.2) * seg
        ys.append(max(-60.0, min(60.0, ys[-1] + step)))
    mean = sum(ys) / len(ys)
    local = [(-extent / 2 + i * seg, ys[i] - mean) for i in range(nv)]
    if rng.random() < 0.5:           # the numbering direction
        local.reverse()
    return [tuple(a + b for a, b in zip(rotate(x, y, angle), (cx, cy))) for x, y in local]


# ---------------------------------------------------------------- streets

def generic_of(name: str) -> str | None:
    for g in GENERICS:
        if name.endswith(g) and len(name) > len(g):
            return g
    return None


def build_thoroughfares(data_dir: str, divisions: dict):
    rows = read_csv(os.path.join(data_dir, "enshi-streets.csv"))
    county_by_name = {d["name"]: c for c, d in divisions.items() if d["level"] == "county"}
    township_by_name = {(d["parent_code"], d["name"]): c for c, d in divisions.items() if d["level"] == "township"}
    streets: dict[str, list[dict]] = {c: [] for c in sorted(county_by_name.values())}
    for i, r in enumerate(rows, start=2):
        county = county_by_name.get(r["county"])
        if county is None:
            warn(f"streets line {i}: unknown county {r['county']!r}: dropped")
            continue
        name = r["street"]
        if not generic_of(name):
            warn(f"streets line {i}: {r['county']}{name!r} has no generic part (街/路/巷/大道…): dropped")
            continue
        if any(s["name"] == name for s in streets[county]):
            warn(f"streets line {i}: {r['county']}{name} listed twice: kept once")
            continue
        township = None
        if r["township"]:
            township = township_by_name.get((county, r["township"]))
            if township is None:
                warn(f"streets line {i}: unknown township {r['township']!r} in {r['county']}: seat used")
        streets[county].append({"name": name, "township": township or SEATS[county]["township"],
                                "township_given": township is not None, "basis": r["basis"],
                                "illustrative": False})
    for county, extra in ILLUSTRATIVE_STREETS.items():
        for name in extra:
            if any(s["name"] == name for s in streets[county]):
                raise SystemExit(f"illustrative street {name} is a real one of {county}")
            streets[county].append({"name": name, "township": SEATS[county]["township"], "township_given": False,
                                    "basis": "illustrative", "illustrative": True})
    for county, lst in streets.items():
        if len(lst) < MIN_STREETS:
            raise SystemExit(f"county {county} has only {len(lst)} streets: add illustrative ones")
        for n, s in enumerate(lst, start=1):
            s["ref"] = f"t-{county}-{n:02d}"
            s["county"] = county
    return streets


def layout_county(county: str, lst: list[dict]):
    """Place the county's streets in a rotated grid (2 columns, rows 320 m apart) around its seat."""
    seat = SEATS[county]
    frame = Frame(*seat["lonlat"])
    rng = random.Random(int(county) * 7919 + 1)
    order = sorted(lst, key=lambda s: (s["township"] != seat["township"], s["township"], s["ref"]))
    cols, row_gap, col_x = 2, 320.0, 1400.0
    rows = (len(order) + cols - 1) // cols
    for k, s in enumerate(order):
        row, col = divmod(k, cols)
        cx = (-col_x if col == 0 else col_x) + rng.uniform(-100.0, 100.0)
        cy = (row - (rows - 1) / 2.0) * row_gap
        cx, cy = rotate(cx, cy, seat["angle"])
        min_len = 0.0
        if county == SPEC_PLATE["county"] and s["name"] == SPEC_PLATE["street"]:
            min_len = SPEC_PLATE["measure"] + 150.0
        for _attempt in range(100):
            local = make_line(rng, s["name"], cx, cy, seat["angle"], min_len)
            coords = [frame.to_lonlat(x, y) for x, y in local]
            pts = [frame.to_xy(lon, lat) for lon, lat in coords]
            if 300.0 <= path_length(pts) <= 2500.0:
                break
        else:
            raise SystemExit(f"cannot draw {s['name']}")
        s["coords"] = [list(c) for c in coords]
        s["pts"] = pts
        s["frame"] = frame


# ---------------------------------------------------------------- plates

def allowed(m: float, cum: list[float]) -> bool:
    if m < END_MARGIN_M or m > cum[-1] - END_MARGIN_M:
        return False
    return all(abs(m - v) >= VERTEX_MARGIN_M for v in cum[1:-1])


def plates_for_street(s: dict, rng: random.Random, want_sub: bool, forced: tuple[int, float] | None):
    pts, frame = s["pts"], s["frame"]
    cum = cumulative(pts)
    total = cum[-1]
    k = rng.randint(6, 8) if s["name"].endswith("巷") else rng.randint(6, 12)
    if want_sub or forced:
        k = min(k, 11)    # room for the 附号: at most 12 plates in all
    # Measures: spread over the line, clear of ends, bends and each other.
    measures: list[float] = []
    forced_m = None
    if forced:
        forced_m = forced[1]
        while not allowed(forced_m, cum) or not allowed(forced_m + SUB_AFTER_M, cum):
            forced_m += 1.0
        measures.append(forced_m)
    tries = 0
    while len(measures) < k:
        tries += 1
        if tries > 100000:
            raise SystemExit(f"cannot place plates on {s['name']}")
        m = rng.uniform(END_MARGIN_M, total - END_MARGIN_M)
        if not allowed(m, cum):
            continue
        if forced_m is not None and abs(m - forced_m) < 60.0:
            continue
        if any(abs(m - o) < MIN_GAP_M + SUB_AFTER_M for o in measures):
            continue
        measures.append(m)
    measures.sort()
    items = []
    last = 0
    sub_done = not want_sub
    for m in measures:
        if forced and m == forced_m:
            number = forced[0]
            if number <= last:
                raise SystemExit(f"forced number {number} out of order on {s['name']}")
        else:
            side_odd = rng.random() < 0.5
            number = max(last + 1, round(m / METRES_PER_NUMBER))
            if (number % 2 == 1) != side_odd:
                number += 1
        last = number
        items.append({"m": m, "number": number, "sub": None})
        if (forced and m == forced_m) or (not sub_done and number % 2 == 1 and number > 3
                                          and allowed(m + SUB_AFTER_M, cum)):
            items.append({"m": m + SUB_AFTER_M, "number": number, "sub": 1})
            if not (forced and m == forced_m):
                sub_done = True
    out = []
    for it in items:
        (px, py), (dx, dy), _ = point_at(pts, cum, it["m"])
        left = it["number"] % 2 == 1                       # 左单右双
        off = rng.uniform(*OFFSET_M)
        nx, ny = (-dy, dx) if left else (dy, -dx)          # left normal = direction turned 90° CCW
        lon, lat = frame.to_lonlat(px + nx * off, py + ny * off)
        p = {"kind": "plate", "thoroughfare_ref": s["ref"], "number": it["number"]}
        if it["sub"] is not None:
            p["sub"] = it["sub"]
        p["township_code"] = s["township"]
        out.append((p, [lon, lat]))
    return out


def rooms(floors: int, per_floor: int) -> list[str]:
    return [f"{f}{r:02d}" for f in range(1, floors + 1) for r in range(1, per_floor + 1)]


def build_plates(streets: dict):
    plates = []
    for county, lst in streets.items():
        rng = random.Random(int(county) * 104729 + 7)
        with_sub = {lst[0]["ref"]} if county in ("422802", "422822") else set()
        for idx, s in enumerate(lst):
            forced = None
            if county == SPEC_PLATE["county"] and s["name"] == SPEC_PLATE["street"]:
                forced = (SPEC_PLATE["number"], SPEC_PLATE["measure"])
            ps = plates_for_street(s, rng, s["ref"] in with_sub, forced)
            if idx == 0:   # one plate per county with one building, one unit, four rooms
                p = next(p for p, _ in ps if "sub" not in p and p["number"] > 5)
                p["buildings"] = [{"number": 1, "units": [{"number": 1, "rooms": ["101", "102", "201", "202"]}]}]
            if forced:     # SPEC §3: …航空大道123号3栋2单元501室
                p = next(p for p, _ in ps if p["number"] == forced[0] and "sub" not in p)
                p["buildings"] = [{"number": b, "units": [{"number": u, "rooms": rooms(6, 2)} for u in (1, 2)]}
                                  for b in (1, 2, 3)]
            plates.extend(ps)
    return plates


# ---------------------------------------------------------------- localities

def build_localities(divisions: dict):
    locs, plates = [], []
    per_county: dict[str, int] = {}
    seen = set()
    for village, name in LOCALITIES:
        d = divisions.get(village)
        if d is None or d["level"] != "village":
            raise SystemExit(f"locality {name}: unknown village {village}")
        if (village, name) in seen:
            raise SystemExit(f"locality {name} twice in {village}")
        seen.add((village, name))
        county = village[:6]
        k = per_county.get(county, 0)
        per_county[county] = k + 1
        n = sum(1 for v, _ in LOCALITIES[: LOCALITIES.index((village, name))] if v == village) + 1
        ref = f"l-{village}-{n}"
        frame = Frame(*SEATS[county]["lonlat"])
        rng = random.Random(int(village) * 31 + n)
        # Outside the street grid, 4.5–6 km from the seat, spread round it.
        bearing = math.radians(SEATS[county]["angle"] + 90.0 + 120.0 * k + rng.uniform(-15.0, 15.0))
        dist = rng.uniform(4500.0, 6000.0)
        cx, cy = dist * math.cos(bearing), dist * math.sin(bearing)
        locs.append(({"kind": "locality", "ref": ref, "name": name, "village_code": village, "former_names": []},
                     {"type": "Point", "coordinates": list(frame.to_lonlat(cx, cy))}))
        for i in range(1, rng.randint(3, 5) + 1):
            a = rng.uniform(0, 2 * math.pi)
            r = rng.uniform(20.0, 90.0)
            plates.append(({"kind": "plate", "locality_ref": ref, "number": i},
                           list(frame.to_lonlat(cx + r * math.cos(a), cy + r * math.sin(a)))))
    return locs, plates


# ---------------------------------------------------------------- output

def feature(props: dict, geometry) -> str:
    return json.dumps({"type": "Feature", "properties": props, "geometry": geometry},
                      ensure_ascii=False, separators=(",", ":"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", nargs="?", default=DEFAULT_DATA_DIR)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    divisions = build_divisions(args.data_dir)
    streets = build_thoroughfares(args.data_dir, divisions)
    for county, lst in streets.items():
        layout_county(county, lst)
    plates = build_plates(streets)
    locs, loc_plates = build_localities(divisions)

    lines = []
    for code in sorted(divisions):
        d = divisions[code]
        props = {"kind": "division", "code": code, "name": d["name"], "level": d["level"]}
        if d["parent_code"]:
            props["parent_code"] = d["parent_code"]
        props["aliases"] = d["aliases"]
        lines.append(feature(props, None))
    all_streets = sorted((s for lst in streets.values() for s in lst), key=lambda s: s["ref"])
    for s in all_streets:
        props = {"kind": "thoroughfare", "ref": s["ref"], "name": s["name"], "county_code": s["county"],
                 "former_names": []}
        lines.append(feature(props, {"type": "LineString", "coordinates": s["coords"]}))
    for props, geom in sorted(locs, key=lambda f: f[0]["ref"]):
        lines.append(feature(props, geom))
    plates.sort(key=lambda f: (f[0]["thoroughfare_ref"], f[0]["number"], f[0].get("sub", 0)))
    loc_plates.sort(key=lambda f: (f[0]["locality_ref"], f[0]["number"]))
    for props, coords in plates + loc_plates:
        lines.append(feature(props, {"type": "Point", "coordinates": coords}))

    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)

    kinds: dict[str, int] = {}
    for d in divisions.values():
        kinds[d["level"]] = kinds.get(d["level"], 0) + 1
    warn("wrote " + os.path.relpath(args.out) + ": " + ", ".join(f"{k} {v}" for k, v in kinds.items())
         + f", thoroughfares {len(all_streets)}, localities {len(locs)}, plates {len(plates) + len(loc_plates)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
