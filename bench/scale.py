"""One vacancy against N cached candidates: the engine's ranking against the NumPy floor.

usage: python bench/scale.py [--n 20000 100000] [--distinct 3000] [--k 25] [--runs 20]

Each N runs in a process of its own (peak memory per N). What is synthetic, and how:
- profiles: --distinct candidate profiles of random words (bench/speed.py's WORDS: job titles,
  skills, filler) and 0-2 listed skills; the engine derives their Features for real (lexicon
  concepts, skills, tokens; ESCO occupations only with PLACEMENT_ESCO=on).
- candidates: candidate i is profile i % distinct with its own id and its own German level,
  work permit, recognition, postcode, commute limit, hours and phase, drawn at random; its
  Features are the profile's with these fields replaced (`features.with_fields`, the code that
  derives them), so N candidates cost --distinct derivations, not N.
- vectors: one random unit vector per candidate (float32), standing in for cached embeddings;
  the encoder is never asked (it raises). The vacancy's vector mixes two of them.
- records: the pool reads candidate records lazily (a sequence that makes record i when asked),
  as it reads only the rows it scores exactly and explains.
Timed, interleaved, median of --runs: the engine ranking one vacancy against all N (hard
constraints judged for all, the top k scored exactly and explained in full) and the floor:
matrix product plus argpartition over the same vectors. Prints floor ms, engine ms, the ratio
(target <= 3), the pool's array bytes and the peak resident memory of the process (target <=
500 MB for 100,000 candidates).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# the pool against the floor, without the ESCO index's 104,755 label vectors in the peak memory
# (they are the same for any N); PLACEMENT_ESCO=on derives the profiles' ESCO occupations too
os.environ.setdefault("PLACEMENT_ESCO", "off")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from speed import WORDS  # noqa: E402  (bench/speed.py: words of profiles)

from placement.matching import CandidateRecord, Matcher, MemoryCache, VacancyRecord  # noqa: E402
from placement.matching.features import with_fields  # noqa: E402

POSTCODES = ["30159", "30167", "31134", "80331", "01067", "20095", "50667", None]
LEVELS = [None, "A1", "A2", "B1", "B2", "C1"]
PERMITS = [None, "any_work", "employment", "approval_required", "not_permitted"]
RECOGNITION = [None, "recognised", "partial", "in_process", "none"]
COMMUTE = [None, 20.0, 50.0, 300.0]
HOURS = [None, 20.0, 30.0, 40.0]
PHASES = [None, 4, 5]


class CachedOnly:
    """An encoder that must never be asked: every vector is given."""

    name = "bench-cached@1"

    def encode(self, texts):
        raise AssertionError(f"encoded {len(texts)} texts: the bench ranks cached vectors only")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def profiles(n: int, seed: int = 3) -> list[CandidateRecord]:
    rng = np.random.default_rng(seed)
    return [
        CandidateRecord(
            id=f"p{i}",
            profile=" ".join(rng.choice(WORDS, size=int(rng.integers(8, 30)))),
            skills=list(rng.choice(WORDS, size=int(rng.integers(0, 3)))),
        )
        for i in range(n)
    ]


class Candidates(Sequence):
    """N candidates over a few profiles, each with its own constraint fields; record i is
    made when asked."""

    def __init__(self, base: list[CandidateRecord], n: int, seed: int = 5):
        rng = np.random.default_rng(seed)
        self.base, self.n = base, n
        self.choice = {
            name: rng.integers(len(options), size=n, dtype=np.int8)
            for name, options in FIELDS.items()
        }

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.n))]
        if not -self.n <= i < self.n:
            raise IndexError(i)
        i %= self.n
        p = self.base[i % len(self.base)]
        fields = {name: FIELDS[name][self.choice[name][i]] for name in FIELDS}
        return CandidateRecord(id=f"c{i}", profile=p.profile, skills=list(p.skills), **fields)


FIELDS = {
    "german_level": LEVELS,
    "work_permit": PERMITS,
    "recognition": RECOGNITION,
    "postcode": POSTCODES,
    "max_commute_km": COMMUTE,
    "hours_per_week": HOURS,
    "phase": PHASES,
}

VACANCY = VacancyRecord(
    id="v", title="Busfahrer/in", description="Linienverkehr, Führerschein D",
    skills=["Führerschein D", "Kundenservice"], german_level="B1", postcode="30159",
    radius_km=40, hours_per_week=30,
)  # fmt: skip


def one(n: int, args):
    rng = np.random.default_rng(0)
    matcher = Matcher(encoder=CachedOnly(), cache=MemoryCache(), weights=None)
    matcher.prepare()
    base_rss = current_rss_mb()
    start = time.perf_counter()
    base = profiles(min(args.distinct, n))
    base_feats = matcher.features(base)
    derived = time.perf_counter() - start
    people = Candidates(base, n)
    feats = [
        with_fields(base_feats[i % len(base)], people[i], matcher.postcodes_) for i in range(n)
    ]
    vectors = rng.standard_normal(size=(n, args.dim), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    q_vec = vectors[0] * 0.5 + vectors[1] * 0.5
    q_vec /= np.linalg.norm(q_vec)
    pool = matcher.pool(people, vectors, feats)
    del feats
    built = time.perf_counter() - start
    pool_rss = current_rss_mb()

    def engine():
        return matcher.rank(VACANCY, pool, top_k=args.k, q_vec=q_vec)

    def floor():
        scores = pool.vectors @ q_vec
        best = np.argpartition(-scores, args.k)[: args.k]
        return best[np.argsort(-scores[best])]

    times: dict[str, list[float]] = {"engine": [], "floor": []}
    ranking = engine()  # warm-up (and the results shown)
    for _ in range(args.runs):
        for name, fn in (("engine", engine), ("floor", floor)):
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    e, f = statistics.median(times["engine"]), statistics.median(times["floor"])
    results = ranking.results
    print(f"{n:,} candidates ({len(base):,} distinct profiles), {args.dim} dims, top {args.k}; "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"  derive {len(base):,} profiles {derived:6.1f} s; all {n:,} in a pool {built:6.1f} s")
    print(f"  floor: matmul + argpartition            {f * 1e3:8.2f} ms median of {args.runs}")
    print(f"  engine: one vacancy, top {args.k} explained  {e * 1e3:8.2f} ms")
    print(f"  ratio engine / floor                    {e / f:8.2f} x  (target <= 3)")
    print(
        f"  counts: {ranking.eligible:,} eligible, {ranking.near_miss:,} near miss, "
        f"{ranking.ineligible:,} ineligible; best {results[0].id} {results[0].score:.4f}"
    )
    mib = 2**20
    print(f"  pool arrays {pool.nbytes / mib:6.1f} MiB (vectors {pool.vectors.nbytes / mib:.1f});"
          f" RSS {base_rss:.0f} MB before, {pool_rss:.0f} MB with the pool")  # fmt: skip
    print(f"  peak RSS of this process                {rss_mb():8.0f} MB  (target <= 500)")
    engine.matcher, engine.pool, engine.q_vec = matcher, pool, q_vec  # for --profile
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--distinct", type=int, default=3000)
    parser.add_argument("--k", type=int, default=25)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--profile", action="store_true", help="cProfile the engine's ranking")
    parser.add_argument("--sort", default="tottime", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if len(args.n) > 1:  # a process per N: its own peak memory
        for n in args.n:
            argv = list(sys.argv[1:])
            cut = argv.index("--n") if "--n" in argv else None
            if cut is not None:
                del argv[cut : cut + 1 + len(args.n)]
            subprocess.run([sys.executable, __file__, "--n", str(n), *argv], check=True)
        return
    engine = one(args.n[0], args)
    if args.profile:
        import cProfile
        import pstats

        with cProfile.Profile() as prof:
            for _ in range(5):
                engine()
        pstats.Stats(prof).sort_stats(args.sort).print_stats(30)


if __name__ == "__main__":
    main()
