"""One vacancy against N cached candidates: the engine's ranking against the NumPy floor.

usage: python bench/scale.py [--n 100000] [--k 25] [--runs 20]

The candidates' vectors are cached (random unit vectors stand in for them, as in speed.py) and
the candidates vary in every field the hard constraints read. Timed, interleaved, median of
--runs: the engine ranking one vacancy against all of them (constraints judged for all, the top
k explained in full) and the floor: matrix product plus argpartition over the same vectors.
Prints the ratio engine / floor (target <= 3) and the peak resident memory of this process
(target <= 500 MB for 100,000 candidates). Runs on the code of issue 13 (a ranking pool built
once) and on the code before it (Matcher.rank_candidates over the records, vectors in the
cache), whichever PYTHONPATH points at, so that before and after are the same script.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from speed import WORDS  # noqa: E402  (bench/speed.py: words of profiles)

from placement.matching import CandidateRecord, Matcher, MemoryCache, VacancyRecord  # noqa: E402
from placement.matching.cache import text_key  # noqa: E402

POSTCODES = ["30159", "30167", "31134", "80331", "01067", "20095", "50667", None]


class CachedOnly:
    """An encoder that must never be asked: every vector is in the cache."""

    name = "bench-cached@1"

    def encode(self, texts):
        raise AssertionError(f"encoded {len(texts)} texts: the bench ranks cached vectors only")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def candidates(n: int, seed: int = 3) -> list[CandidateRecord]:
    rng = np.random.default_rng(seed)
    pick = lambda options: options[int(rng.integers(len(options)))]  # noqa: E731
    out = []
    for i in range(n):
        words = rng.choice(WORDS, size=int(rng.integers(8, 30)))
        out.append(CandidateRecord(
            id=f"c{i}", profile=" ".join(words),
            skills=list(rng.choice(WORDS, size=int(rng.integers(0, 3)))),
            german_level=pick([None, "A1", "A2", "B1", "B2", "C1"]),
            work_permit=pick([None, "any_work", "employment", "approval_required",
                              "not_permitted"]),
            recognition=pick([None, "recognised", "partial", "in_process", "none"]),
            postcode=pick(POSTCODES), max_commute_km=pick([None, 20.0, 50.0, 300.0]),
            hours_per_week=pick([None, 20.0, 30.0, 40.0]), phase=pick([None, 4, 5]),
        ))  # fmt: skip
    return out


VACANCY = VacancyRecord(
    id="v", title="Busfahrer/in", description="Linienverkehr, Führerschein D",
    skills=["Führerschein D", "Kundenservice"], german_level="B1", postcode="30159",
    radius_km=40, hours_per_week=30,
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--k", type=int, default=25)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--dim", type=int, default=384)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    people = candidates(args.n)
    vectors = rng.standard_normal(size=(args.n, args.dim), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    q_vec = vectors[0] * 0.5 + vectors[1] * 0.5
    q_vec /= np.linalg.norm(q_vec)
    cache = MemoryCache()
    matcher = Matcher(encoder=CachedOnly(), cache=cache, weights=None)
    matcher.prepare()
    print(
        f"cpus {os.cpu_count()}, load {os.getloadavg()[0]:.1f}; {args.n:,} candidates, "
        f"{args.dim} dims, top {args.k}; RSS before the candidates: {rss_mb():.0f} MB"
    )

    start = time.perf_counter()
    if hasattr(matcher, "pool"):  # issue 13: a ranking pool, built once per worker
        label = "after (ranking pool)"
        pool = matcher.pool(people, vectors)

        def engine():
            return matcher.rank(VACANCY, pool, top_k=args.k, q_vec=q_vec).results

        extra = f"pool arrays {pool.nbytes / 2**20:.0f} MiB"
    else:  # before: the records and their vectors in the cache, ranked per request
        label = "before (rank_candidates)"
        matcher._ready()
        texts = matcher._texts(people, [matcher._side(p) for p in people])
        cache.put_many(matcher.encoder_.name, dict(zip(map(text_key, texts), vectors,
                                                       strict=True)))  # fmt: skip
        v_text = matcher._texts([VACANCY], [matcher._side(VACANCY)])[0]
        cache.put_many(matcher.encoder_.name, {text_key(v_text): q_vec})

        def engine():
            return matcher.rank_candidates(VACANCY, people, top_k=args.k)

        extra = "no arrays kept"
    prepared = time.perf_counter() - start

    def floor():
        scores = vectors @ q_vec
        best = np.argpartition(-scores, args.k)[: args.k]
        return best[np.argsort(-scores[best])]

    times: dict[str, list[float]] = {"engine": [], "floor": []}
    runs = args.runs if hasattr(matcher, "pool") else max(2, args.runs // 10)
    results = engine()  # warm-up (and the results shown)
    for _ in range(runs):
        for name, fn in (("engine", engine), ("floor", floor)):
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    e, f = statistics.median(times["engine"]), statistics.median(times["floor"])
    print(f"{label}:")
    print(f"  prepare the candidates (detection, arrays) {prepared:8.2f} s  ({extra})")
    print(f"  engine: one vacancy, top {args.k} explained  {e * 1e3:8.1f} ms median of {runs}")
    print(f"  floor: matmul + argpartition            {f * 1e3:8.2f} ms")
    print(f"  ratio engine / floor                    {e / f:8.1f} x  (target <= 3)")
    print(f"  top {args.k}: {sum(r.eligible for r in results)} eligible; "
          f"best {results[0].id} {results[0].score:.4f}")  # fmt: skip
    print(f"  peak RSS of this process                {rss_mb():8.0f} MB  (target <= 500)")


if __name__ == "__main__":
    main()
