"""Ranking quality of each signal, of their fusion and of TF-IDF, on the dev set and MELO splits.

usage: python bench/quality.py [--eval DIR] [--sets dev,melo_dev/at_de,...] [--model NAME]
                               [--cache FILE] [--verbose]

For every set (../shared/eval/dev and the MELO development splits ../shared/eval/melo_dev/*)
it prints MRR, nDCG@10, cross-lingual recall@10 and traps flagged (scored by the eval set's own
score_ranking.py on the `placement rank` output format) for:
  tfidf          TF-IDF cosine on character n-grams of the two records' texts (baseline)
  semantic       the encoder's cosine of the two (lexicon-bridged) texts alone
  concept        the lexicon's occupation concepts alone
  occ:lexical    the ESCO occupation part with only the lexical signal (char n-grams, all labels)
  occ:use        ... only the multilingual Universal Sentence Encoder (all labels)
  occ:e5         ... only multilingual-e5-small (preferred German and English labels)
                 (use and e5 through their maps learnt on ESCO's synonyms, data/esco/adapter_*)
  occ:fused      the ESCO occupation part, signals fused (what the engine uses)
                 (occ:* rows run without the lexicon: no lexicon concept lends its linked
                 ESCO occupation, so they show what the ESCO signals do alone)
  engine         the whole Matcher: hard constraints, all parts, as `placement rank` ranks
Signal rows rank by that signal only and flag every pair eligible; the engine row applies the
hard constraints. Then the ranking of ESCO occupations on sets derived at run time (see
`proxies`: German titles against English labels; ESCO's Polish and Romanian alternative labels,
left out, as a proxy for Polish and Romanian titles), the encode throughput of each encoder and
the engine's time per set. `--sets ""` skips the eval sets (proxies and throughput only).
"""

from __future__ import annotations

import os

os.environ.setdefault("PLACEMENT_ESCO", "on")  # the benchmark measures the ESCO layer
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np
from common import ROOT  # noqa: E402  (bench/common.py: offline models, the repository on the path)

from placement.matching import (  # noqa: E402
    CandidateRecord,
    Lexicon,
    Matcher,
    NpzCache,
    VacancyRecord,
    load_encoder,
    load_lexicon,
)
from placement.matching.cli import ranking_lines  # noqa: E402
from placement.matching.esco import (  # noqa: E402
    DenseSignal,
    LexicalSignal,
    OccupationIndex,
    default_index,
    load_esco,
)
from placement.matching.scoring import concept_part, esco_part  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
DEFAULT_SETS = "dev,melo_dev/at_de,melo_dev/fr_de,melo_dev/es_de"
TOP = 100


def read(path: Path, factory) -> list:
    with path.open(encoding="utf-8") as f:
        return [factory(json.loads(line)) for line in f if line.strip()]


def write_ranking(path: Path, query_ids, pool_ids, scores: np.ndarray) -> None:
    """Rows of `scores` (queries x pool) as a `placement rank` ranking, all pairs eligible."""
    pool_ids = np.asarray(pool_ids)
    with path.open("w", encoding="utf-8") as f:
        for qid, row in zip(query_ids, scores, strict=True):
            order = np.lexsort((pool_ids, -row))[:TOP]
            res = [{"id": str(pool_ids[i]), "score": round(float(row[i]), 4), "eligible": True,
                    "reasons": []} for i in order]  # fmt: skip
            f.write(json.dumps({"query": qid, "results": res}, ensure_ascii=False) + "\n")


