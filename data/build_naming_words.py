#!/usr/bin/env python3
"""Derives data/naming-words.tsv from data/naming-words-source.txt: every listed word
that occurs inside no real place name of Enshi (../shared/data: streets, villages,
divisions; and the bundled register, data/enshi.geojson), so that the naming rules never refuse a name the prefecture really has.

    python3 data/build_naming_words.py [../shared/data]
"""
import csv
import pathlib
import sys

here = pathlib.Path(__file__).parent
shared = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else here / ".." / ".." / "shared" / "data")

names = set()
for file, columns in [("enshi-streets.csv", ["street", "township"]), ("enshi-villages.csv", ["name"]),
                      ("enshi-divisions.csv", None)]:
    with open(shared / file, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for key, value in row.items():
                if (columns is None or key in columns) and value:
                    names.add(value)

# And the names of the bundled register itself.
import json
bundled = json.load(open(here / "enshi.geojson", encoding="utf-8"))
for feature in bundled["features"]:
    props = feature.get("properties") or {}
    for key in ("name",):
        if props.get(key):
            names.add(props[key])
    for former in props.get("former_names") or []:
        names.add(former.get("name", ""))

kept, dropped = [], []
seen = set()
for line in open(here / "naming-words-source.txt", encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    rule, word = line.split("\t")
    if (rule, word) in seen:
        continue
    seen.add((rule, word))
    clash = sorted(n for n in names if word in n)
    (dropped if clash else kept).append((rule, word, clash[:3]))

with open(here / "naming-words.tsv", "w", encoding="utf-8") as out:
    out.write("# Derived by data/build_naming_words.py from naming-words-source.txt (sources there).\n")
    for rule, word, _ in kept:
        out.write(f"{rule}\t{word}\n")
for rule, word, clash in dropped:
    print(f"dropped {word} ({rule}): in {', '.join(clash)}", file=sys.stderr)
print(f"{len(kept)} words kept, {len(dropped)} dropped", file=sys.stderr)
