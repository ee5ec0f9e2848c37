"""Score parts beyond the embedding cosine: occupation concepts, skills, phase.

Every part is a float in [0, 1]; the Matcher combines them with its weights. Only the record
fields that describe work (texts, skills, occupations, phase) are read here.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from functools import lru_cache

from .esco import ESCO_PREFIX
from .explain import Reason, typical_skill
from .lexicon import Lexicon, Occupation
from .records import CandidateRecord, VacancyRecord
from .textnorm import normalise, token_matches, tokens

_GEEZ = re.compile("[\u1200-\u135a]")

FIELD_CREDIT = 0.15
TYPICAL_MIN_WEIGHT = 0.5  # concepts this sure lend the candidate their typical skills
TYPICAL_CREDIT = 0.6  # a skill typical of the candidate's occupation counts a bit less


@dataclass
class Side:
    """What the engine derived from one record: concepts, skills, embedding text."""

    concepts: dict[str, float]
    skill_concepts: dict[str, float]
    tokens: list[str]
    listed_skills: list[str] = field(default_factory=list)
    language: str | None = None
    typical: list[tuple[list[str], str]] = field(default_factory=list)  # (skill tokens, title)
    families: frozenset[str] = frozenset()
    # Per listed skill, derived once per record: its skill concepts and its stems.
    listed_skill_ids: list[frozenset[str]] = field(default_factory=list)
    listed_skill_stems: list[list[str]] = field(default_factory=list)
    stems: frozenset[str] = frozenset()  # 3-6 character prefixes and whole tokens of the text
    # ESCO occupations (id -> confidence) and their signal scores; None until the Matcher's
    # occupation index has looked at the record.
    esco: dict[str, float] | None = None
    esco_signals: dict[str, dict[str, float]] = field(default_factory=dict)
    esco_level: int | None = None  # ISCO skill level of the likeliest ESCO occupation

    def __post_init__(self) -> None:
        self.stems = frozenset(_stems(self.tokens))
        self.listed_skill_stems = [_skill_stems(s) for s in self.listed_skills]


def _stems(toks: list[str]) -> set[str]:
    out = set(toks)
    for t in toks:
        out.update(t[:k] for k in (3, 4, 5, 6) if len(t) >= k)
    return out


def _skill_stems(skill: str) -> list[str]:
    return [t[:6] for t in tokens(skill) if len(t) >= 3]


def _stem_in(stem: str, stems: frozenset[str], whole: frozenset[str]) -> bool:
    # token_matches(stem, t) for some token t, by set lookups instead of a scan of the text.
    if len(stem) >= 4 or (len(stem) == 3 and _GEEZ.match(stem)):
        return stem in stems
    return stem in whole


def esco_part(v: Side, c: Side) -> tuple[float, str | None, dict[str, float]]:
    """Best product of the two sides' confidences in one ESCO occupation: the value, that
    occupation's id and the product of each signal's scores for it."""
    best, best_id = 0.0, None
    if v.esco and c.esco:
        for oid in v.esco.keys() & c.esco.keys():
            value = v.esco[oid] * c.esco[oid]
            if value > best or (value == best and best_id is not None and oid < best_id):
                best, best_id = value, oid
    signals: dict[str, float] = {}
    if best_id is not None:
        vs, cs = v.esco_signals.get(best_id, {}), c.esco_signals.get(best_id, {})
        # a side that knows the occupation through a lexicon concept has no signal scores
        if "lexicon" in vs or "lexicon" in cs:
            signals["lexicon"] = vs.get("lexicon", 1.0) * cs.get("lexicon", 1.0)
        signals.update((k, vs[k] * cs[k]) for k in vs.keys() & cs.keys() if k != "lexicon")
    return min(best, 1.0), best_id, signals


def _merge(into: dict[str, float], hits, factor: float) -> None:
    for h in hits:
        w = h.weight * factor
        into[h.id] = round(1.0 - (1.0 - into.get(h.id, 0.0)) * (1.0 - w), 4)


def vacancy_side(lex: Lexicon, v: VacancyRecord) -> Side:
    """Concepts of a vacancy: the title and occupation count fully, the description half."""
    concepts: dict[str, float] = {}
    if v.concepts is not None:
        concepts = dict.fromkeys((k for k in v.concepts if not k.startswith(ESCO_PREFIX)), 1.0)
    else:
        _merge(concepts, lex.detect(f"{v.title}\n{v.occupation or ''}", v.language), 1.0)
        _merge(concepts, lex.detect(f"{v.description}\n{', '.join(v.skills)}", v.language), 0.5)
    skills: dict[str, float] = {}
    _merge(skills, lex.detect_skills(v.text(), v.language), 1.0)
    side = Side(concepts, skills, tokens(v.text()), list(v.skills), v.language)
    side.families = _families(lex, concepts)
    side.listed_skill_ids = [
        frozenset(h.id for h in lex.detect_skills(skill, "de")) for skill in v.skills
    ]
    return side


def candidate_side(lex: Lexicon, c: CandidateRecord) -> Side:
    """Concepts of a candidate: desired occupations and profile fully, listed skills half."""
    concepts: dict[str, float] = {}
    if c.concepts is not None:
        concepts = dict.fromkeys((k for k in c.concepts if not k.startswith(ESCO_PREFIX)), 1.0)
    else:
        _merge(concepts, lex.detect("\n".join(c.desired_occupations), c.language), 1.0)
        _merge(concepts, lex.detect(c.profile, c.language), 1.0)
        _merge(concepts, lex.detect("\n".join(c.skills), c.language), 0.5)
    skills: dict[str, float] = {}
    _merge(skills, lex.detect_skills(c.text(), c.language), 1.0)
    typical = [
        pair
        for cid, weight in concepts.items()
        if weight >= TYPICAL_MIN_WEIGHT and (occ := lex.occupations.get(cid))
        for pair in _typical_of(lex, occ)
    ]
    side = Side(concepts, skills, tokens(c.text()), list(c.skills), c.language, typical)
    side.families = _families(lex, concepts)
    return side


# per lexicon and occupation: (tokens, title) of its typical skills, shared by every Side
_TYPICAL: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _typical_of(lex: Lexicon, occ: Occupation) -> list[tuple[list[str], str]]:
    per_lexicon = _TYPICAL.get(lex)
    if per_lexicon is None:
        per_lexicon = _TYPICAL[lex] = {}
    found = per_lexicon.get(occ.id)
    if found is None:
        found = per_lexicon[occ.id] = [(tokens(skill), occ.title_de) for skill in occ.skills]
    return found


def _families(lex: Lexicon, concepts: dict[str, float]) -> frozenset[str]:
    return frozenset(lex.occupations[k].family for k in concepts if k in lex.occupations)


def bridge_text(lex: Lexicon, side: Side, limit: int = 3) -> str:
    """German and English titles of the strongest concepts: appended to the embedded text so
    that an encoder sees the same words on both sides of a cross-lingual pair."""
    best = sorted(side.concepts.items(), key=lambda kv: -kv[1])[:limit]
    names = []
    for cid, _ in best:
        occ = lex.occupations.get(cid)
        if occ:
            names += [occ.title_de, occ.title_en]
    for sid in sorted(side.skill_concepts):
        skill = lex.skills.get(sid)
        if skill:
            names.append(skill.label_de)
    return "; ".join(names)


def concept_credit(
    v: Occupation | None, c: Occupation | None, vid: str, cid: str, phase: int | None
) -> float:
    """Credit for a vacancy concept against a candidate concept, adjusted by phase.

    Exact concept = full credit, same family = partial, same field = a little. Phase 4 gives
    less to a higher level than today's; phase 5 gives most to a step up in the same family.
    """
    if vid == cid:
        return 0.8 if phase == 5 else 1.0
    if v is None or c is None:
        return 0.0
    if v.family == c.family:
        if phase == 5:
            return 1.0 if v.level > c.level else 0.4
        if phase == 4:
            return 0.7 if v.level <= c.level else 0.5
        return 0.6
    if v.field == c.field:
        return FIELD_CREDIT
    return 0.0


def concept_part(
    lex: Lexicon, v: Side, c: Side, phase: int | None, current: list[str] | None = None
) -> tuple[float, list[str], Reason | None]:
    """Best weighted concept credit, the shared concept ids, and the best pair's relation."""
    cands = dict.fromkeys(current, 1.0) if (phase == 5 and current) else c.concepts
    if phase == 5 and current:
        cands = {**c.concepts, **cands}
    best, relation = 0.0, None
    for vid, vw in v.concepts.items():
        vo = lex.occupations.get(vid)
        for cid, cw in cands.items():
            credit = concept_credit(vo, lex.occupations.get(cid), vid, cid, phase)
            value = vw * cw * credit
            if value > best:
                best, relation = value, (vid, cid)
    shared = sorted(set(v.concepts) & set(c.concepts), key=lambda k: -v.concepts[k])
    return min(best, 1.0), shared, _relation_text(lex, relation)