def score(scorer: Path, truth: Path, ranking: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, str(scorer), str(truth), str(ranking)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def tfidf_scores(queries: list[str], pool: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    vec.fit([*queries, *pool])
    return (vec.transform(queries) @ vec.transform(pool).T).toarray()


def pair_scores(matcher: Matcher, queries, pool, by_vacancy: bool, part: str) -> np.ndarray:
    """(queries x pool) values of one score part, computed as the engine does (only for pairs
    that share an ESCO occupation / both have lexicon concepts: the others score 0)."""
    matcher.detect_occupations([*queries, *pool])
    q_sides = [matcher._side(r) for r in queries]
    p_sides = [matcher._side(r) for r in pool]
    out = np.zeros((len(queries), len(pool)), dtype=np.float32)
    inverted: dict[str, list[int]] = {}
    for j, ps in enumerate(p_sides):
        for key in ps.esco or {} if part == "occupation" else ps.concepts:
            inverted.setdefault(key, []).append(j)
    with_concepts = [j for j, ps in enumerate(p_sides) if ps.concepts]
    for i, qs in enumerate(q_sides):
        if part == "occupation":
            shared = {j for key in qs.esco or {} for j in inverted.get(key, ())}
        else:
            shared = with_concepts if qs.concepts else []
        for j in shared:
            vs, cs = (qs, p_sides[j]) if by_vacancy else (p_sides[j], qs)
            if part == "occupation":
                out[i, j] = esco_part(vs, cs)[0]
            else:
                out[i, j] = concept_part(matcher.lexicon_, vs, cs, None)[0]
    return out


def engine_ranking(matcher: Matcher, vacancies, candidates, direction: str, out: Path) -> float:
    start = time.perf_counter()
    rankings = matcher.rank_many(vacancies, candidates, direction, top_k=TOP)
    elapsed = time.perf_counter() - start
    queries = vacancies if direction == "vacancy" else candidates
    with out.open("w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in ranking_lines(queries, rankings))
    return elapsed


def throughput(encoder, texts: list[str]) -> float:
    start = time.perf_counter()
    for i in range(0, len(texts), 64):
        encoder.encode(texts[i : i + 64])
    return len(texts) / (time.perf_counter() - start)


def occupation_rank_mrr(index: OccupationIndex, texts: list[str], gold: list[set[int]], cache):
    """MRR of ranking all ESCO occupations for each text (gold: occupation row numbers), per
    signal alone and fused, as the index's search ranks them."""
    scores = index.signal_scores(texts, cache)
    out = {f"occ:{name}": np.nan_to_num(m) for name, m in scores.items()}  # abstained: 0
    out["occ:fused"] = index.fuse(scores)
    # a signal that abstains on a text (it cannot read its script) finds nothing for it: its
    # zeros would otherwise tie and count as rank 1
    abstained = {f"occ:{name}": np.isnan(m).all(axis=1) for name, m in scores.items()}
    result = {}
    for name, matrix in out.items():
        total = 0.0
        silent = abstained.get(name, np.zeros(len(gold), dtype=bool))
        for row, good, off in zip(matrix, gold, silent, strict=True):
            if good and not off:
                best = max(row[j] for j in good)
                total += 1.0 / (1 + int((row > best).sum()))
        result[name] = total / len(gold)
    return result


def melo_gold(data: Path, esco) -> tuple[list[str], list[set[int]]]:
    """A MELO split's job titles and, for each, the ESCO occupations (rows of `esco`) its
    relevant vacancies stand for (a vacancy's title is one of the occupation's German labels)."""
    row_of: dict[str, int] = {}
    for row, oid in enumerate(esco.ids):
        for label in esco.occupations[oid].labels.get("de", ()):
            row_of.setdefault(label, row)
    vacancies = {v.id: v for v in read(data / "vacancies.jsonl", VacancyRecord.from_dict)}
    truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))["relevant"]
    texts, gold = [], []
    for c in read(data / "candidates.jsonl", CandidateRecord.from_dict):
        if c.id not in truth:
            continue
        good = set()
        for vid in truth[c.id]:
            v = vacancies[vid]
            names = [v.title, *v.description.split("; ")]
            row = next((row_of[n] for n in names if n in row_of), None)
            if row is not None:
                good.add(row)
        texts.append((c.desired_occupations or [c.profile])[0])
        gold.append(good)
    return texts, gold


CYRILLIC = Path(__file__).resolve().parent / "data" / "cyrillic_titles.tsv"


def cyrillic_gold(esco, path: Path = CYRILLIC) -> dict[str, tuple[list[str], list[set[int]]]]:
    """Per language, the hand-written Cyrillic titles of `path` (Bulgarian, Serbian: languages
    the lexicon does not cover) and the ESCO rows that count as right (by English preferred
    label; an unknown label is an error, so the set cannot rot silently)."""
    row_of = {esco.occupations[oid].title_en.lower(): row for row, oid in enumerate(esco.ids)}
    sets: dict[str, tuple[list[str], list[set[int]]]] = {}
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    for line in lines[1:]:
        lang, title, labels = line.split("\t")
        texts, gold = sets.setdefault(lang, ([], []))
        texts.append(title)
        gold.append({row_of[label.lower()] for label in labels.split("|")})
    return sets


def proxies(index: OccupationIndex, eval_dir: Path, cache, per_language: int) -> None:
    """Occupation ranking on sets derived at run time (nothing copied):
    at_de->all/de/en  the at_de split's German titles against all labels (as the engine
             searches), only the German, only the English labels of ESCO
    fr_de/es_de->all  the other MELO splits' titles against all labels
    en-label->all  each occupation's English preferred label against all labels (how surely an
             English text finds its occupation: the pivot between German titles and English ads)
    pl->*    ESCO's own Polish (Romanian) alternative labels as titles, each left out of the
    ro->*    index: against all other labels (as the engine searches) and against only the
             German labels (strictly cross-lingual). A proxy: ESCO labels are cleaner than
             real job titles.
    bg/sr->* hand-written Bulgarian and Serbian (Cyrillic) job titles (bench/data/, not from
             any evaluation set) against all labels and against only the German labels"""
    esco = index.esco
    print("\nESCO occupation ranking, MRR over all 3,039 occupations (per signal and fused):")
    rows: list[tuple[str, dict]] = []
    at_de = eval_dir / "melo_dev" / "at_de"
    if at_de.is_dir():
        texts, gold = melo_gold(at_de, esco)
        rows.append(("at_de->all", occupation_rank_mrr(index, texts, gold, cache)))
        rows.append(("at_de->de", occupation_rank_mrr(
            index.subset(esco.mask(("de",))), texts, gold, cache)))  # fmt: skip
        rows.append(("at_de->en", occupation_rank_mrr(
            index.subset(esco.mask(("en",))), texts, gold, cache)))  # fmt: skip
    for name in ("fr_de", "es_de"):
        if (eval_dir / "melo_dev" / name).is_dir():
            texts, gold = melo_gold(eval_dir / "melo_dev" / name, esco)
            rows.append((f"{name}->all", occupation_rank_mrr(index, texts, gold, cache)))
    for lang in ("pl", "ro"):
        alts = [j for j in esco.select((lang,)) if esco.label_rank[j] > 0]
        picked = alts[:: max(1, len(alts) // per_language)][:per_language]
        texts = [esco.label_texts[j] for j in picked]
        gold = [{esco.label_occ[j]} for j in picked]
        held_out = np.zeros(len(esco.label_texts), dtype=bool)
        held_out[picked] = True
        # leave one out: no query finds itself (nor its exact twin elsewhere in the catalogue)
        twins = set(texts)
        held_out |= np.asarray([t in twins for t in esco.label_texts])
        rows.append((f"{lang}->all-1", occupation_rank_mrr(
            index.subset(~held_out), texts, gold, cache)))  # fmt: skip
        rows.append((f"{lang}->de", occupation_rank_mrr(
            index.subset(esco.mask(("de",))), texts, gold, cache)))  # fmt: skip
    for lang, (texts, gold) in cyrillic_gold(esco).items():
        rows.append((f"{lang}->all", occupation_rank_mrr(index, texts, gold, cache)))
        rows.append((f"{lang}->de", occupation_rank_mrr(
            index.subset(esco.mask(("de",))), texts, gold, cache)))  # fmt: skip
    # the pivot: a text written as an occupation's English preferred label finds that
    # occupation first (lexical exact match), so German titles meet English ads through ESCO
    english = [esco.occupations[oid].title_en for oid in esco.ids]
    pivot = occupation_rank_mrr(index, english, [{row} for row in range(len(esco))], cache)
    rows.append(("en-label->all", pivot))
    names = list(dict.fromkeys(k for _, r in rows for k in r))
    print(f"{'set':<12}" + "".join(f"{n:>13}" for n in names))
    for label, r in rows:
        print(f"{label:<12}" + "".join(f"{r.get(n, float('nan')):>13.3f}" for n in names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--sets", default=DEFAULT_SETS)
    parser.add_argument("--model", default=None, help="engine encoder (default: configured)")
    parser.add_argument("--cache", type=Path, default=ROOT / "instance" / "bench_vectors.npz")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--dump", type=Path, default=None, help="save each row's scores here")
    parser.add_argument("--rows", default=None, help="run only these rows (comma-separated)")
    parser.add_argument("--proxies", type=int, default=300, metavar="N",
                        help="pl/ro proxy queries per language (0: no proxy section)")  # fmt: skip
    args = parser.parse_args()

    encoder = load_encoder(args.model)
    cache = NpzCache(args.cache)
    lexicon = load_lexicon()
    index = default_index(encoder)
    index.fit()
    esco = index.esco
    print(f"encoder: {encoder.name}; lexicon: {len(lexicon)} occupations")
    print(f"ESCO: {len(esco)} occupations, {len(esco.label_texts)} labels; "
          f"signals: {index.signal_names}")  # fmt: skip
    singles = {
        f"occ:{s.name}": OccupationIndex(esco, [s], index.weights, directory=index.directory)
        for s in index.signals
    }
    engine_times = {}
    head = f"{'signal':<13} {'MRR':>6} {'nDCG@10':>8} {'xling@10':>9} {'traps':>6} {'secs':>7}"
    with tempfile.TemporaryDirectory() as tmp:
        for name in filter(None, args.sets.split(",")):
            data = args.eval / name
            vacancies = read(data / "vacancies.jsonl", VacancyRecord.from_dict)
            candidates = read(data / "candidates.jsonl", CandidateRecord.from_dict)
            truth_path = data / "truth.json"
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            by_vacancy = set(truth["relevant"]) <= {v.id for v in vacancies}
            direction = "vacancy" if by_vacancy else "candidate"
            queries, pool = (vacancies, candidates) if by_vacancy else (candidates, vacancies)
            print(f"\n{name}: {len(vacancies)} vacancies, {len(candidates)} candidates, "
                  f"ranking per {direction}")  # fmt: skip
            print(head)
            rows: list[tuple[str, object]] = [
                (
                    "tfidf",
                    lambda q=queries, p=pool: tfidf_scores(
                        [r.text() for r in q], [r.text() for r in p]
                    ),
                ),  # fmt: skip
            ]
            base = Matcher(encoder=encoder, lexicon=lexicon, cache=cache, occupations=index)

            def semantic(m=base, q=queries, p=pool):
                return m.embed(q) @ m.embed(p).T

            rows.append(("semantic", semantic))
            parts = partial(pair_scores, queries=queries, pool=pool, by_vacancy=by_vacancy)
            rows.append(("concept", partial(parts, base, part="concept")))
            # ESCO signals alone: no lexicon, so no lexicon concept lends its linked occupation
            no_lexicon = Lexicon.empty()
            for label, single in [*singles.items(), ("occ:fused", index)]:
                m = Matcher(encoder=encoder, lexicon=no_lexicon, cache=cache, occupations=single)
                rows.append((label, partial(parts, m, part="occupation")))
            wanted = set(args.rows.split(",")) if args.rows else None
            for label, compute in rows:
                if wanted is not None and label not in wanted:
                    continue
                start = time.perf_counter()
                scores = compute()
                secs = time.perf_counter() - start
                if args.dump:
                    args.dump.mkdir(parents=True, exist_ok=True)
                    np.save(args.dump / f"{name.replace('/', '_')}-{label.replace(':', '_')}.npy",
                            scores)  # fmt: skip
                out = Path(tmp) / f"{label.replace(':', '_')}.jsonl"
                write_ranking(out, [q.id for q in queries], [p.id for p in pool], scores)
                m = score(args.eval / "score_ranking.py", truth_path, out)
                print(f"{label:<13} {m['mrr']:>6.3f} {m['ndcg10']:>8.3f} "
                      f"{m['cross_recall10']:>9.3f} {'-':>6} {secs:>7.1f}")  # fmt: skip
            if wanted is not None and "engine" not in wanted:
                continue
            fresh = Matcher(encoder=encoder, lexicon=lexicon, cache=cache, occupations=index)
            out = Path(tmp) / "engine.jsonl"
            secs = engine_ranking(fresh, vacancies, candidates, direction, out)
            engine_times[name] = secs
            m = score(args.eval / "score_ranking.py", truth_path, out)
            print(f"{'engine':<13} {m['mrr']:>6.3f} {m['ndcg10']:>8.3f} "
                  f"{m['cross_recall10']:>9.3f} {m['traps_flagged']:>6} {secs:>7.1f}")  # fmt: skip
            if args.verbose:
                for line in out.read_text(encoding="utf-8").splitlines()[:20]:
                    rec = json.loads(line)
                    good = set(truth["relevant"].get(rec["query"], []))
                    top = [("*" if r["id"] in good else " ") + r["id"] for r in rec["results"][:5]]
                    print(f"  {rec['query']:<18} {' '.join(top)}")

    if args.proxies:
        proxies(index, args.eval, cache, args.proxies)

    sample = [load_esco().label_texts[i] for i in range(0, 104_000, 520)]  # 200 labels
    print("\nencode throughput (200 ESCO labels, no cache):")
    lexical = next((s for s in index.signals if isinstance(s, LexicalSignal)), None)
    if lexical is not None:
        start = time.perf_counter()
        lexical.scores(sample)
        print(f"  lexical (vs all labels)  {len(sample) / (time.perf_counter() - start):8.0f} "
              "texts/s")  # fmt: skip
    for s in index.signals:
        if isinstance(s, DenseSignal):
            print(f"  {s.name:<24} {throughput(s.encoder, sample):8.0f} texts/s "
                  f"({s.encoder.name})")  # fmt: skip
    print(
        "engine time per set (rank_many, warm vector cache): "
        + ", ".join(f"{k} {v:.1f} s" for k, v in engine_times.items())
    )


if __name__ == "__main__":
    main()
