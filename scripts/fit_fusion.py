"""Fit the ESCO layer's fusion on the development data only, reproducibly (a grid, no randomness).

usage: python scripts/fit_fusion.py [--eval ../shared/eval] [--cache FILE] [--step 0.05]

Two fits, each printed with its neighbours so a reader sees how flat the optimum is:

  titles  OccupationIndex.DEFAULT_WEIGHTS (lexical, use, e5; summing to 1) by the mean MRR of
          ranking all ESCO occupations for the job titles of the MELO development splits
          (melo_dev/at_de, fr_de, es_de), as bench/quality.py's "->all" rows measure it.
  prose   OccupationIndex.PROSE_WEIGHTS and PROSE_MIN_CONFIDENCE (the confidence below which a
          profile's detected occupation is dropped) by the occupation part alone on the dev set
          (../shared/eval/dev: German ads against hand-written profiles in many languages), as
          bench/quality.py's "occ:fused" row measures it: MRR + nDCG@10, with the trap
          candidates in the pool and without them (a trap is the right occupation and only
          the hard constraints tell it apart, so with traps the figure is partly chance).
          Each grid point is judged with its grid neighbours (mean over the point and the
          points one step away): the dev set has 34 profiles, so a lone spike is noise.
          Every signal keeps a prose weight of at least --prose-min-weight (0.1): held-out
          profiles come in languages a signal may not know (USE abstains on Tigrinya and
          was not trained on Ukrainian or Romanian), so no signal may be fitted away.

Nothing held out is read; no evaluation text is written anywhere.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("PLACEMENT_ESCO", "on")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import melo_gold, read  # noqa: E402  (bench/quality.py)

from placement.matching import (  # noqa: E402
    CandidateRecord,
    NpzCache,
    VacancyRecord,
    load_encoder,
)
from placement.matching.engine import _esco_queries, _titles  # noqa: E402
from placement.matching.esco import OccupationIndex, default_index  # noqa: E402

SPLITS = ("at_de", "fr_de", "es_de")
SIGNALS = ("lexical", "use", "e5")


def simplex(step: float, least: float = 0.0) -> list[dict[str, float]]:
    n = round(1 / step)
    grid = [
        {"lexical": a / n, "use": b / n, "e5": (n - a - b) / n}
        for a in range(n + 1)
        for b in range(n + 1 - a)
    ]
    return [w for w in grid if min(w.values()) >= least - 1e-9]


def neighbours(w: dict[str, float], grid: list[dict[str, float]], step: float) -> list[int]:
    return [i for i, g in enumerate(grid) if max(abs(g[k] - w[k]) for k in SIGNALS) <= step + 1e-9]


def occupation_mrr(fused: np.ndarray, gold: list[set[int]]) -> float:
    total = 0.0
    for row, good in zip(fused, gold, strict=True):
        if good:
            best = max(row[j] for j in good)
            total += 1.0 / (1 + int((row > best).sum()))
    return total / len(gold)


def fit_titles(index: OccupationIndex, eval_dir: Path, cache, step: float) -> dict:
    sets = []
    for name in SPLITS:
        texts, gold = melo_gold(eval_dir / "melo_dev" / name, index.esco)
        sets.append((index.signal_scores(texts, cache), gold))
    grid = simplex(step)
    figures = [[occupation_mrr(index.fuse(s, w), g) for s, g in sets] for w in grid]
    mean = np.asarray([np.mean(f) for f in figures])
    best = int(np.argmax(mean))
    print("\ntitles: mean MRR over", ", ".join(SPLITS))
    now = index.weights
    cur = [occupation_mrr(index.fuse(s, now), g) for s, g in sets]
    print(f"  current {now}: {np.mean(cur):.4f} {[round(x, 3) for x in cur]}")
    for i in np.argsort(-mean)[:8]:
        print(f"  {grid[i]}: {mean[i]:.4f} {[round(x, 3) for x in figures[i]]}")
    return grid[best]


def fit_prose(
    index: OccupationIndex, eval_dir: Path, cache, step: float, least: float
) -> tuple[dict, float]:
    data = eval_dir / "dev"
    vacancies = read(data / "vacancies.jsonl", VacancyRecord.from_dict)
    candidates = read(data / "candidates.jsonl", CandidateRecord.from_dict)
    truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))["relevant"]
    queries: list[tuple[str, str, bool]] = []  # record id, text, is prose
    for r in [*vacancies, *candidates]:
        titles = set(_titles(r))
        queries += [(r.id, q, q not in titles) for q in _esco_queries(r)]
    prose = np.asarray([p for _, _, p in queries])
    texts = [q for _, q, _ in queries]
    scores: dict[str, np.ndarray] = {}
    for is_prose in (False, True):  # as the engine searches them: titles apart from profiles
        rows = np.flatnonzero(prose == is_prose)
        part = index.signal_scores([texts[i] for i in rows], cache, is_prose)
        for name, matrix in part.items():
            scores.setdefault(name, np.zeros((len(texts), matrix.shape[1]), np.float32))
            scores[name][rows] = matrix
    titled = index.fuse(scores)
    trap_ids = {t["candidate"] for t in json.loads(
        (data / "truth.json").read_text(encoding="utf-8")).get("traps", [])}  # fmt: skip
    pool_all = [c.id for c in candidates]
    pools = (pool_all, [c for c in pool_all if c not in trap_ids])

    def evaluate(w: dict[str, float], floor: float) -> float:
        fused = np.where(prose[:, None], index.fuse(scores, w), titled)
        found: dict[str, dict[int, float]] = {}
        for row, (rid, _, is_prose) in enumerate(queries):
            least = floor if is_prose else index.min_confidence
            top = np.argsort(-fused[row], kind="stable")[: index.top]
            d = found.setdefault(rid, {})
            for j in top:
                if fused[row, j] >= least and fused[row, j] > d.get(j, 0.0):
                    d[j] = float(fused[row, j])
        total = 0.0
        for pool in pools:
            mrr = ndcg = 0.0
            for v in vacancies:
                a = found.get(v.id, {})
                s = np.asarray([
                    max((a[k] * found.get(c, {})[k] for k in a.keys() & found.get(c, {}).keys()),
                        default=0.0) for c in pool])  # fmt: skip
                order = [pool[i] for i in np.lexsort((np.asarray(pool), -s))]
                good = set(truth[v.id])
                first = next((i for i, c in enumerate(order) if c in good), None)
                mrr += 0.0 if first is None else 1 / (first + 1)
                dcg = sum(1 / math.log2(i + 2) for i, c in enumerate(order[:10]) if c in good)
                ndcg += dcg / sum(1 / math.log2(i + 2) for i in range(min(10, len(good))))
            total += (mrr + ndcg) / len(vacancies)
        return total / 4  # mean of MRR and nDCG, with and without traps

    grid = simplex(step, least)
    floors = (0.15, 0.2, 0.25, 0.3)
    value = np.asarray([[evaluate(w, f) for w in grid] for f in floors])
    smooth = np.asarray(
        [[value[fi, neighbours(w, grid, step)].mean() for w in grid] for fi in range(len(floors))]
    )
    fi, wi = np.unravel_index(int(np.argmax(smooth)), smooth.shape)
    print("\nprose: dev set occupation part, mean of MRR and nDCG@10 with and without traps")
    cur = evaluate(index.prose_weights, index.prose_min_confidence)
    print(f"  current {index.prose_weights}, floor {index.prose_min_confidence}: {cur:.4f}")
    for name in SIGNALS:
        alone = {k: float(k == name) for k in SIGNALS}
        print(f"  {name} alone: " + ", ".join(
            f"floor {f} {evaluate(alone, f):.4f}" for f in floors))  # fmt: skip
    order = np.argsort(-smooth, axis=None)[:8]
    for flat in order:
        f, w = np.unravel_index(int(flat), smooth.shape)
        print(f"  {grid[w]}, floor {floors[f]}: {value[f, w]:.4f} (with neighbours "
              f"{smooth[f, w]:.4f})")  # fmt: skip
    return grid[wi], floors[fi]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--cache", type=Path, default=ROOT / "instance" / "bench_vectors.npz")
    parser.add_argument("--step", type=float, default=0.05)
    parser.add_argument("--prose-step", type=float, default=0.1)
    parser.add_argument("--prose-min-weight", type=float, default=0.1)
    args = parser.parse_args()
    cache = NpzCache(args.cache)
    index = default_index(load_encoder())
    index.fit()
    print(f"signals: {index.signal_names}")
    titles = fit_titles(index, args.eval, cache, args.step)
    prose, floor = fit_prose(index, args.eval, cache, args.prose_step, args.prose_min_weight)
    print(f"\nDEFAULT_WEIGHTS = {titles}\nPROSE_WEIGHTS = {prose}\nPROSE_MIN_CONFIDENCE = {floor}")


if __name__ == "__main__":
    main()
