"""Derive data/esco/occupations.jsonl.gz from the official ESCO CSV exports.

usage: python scripts/derive_esco.py [--src ../shared/data/esco] [--out data/esco]

One JSON object per occupation: id (the UUID of its concept URI), code (ESCO code), isco
(ISCO-08 unit group), level (KldB-style requirement level 1-4 derived from the ISCO skill level),
regulated (the regulated-profession note says so), labels per language (preferred label first,
then the alternative labels; de, en from ESCO v1.2.0; fr, es, pl, ro from v1.0.8) and the English
labels of its essential and optional skills.
This service uses the ESCO classification of the European Commission.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANG_FILES = {
    "de": "occupations_de_v1.2.0.csv",
    "en": "occupations_en_v1.2.0.csv",
    "fr": "occupations_fr_v1.0.8.csv",
    "es": "occupations_es_v1.0.8.csv",
    "pl": "occupations_pl_v1.0.8.csv",
    "ro": "occupations_ro_v1.0.8.csv",
}
# ISCO-08 skill levels by major group (ISCO-08 Part I, table 1), as KldB requirement levels
# 1 Helfer, 2 Fachkraft, 3 Spezialist, 4 Experte. Managers of group 14 and technicians/associate
# professionals (3) sit at skill level 3; armed forces by rank.
MAJOR_LEVEL = {"1": 4, "2": 4, "3": 3, "4": 2, "5": 2, "6": 2, "7": 2, "8": 2, "9": 1}
SUB_LEVEL = {"14": 3, "01": 4, "02": 2, "03": 1}


def isco_level(isco: str) -> int:
    """KldB-style requirement level from an ISCO-08 code (skill level of its group)."""
    return SUB_LEVEL.get(isco[:2], MAJOR_LEVEL.get(isco[:1], 2))


def uuid(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def labels(row: dict) -> list[str]:
    out = [row["preferredLabel"].strip()]
    out += [a.strip() for a in (row.get("altLabels") or "").split("\n")]
    return list(dict.fromkeys(x for x in out if x))


def read_csv(path: Path) -> list[dict]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def derive(src: Path) -> list[dict]:
    base = {r["conceptUri"]: r for r in read_csv(src / LANG_FILES["de"])}
    occs: dict[str, dict] = {}
    for uri, row in sorted(base.items(), key=lambda kv: kv[1]["code"]):
        note = row.get("regulatedProfessionNote") or ""
        occs[uri] = {
            "id": uuid(uri),
            "code": row["code"],
            "isco": row["iscoGroup"],
            "level": isco_level(row["iscoGroup"]),
            "regulated": bool(note) and not note.rstrip("/").endswith("unregulated"),
            "labels": {"de": labels(row)},
        }
    for lang, name in LANG_FILES.items():
        if lang == "de":
            continue
        for row in read_csv(src / name):
            if row["conceptUri"] in occs:
                occs[row["conceptUri"]]["labels"][lang] = labels(row)
    skills = {r["conceptUri"]: r["preferredLabel"].strip() for r in read_csv(src / "skills_en.csv")}
    for occ in occs.values():
        occ["skills"], occ["optional_skills"] = [], []
    for r in read_csv(src / "occupationSkillRelations.csv"):
        occ, label = occs.get(r["occupationUri"]), skills.get(r["skillUri"])
        if occ is not None and label:
            key = "skills" if r["relationType"] == "essential" else "optional_skills"
            occ[key].append(label)
    for occ in occs.values():
        occ["skills"] = sorted(set(occ["skills"]))
        occ["optional_skills"] = sorted(set(occ["optional_skills"]) - set(occ["skills"]))
    return list(occs.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--src", type=Path, default=ROOT.parent / "shared" / "data" / "esco")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "esco")
    args = parser.parse_args()
    occs = derive(args.src)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "occupations.jsonl.gz"
    # mtime=0: the same input gives byte-identical output
    with gzip.GzipFile(target, "wb", mtime=0) as raw:
        for occ in occs:
            raw.write((json.dumps(occ, ensure_ascii=False, sort_keys=True) + "\n").encode())
    n_labels = sum(len(v) for o in occs for v in o["labels"].values())
    print(f"{target}: {len(occs)} occupations, {n_labels} labels, {target.stat().st_size} bytes")


if __name__ == "__main__":
    main()
