#!/usr/bin/env python3
"""Build the bundled national division list: data/china-divisions.tsv.

Usage (from the repository root):

    python3 data/build_china.py [CHINA_DIR] [--out FILE]

CHINA_DIR holds provinces.csv, cities.csv, areas.csv and streets.csv (default:
../shared/data/china relative to the repository root): every province, prefecture,
county-level unit and township of China with its statistical code. The output has
one division a line, `code<TAB>name` or `code<TAB>name<TAB>parent`, sorted by code;
codes are padded to GB/T 2260's 6 digits (9 for a township). The parent is written
only where it is not the code's own prefix (the prefix rule: a township's county is
its first 6 digits, a county's prefecture its first 4 + `00`, a prefecture's province
its first 2 + `0000`).

The placeholder prefectures of the source (`市辖区`, `县`, `省直辖县级行政区划`,
`自治区直辖县级行政区划`) are no divisions: their counties hang from the province.
Python 3.11, standard library only; the output is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DIR = os.path.join(REPO_ROOT, "..", "shared", "data", "china")
DEFAULT_OUT = os.path.join(REPO_ROOT, "data", "china-divisions.tsv")

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("china_dir", nargs="?", default=DEFAULT_DIR)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    d = args.china_dir

    out: dict[str, tuple[str, str]] = {}  # code -> (name, parent)
    for r in rows(os.path.join(d, "provinces.csv")):
        out[r["code"] + "0000"] = (r["name"], "")
    placeholder: set[str] = set()
    for r in rows(os.path.join(d, "cities.csv")):
        code = r["code"] + "00"
        if r["name"] in PLACEHOLDERS:
            placeholder.add(code)
            continue
        out[code] = (r["name"], r["provinceCode"] + "0000")
    for r in rows(os.path.join(d, "areas.csv")):
        city = r["cityCode"] + "00"
        parent = r["provinceCode"] + "0000" if city in placeholder else city
        out[r["code"]] = (r["name"], parent)
    for r in rows(os.path.join(d, "streets.csv")):
        if r["areaCode"] not in out:
            print(f"township {r['code']} {r['name']}: no county {r['areaCode']}, left out", file=sys.stderr)
            continue
        out[r["code"]] = (r["name"], r["areaCode"])

    def by_prefix(code: str) -> str:
        if len(code) == 9:
            return code[:6]
        if code.endswith("0000"):
            return ""
        if code.endswith("00"):
            return code[:2] + "0000"
        return code[:4] + "00"

    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for code in sorted(out, key=lambda c: (c[:6], len(c), c)):
            name, parent = out[code]
            if parent == by_prefix(code):
                f.write(f"{code}\t{name}\n")
            else:
                f.write(f"{code}\t{name}\t{parent}\n")
    print(f"{len(out)} divisions written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