def _relation_text(lex: Lexicon, relation: tuple[str, str] | None) -> Reason | None:
    if relation is None:
        return None
    vid, cid = relation
    v, c = lex.occupations.get(vid), lex.occupations.get(cid)
    title = v.title_de if v else vid
    if vid == cid:
        return Reason("same_occupation", {"title": title})
    if v and c and v.family == c.family:
        code = "step_up" if v.level > c.level else "same_ladder"
        return Reason(code, {"title": title, "from": c.title_de})
    return Reason("same_field", {"title": title, "field": v.field if v else "?"})


@lru_cache(maxsize=1 << 16)
def _long_tokens(skill: str) -> tuple[str, ...]:
    """A skill's tokens of 3 characters or more (skills recur: worked out once)."""
    return tuple(t for t in tokens(skill) if len(t) >= 3)


@lru_cache(maxsize=1 << 16)
def normalised_skill(skill: str) -> str:
    """A listed skill as listed skills are compared (normalised, stripped)."""
    return normalise(skill).strip()


def _phrase_in(skill: str, toks: list[str]) -> float:
    """Share of a skill's tokens found (as stems) in a token list."""
    stoks = _long_tokens(skill)
    if not stoks:
        return 0.0
    found = sum(any(token_matches(s[:6], t) for t in toks) for s in stoks)
    return found / len(stoks)


