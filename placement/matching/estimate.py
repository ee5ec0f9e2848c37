"""The score parts of one query against every record of a pool, estimated in bulk.

The estimate differs from the exact score (`Matcher.score_pair`) only by rounding (parts are
rounded to 4 decimals, so at most `SCORE_SLACK`): the Matcher scores the records near the cut
exactly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .arrays import Vocabulary, lookup, sized
from .features import Features
from .lexicon import Lexicon
from .scoring import (
    _GEEZ,
    FIELD_CREDIT,
    TYPICAL_CREDIT,
    _stem_in,
    typical_concepts,
)
from .textnorm import normalise, tokens

if TYPE_CHECKING:
    from .pool import Pool

# |estimate - exact score| is below this: each part may round differently by 1e-4, the sum too.
SCORE_SLACK = 5e-4


def concept_credits(
    lex: Lexicon, vocab: Vocabulary, cid: str, other_is_vacancy: bool, phase: int | None
) -> np.ndarray:
    """`scoring.concept_credit` of one concept against every concept of the vocabulary.

    `cid` is the candidate's concept when `other_is_vacancy`, else the vacancy's.
    """
    entries = list(vocab.index.items())  # a snapshot: another thread may add to the vocabulary
    out = np.zeros(len(entries), dtype=np.float64)
    me = lex.occupations.get(cid)
    for other, j in entries:
        vid, c_id = (other, cid) if other_is_vacancy else (cid, other)
        if vid == c_id:
            out[j] = 0.8 if phase == 5 else 1.0
            continue
        o = lex.occupations.get(other)
        if me is None or o is None:
            continue
        v, c = (o, me) if other_is_vacancy else (me, o)
        if v.family == c.family:
            if phase == 5:
                out[j] = 1.0 if v.level > c.level else 0.4
            elif phase == 4:
                out[j] = 0.7 if v.level <= c.level else 0.5
            else:
                out[j] = 0.6
        elif v.field == c.field:
            out[j] = FIELD_CREDIT
    return out


def skill_credit_one(
    lex: Lexicon, skill: str, ids: frozenset[str], c: Features, stems: frozenset[str]
) -> float:
    """Credit of one listed vacancy skill for one candidate (as `scoring.skill_part`);
    `stems` = `stems_of(c.words)`."""
    stoks = [t[:6] for t in tokens(skill) if len(t) >= 3]
    whole = frozenset(c.words)
    share = sum(_stem_in(t, stems, whole) for t in stoks) / len(stoks) if stoks else 0.0
    if normalise(skill).strip() in c.listed or bool(ids & c.skill_concepts) or share >= 0.5:
        return 1.0
    if any(_typical_match(lex, skill, cid) for cid in c.typical):
        return TYPICAL_CREDIT
    return 0.0


def stems_of(words: frozenset[str]) -> frozenset[str]:
    out = set(words)
    for t in words:
        out.update(t[:k] for k in (3, 4, 5, 6) if len(t) >= k)
    return frozenset(out)


def _typical_match(lex: Lexicon, skill: str, cid: str) -> bool:
    return cid in typical_concepts(lex, skill)


def whole_word_only(stem: str) -> bool:
    """`scoring._stem_in`: stems under 4 characters (3 in Ge'ez script) match whole tokens."""
    return not (len(stem) >= 4 or (len(stem) == 3 and _GEEZ.match(stem)))


def _phase_values(phase, vkind, v_level, c_level, shares) -> np.ndarray:
    """`scoring.phase_part` over arrays (levels -1 = unknown)."""
    v_level, c_level = np.asarray(v_level, dtype=np.int16), np.asarray(c_level, dtype=np.int16)
    unknown = (v_level < 0) | (c_level < 0)
    p4 = np.where(
        (vkind == 1) | (v_level == 1),
        1.0,
        np.where(unknown, 0.6, np.where(v_level <= c_level, 1.0, 0.4)),
    )
    step = np.where(v_level > c_level, 1.0, np.where(v_level == c_level, 0.4, 0.1))
    p5 = np.where(vkind == 2, 1.0, np.where(unknown | ~shares, 0.3, step))
    return np.where(phase == 4, p4, np.where(phase == 5, p5, 0.5))


def estimate_parts(
    lex: Lexicon, q: Features, q_vec: np.ndarray, pool: Pool, floor: float
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Cosines and the score parts of the query against every pool record, in bulk."""
    n = len(pool)
    cosines = pool.vectors @ np.asarray(q_vec, dtype=np.float32)
    semantic = (cosines.astype(np.float64) - floor) / (1.0 - floor)
    np.clip(semantic, 0.0, 1.0, out=semantic)
    vocab = pool.concepts_vocab
    size = pool.concepts.shape[1]
    if pool.esco.nnz and q.esco:
        wanted = lookup(pool.esco_vocab, q.esco, pool.esco.shape[1])
        per_row = np.minimum(pool.esco_max(pool.esco.data * wanted[pool.esco.indices]), 1.0)
        occupation = per_row[pool.esco_row]
    else:
        occupation = np.zeros(n)
    if q.kind == "vacancy":  # the pool holds candidates
        g = np.zeros((3, size), dtype=np.float64)
        for vid, vw in q.concepts.items():
            for row, phase in enumerate((None, 4, 5)):
                credits = sized(concept_credits(lex, vocab, vid, False, phase), size)
                np.maximum(g[row], vw * credits, out=g[row])
        if q.concepts and pool.concepts.nnz:
            # per distinct concept row and phase class, then each record's
            table = np.stack(
                [
                    pool.concepts_max(pool.concepts.data * g[k, pool.concepts.indices])
                    for k in range(3)
                ]
            )
            concept = np.minimum(table[pool.concept_class, pool.concept_row], 1.0)
        else:
            concept = np.zeros(n)
        credit = np.zeros(n, dtype=np.float64)
        for skill, ids in zip(q.skills, q.skill_ids, strict=True):
            hit = pool.skill_concepts.any_of(ids)
            listed = pool.listed.get(normalise(skill).strip())
            if listed is not None:
                hit[listed] = True
            stoks = [t[:6] for t in tokens(skill) if len(t) >= 3]
            if stoks:
                found = np.zeros(n, dtype=np.int16)
                for t in stoks:
                    found += pool.rows_with_prefix(t, whole_word_only(t))
                hit |= found / len(stoks) >= 0.5
            typical = pool.typical.any_of(typical_concepts(lex, skill))
            credit += np.where(hit, 1.0, np.where(typical, TYPICAL_CREDIT, 0.0))
        for sid in q.uncovered:
            credit += pool.skill_concepts.any_of([sid])
        total = len(q.skills) + len(q.uncovered)
        skills = credit / total if total else np.zeros(n)
        shares = pool.families.any_of(q.families)
        phase = _phase_values(pool.phase, q.vkind, q.level, pool.level, shares)
    else:  # a candidate against vacancies
        h = np.zeros(size, dtype=np.float64)
        for cid, cw in q.concepts.items():
            credits = sized(concept_credits(lex, vocab, cid, True, q.phase), size)
            np.maximum(h, cw * credits, out=h)
        per_row = np.minimum(pool.concepts_max(pool.concepts.data * h[pool.concepts.indices]), 1.0)
        concept = per_row[pool.concept_row]
        if pool.skills.nnz or pool.uncovered.nnz:
            stems = stems_of(frozenset(q.words))
            values = np.zeros(max(len(pool.skill_vocab), 1), dtype=np.float64)
            for skill, j in pool.skill_vocab.index.items():
                values[j] = skill_credit_one(lex, skill, pool.skill_ids[skill], q, stems)
            have = lookup(pool.sc_vocab, dict.fromkeys(q.skill_concepts, 1.0),
                          pool.uncovered.shape[1])  # fmt: skip
            credit = pool.skills @ values[: pool.skills.shape[1]] + pool.uncovered @ have
            with np.errstate(invalid="ignore", divide="ignore"):
                skills = np.where(pool.skill_total > 0, credit / pool.skill_total, 0.0)
        else:
            skills = np.zeros(n)
        shares = pool.families.any_of(q.families)
        phase = _phase_values(q.phase, pool.vkind, pool.level, q.level, shares)
    parts = {
        "semantic": semantic,
        "concept": concept,
        "occupation": occupation,
        "skills": skills,
        "phase": np.broadcast_to(phase, (n,)),
    }
    return cosines, parts


def estimate_scores(parts: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """The weighted mean of the rounded parts, as `Matcher.score_pair` computes it."""
    total = sum(weights.get(k, 0.0) for k in parts) or 1.0
    # parts of weight 0 add 0: skipped
    score = sum(weights[k] * np.round(v, 4) for k, v in parts.items() if weights.get(k, 0.0))
    return np.round(score / total, 4)
