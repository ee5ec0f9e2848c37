"""How far the MELO development splits let the ESCO occupation ranking go: where it loses.

usage: python bench/melo_ceiling.py [--eval DIR] [--cache FILE] [--top K]

For each MELO development split (job titles against all labels, as `bench/quality.py`'s
at_de->all row ranks them) it prints:
  fused         MRR of the shipped fusion (OccupationIndex.search's order)
  oracle        MRR if each title were ranked by whichever signal (or the fusion) ranks its
                gold best (an upper bound for any weighting of the signals)
  learnt        MRR of a reranker of the fused top K (logistic regression on the signals, their
                ranks, the gap to the best, the ISCO group's support among the top 10 and
                occupation priors: ESCO code depth, label count, level, group size) learnt on the
                two other splits only: what a learnt fusion adds on titles it has not seen
  recall@K      share of titles whose gold occupation is in the fused top K at all
  hub titles    titles whose gold occupation is the gold of at least three titles of the split
                (the crosswalk maps many narrow national occupations onto one ESCO occupation,
                e.g. many textile trades onto one machine operator) and their MRR beside the rest
  hubs at 1     MRR of the fusion if every hub title found its gold first (the rest as they are)
Nothing is copied from the evaluation sets; they are read at run time.
"""

from __future__ import annotations

import os

os.environ.setdefault("PLACEMENT_ESCO", "on")
import argparse
from collections import Counter
from pathlib import Path

import numpy as np
from common import ROOT  # noqa: E402
from quality import DEFAULT_EVAL, melo_gold  # noqa: E402

from placement.matching import NpzCache, load_encoder  # noqa: E402
from placement.matching.esco import default_index  # noqa: E402

SPLITS = ("at_de", "fr_de", "es_de")


def reciprocal_ranks(order: np.ndarray, gold: list[set[int]]) -> np.ndarray:
    """Per title, 1 / the rank of its first gold occupation in its row of `order` (titles,
    occupations best first); 0 for a title without gold or without it in its row."""
    out = np.zeros(len(gold))
    for i, (row, good) in enumerate(zip(order, gold, strict=True)):
        hits = np.flatnonzero(np.isin(row, list(good))) if good else []
        out[i] = 1.0 / (1 + hits[0]) if len(hits) else 0.0
    return out


def features(scores: dict[str, np.ndarray], fused: np.ndarray, top: np.ndarray, priors, isco):
    """(titles * K, features) for the fused top K of each title."""
    names = sorted(scores)
    ranks = {n: np.argsort(np.argsort(-np.nan_to_num(scores[n], nan=-1), axis=1), axis=1)
             for n in names}  # fmt: skip
    fused_rank = np.argsort(np.argsort(-fused, axis=1), axis=1)
    rows = []
    for i, cand in enumerate(top):
        parts = [fused[i, cand], fused[i, cand] - fused[i, cand[0]], np.log1p(fused_rank[i, cand])]
        for n in names:
            value = np.nan_to_num(scores[n][i, cand], nan=0.0)
            parts += [value, value - value.max(), np.log1p(ranks[n][i, cand])]
        ten = isco[cand[:10]]
        parts.append(np.asarray([(ten == isco[j]).sum() for j in cand], dtype=float))
        rows.append(np.column_stack([*parts, priors[cand]]))
    return np.vstack(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--cache", type=Path, default=ROOT / "instance" / "bench_vectors.npz")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    cache = NpzCache(args.cache)
    index = default_index(load_encoder(None)).fit()
    esco = index.esco
    occs = [esco.occupations[oid] for oid in esco.ids]
    isco = np.asarray([o.isco for o in occs])
    group_size = Counter(isco.tolist())
    priors = np.column_stack([
        [o.code.count(".") for o in occs],
        np.log1p([sum(len(v) for v in o.labels.values()) for o in occs]),
        [o.level for o in occs],
        np.log([group_size[g] for g in isco]),
    ]).astype(float)  # fmt: skip
    data = {}
    for split in SPLITS:
        texts, gold = melo_gold(args.eval / "melo_dev" / split, esco)
        scores = index.signal_scores(texts, cache)
        fused = index.fuse(scores)
        top = np.argsort(-fused, axis=1, kind="stable")[:, : args.top]
        labels = np.concatenate([np.isin(row, list(g)) for row, g in zip(top, gold, strict=True)])
        data[split] = (texts, gold, scores, fused, top, features(scores, fused, top, priors, isco),
                       labels)  # fmt: skip
    if hasattr(cache, "save"):
        cache.save()

    print(f"{'split':<7} {'fused':>6} {'oracle':>7} {'learnt':>7} {'recall@K':>9} "
          f"{'hub titles':>11} {'hub MRR':>8} {'other MRR':>10} {'hubs at 1':>10}")  # fmt: skip
    for split in SPLITS:
        texts, gold, scores, fused, top, x, y = data[split]
        order = np.argsort(-fused, axis=1, kind="stable")
        fused_rr = reciprocal_ranks(order, gold)
        best = fused_rr.copy()
        for matrix in scores.values():
            alone = np.argsort(-np.nan_to_num(matrix, nan=-1), axis=1, kind="stable")
            best = np.maximum(best, reciprocal_ranks(alone, gold))
        others = [s for s in SPLITS if s != split]
        model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
        x_train = np.vstack([data[s][5] for s in others])
        model.fit(x_train, np.concatenate([data[s][6] for s in others]))
        p = model.predict_proba(x)[:, 1].reshape(len(gold), -1)
        reranked = np.take_along_axis(top, np.argsort(-p, axis=1, kind="stable"), axis=1)
        rest = order[:, args.top :]
        learnt = reciprocal_ranks(np.hstack([reranked, rest]), gold).mean()
        recall = np.mean([np.isin(row, list(g)).any() for row, g in zip(top, gold, strict=True)])
        counts = Counter(j for g in gold for j in g)
        hub = np.asarray([any(counts[j] >= 3 for j in g) for g in gold])
        hubs_at_one = np.where(hub, 1.0, fused_rr).mean()
        print(f"{split:<7} {fused_rr.mean():>6.3f} {best.mean():>7.3f} {learnt:>7.3f} "
              f"{recall:>9.3f} {hub.sum():>5} ({hub.mean():4.0%}) {fused_rr[hub].mean():>8.3f} "
              f"{fused_rr[~hub].mean():>10.3f} {hubs_at_one:>10.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