_TYPICAL_MEMO: dict[tuple[int, str], frozenset[str]] = {}


def typical_concepts(lex: Lexicon, skill: str) -> frozenset[str]:
    """Lexicon occupations one of whose typical skills covers half the words of `skill`."""
    key = (id(lex), skill)
    found = _TYPICAL_MEMO.get(key)
    if found is None:  # as `_phrase_in(skill, tokens(s)) >= 0.5` for some typical skill s
        stems = [t[:6] for t in _long_tokens(skill)]
        found = frozenset(
            occ.id
            for occ in lex.occupations.values()
            if stems
            and any(
                2 * sum(any(token_matches(s, t) for t in toks) for s in stems) >= len(stems)
                for toks, _ in _typical_of(lex, occ)
            )
        )
        if len(_TYPICAL_MEMO) > 100_000:
            _TYPICAL_MEMO.clear()
        _TYPICAL_MEMO[key] = found
    return found


def skill_part(lex: Lexicon, v: Side, c: Side) -> tuple[float, list[str], list[str]]:
    """Share of the vacancy's skills the candidate shows; matched and missing skill names.

    A listed vacancy skill counts as matched when the candidate lists it too (normalised), when
    a skill concept found in it is found on the candidate's side, or when its words occur in the
    candidate's text. Skill concepts found only in the vacancy description count as well.
    """
    c_listed = {normalised_skill(s) for s in c.listed_skills}
    whole = frozenset(c.tokens)
    matched, missing, covered = [], [], set()
    credit = 0.0
    lending = [k for k, w in c.concepts.items() if w >= TYPICAL_MIN_WEIGHT and k in lex.occupations]
    for skill, ids, stoks in zip(
        v.listed_skills, v.listed_skill_ids, v.listed_skill_stems, strict=True
    ):
        covered |= ids
        share = sum(_stem_in(t, c.stems, whole) for t in stoks) / len(stoks) if stoks else 0.0
        if normalised_skill(skill) in c_listed or bool(ids & set(c.skill_concepts)) or share >= 0.5:
            matched.append(skill)
            credit += 1.0
            continue
        # the first of the candidate's sure concepts (as in `Side.typical`) one of whose
        # typical skills covers half the skill's words
        found = typical_concepts(lex, skill)
        title = next((lex.occupations[k].title_de for k in lending if k in found), None)
        if title:
            matched.append(typical_skill(skill, title))
            credit += TYPICAL_CREDIT
        else:
            missing.append(skill)
    for sid in v.skill_concepts:
        if sid in covered:
            continue
        label = lex.skills[sid].label_de if sid in lex.skills else sid
        if sid in c.skill_concepts:
            matched.append(label)
            credit += 1.0
        else:
            missing.append(label)
    total = len(matched) + len(missing)
    return (credit / total if total else 0.0), matched, missing


def _level_of(lex: Lexicon, concepts: dict[str, float], side: Side | None = None) -> int | None:
    best = max(concepts.items(), key=lambda kv: kv[1], default=None)
    if best is None or best[0] not in lex.occupations:
        return _esco_level(side)
    return lex.occupations[best[0]].level


def _esco_level(side: Side | None) -> int | None:
    """Where the lexicon has no level: the ISCO skill level of the likeliest ESCO occupation."""
    return side.esco_level if side is not None else None


def phase_part(
    lex: Lexicon, vr: VacancyRecord, v: Side, c: Side, phase: int | None, current: list[str] | None
) -> float:
    """How well the offer fits the participant's phase (0.5 = neutral).

    Phase 4 (seeking work): internships and jobs at or below today's level fit best.
    Phase 5 (employed): a higher level in the same family, or a qualification offer, fits best.
    """
    if phase not in (4, 5):
        return 0.5
    v_level = vr.level or _level_of(lex, v.concepts, v)
    base = dict.fromkeys(current, 1.0) if current else c.concepts
    c_level = _level_of(lex, base, None if current else c)
    if phase == 4:
        if vr.kind == "internship" or v_level == 1:
            return 1.0
        if v_level is None or c_level is None:
            return 0.6
        return 1.0 if v_level <= c_level else 0.4
    if vr.kind == "qualification":
        return 1.0
    families = {lex.occupations[k].family for k in base if k in lex.occupations}
    v_fam = {lex.occupations[k].family for k in v.concepts if k in lex.occupations}
    if v_level is None or c_level is None or not (families & v_fam):
        return 0.3
    if v_level > c_level:
        return 1.0
    return 0.4 if v_level == c_level else 0.1
