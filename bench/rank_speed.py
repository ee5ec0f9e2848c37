"""`placement rank` on a MELO development split, warm cache, against a plain TF-IDF ranking.

usage: python bench/rank_speed.py [--split melo_dev/at_de] [--eval ../shared/eval] [--top 10]
                                  [--cache FILE]

Both run as processes of their own in the same run, on the same split and top k: the engine
(`python -m placement.matching rank`, its vector cache warmed by a first, untimed run) and a
TF-IDF ranking (character n-grams, cosine, top k per query: the classic baseline). Prints both
times and the ratio (target <= 2). The ESCO layer follows PLACEMENT_ESCO as the CLI does.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TFIDF = r"""
import json, sys
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
vac, cand, direction, top = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def read(p): return [json.loads(l) for l in open(p, encoding="utf-8") if l.strip()]
def text(r): return "\n".join(x for x in (r.get("title"), r.get("occupation"),
    ", ".join(r.get("desired_occupations", [])), ", ".join(r.get("skills", [])),
    r.get("description"), r.get("profile")) if x)
vs, cs = read(vac), read(cand)
queries, pool = (vs, cs) if direction == "vacancy" else (cs, vs)
vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
vec.fit([text(r) for r in queries + pool])
q, p = vec.transform([text(r) for r in queries]), vec.transform([text(r) for r in pool])
scores = (q @ p.T).toarray()
out = []
for r, row in zip(queries, scores):
    best = np.argpartition(-row, top)[:top]
    best = best[np.argsort(-row[best])]
    out.append(json.dumps({"query": r["id"], "results": [
        {"id": pool[i]["id"], "score": round(float(row[i]), 4)} for i in best]}))
print("\n".join(out))
"""


def run(args: list[str]) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - start, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--split", default="melo_dev/at_de")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--cache", type=Path, default=ROOT / "instance" / "bench_rank.npz")
    args = parser.parse_args()
    data = args.eval / args.split
    truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))
    vac, cand = data / "vacancies.jsonl", data / "candidates.jsonl"
    vacancy_ids = {json.loads(line)["id"] for line in vac.open(encoding="utf-8") if line.strip()}
    direction = "vacancy" if set(truth["relevant"]) <= vacancy_ids else "candidate"
    rank = [sys.executable, "-m", "placement.matching", "rank", "--vacancies", str(vac),
            "--candidates", str(cand), "--direction", direction, "--top", str(args.top),
            "--cache", str(args.cache)]  # fmt: skip
    esco = os.environ.get("PLACEMENT_ESCO", "on")
    print(
        f"{args.split}: ranking per {direction}, top {args.top}, ESCO {esco}; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    warm, _ = run(rank)
    print(f"  engine, first run (fills the vector cache)  {warm:8.1f} s")
    engine, out = run(rank)
    tfidf, base = run([sys.executable, "-c", TFIDF, str(vac), str(cand), direction,
                       str(args.top)])  # fmt: skip
    assert len(out.splitlines()) == len(base.splitlines()), "both rank every query"
    print(f"  engine, warm cache (`placement rank`)       {engine:8.1f} s")
    print(f"  plain TF-IDF ranking of the same split      {tfidf:8.1f} s")
    print(f"  ratio engine / TF-IDF                       {engine / tfidf:8.1f} x  (target <= 2)")


if __name__ == "__main__":
    main()
