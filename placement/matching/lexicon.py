"""The multilingual occupation and skill lexicon (data/lexicon/): load and detect.

Schema and matching rules: see the lexicon schema document (fields, 12 languages, stems as
prefixes, Arabic proclitics, German compounds). Detection maps any text onto concept ids.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .lexicon_schema import (
    LANGUAGES,
    LexiconError,
    Occupation,
    Skill,
    entry_error,
    parse_occupation,
    parse_skill,
    read_entries,
)
from .paths import data_dir
from .textnorm import clitic_variants, token_matches, tokens

__all__ = ["ConceptHit", "Lexicon", "LexiconError", "load_lexicon"]

COMPOUND_MIN = 6  # German one-token terms this long also match inside compounds
_GEEZ = re.compile("[\u1200-\u137f]")


@dataclass(frozen=True)
class ConceptHit:
    """A concept found in a text: its id, a weight in (0, 1] and the terms that matched."""

    id: str
    weight: float
    matched_terms: tuple[str, ...] = field(default=())


class TermIndex:
    """Finds lexicon terms in token lists, following the matching rules of the schema."""

    def __init__(self, terms: dict[str, dict[str, tuple[str, ...]]]):
        # concept id -> lang -> terms. Index by the first term token (prefix key of <= 4 chars).
        self.by_key: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
        self.compounds: dict[str, list[tuple[str, str]]] = defaultdict(list)
        owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for cid, per_lang in terms.items():
            for lang, values in per_lang.items():
                for term in values:
                    toks = tuple(tokens(term))
                    if not toks:
                        continue
                    owners[toks].add(cid)
                    self.by_key[self._key(toks[0])].append((toks, cid, term))
                    if lang == "de" and len(toks) == 1 and len(toks[0]) >= COMPOUND_MIN:
                        self.compounds[toks[0]].append((cid, term))
        # A term shared by several concepts says less about each of them.
        self.share = {toks: len(cids) for toks, cids in owners.items()}
        # Compound parts are looked up only up to the longest compound term: linear in the text.
        self.compound_max = max(map(len, self.compounds), default=0)

    @staticmethod
    def _key(token: str) -> str:
        return token[:3] if _GEEZ.match(token) else token[:4]

    def find(self, text: str, compounds: bool = True) -> dict[str, dict[tuple[str, ...], str]]:
        """concept id -> {matched term tokens: the term as written} for one text."""
        toks = tokens(text)
        variants = [clitic_variants(t) for t in toks]
        found: dict[str, dict[tuple[str, ...], str]] = defaultdict(dict)
        for i, forms in enumerate(variants):
            for form in forms:
                for term_toks, cid, term in self.by_key.get(self._key(form), ()):
                    if term_toks in found[cid] or i + len(term_toks) > len(toks):
                        continue
                    if token_matches(term_toks[0], form) and all(
                        any(token_matches(tt, f) for f in variants[i + j])
                        for j, tt in enumerate(term_toks[1:], 1)
                    ):
                        found[cid][term_toks] = term
        if compounds and self.compounds:
            longest = self.compound_max
            for tok in toks:
                for start in range(1, max(1, len(tok) - COMPOUND_MIN + 1)):
                    for end in range(start + COMPOUND_MIN, min(len(tok), start + longest) + 1):
                        for cid, term in self.compounds.get(tok[start:end], ()):
                            found[cid].setdefault((tok[start:end],), term)
        return {cid: terms for cid, terms in found.items() if terms}


def _score(index: TermIndex, terms: dict[tuple[str, ...], str]) -> float:
    """Evidence of matched terms: multi-word and unshared terms weigh more; combined as 1-prod."""
    miss = 1.0
    for toks in terms:
        base = 0.85 if len(toks) > 1 else 0.6
        miss *= 1.0 - base / index.share.get(toks, 1) ** 0.5
    return round(1.0 - miss, 4)


class Lexicon:
    """Occupation and skill concepts with term indexes for detection."""

    def __init__(self, occupations: list[Occupation], skills: list[Skill]):
        self.occupations = {o.id: o for o in occupations}
        self.skills = {s.id: s for s in skills}
        occ_terms = {}
        for o in occupations:
            extra = {"de": (re.sub(r"/.*$", "", o.title_de),), "en": (o.title_en,)}
            occ_terms[o.id] = {
                lang: tuple(dict.fromkeys((*o.terms.get(lang, ()), *extra.get(lang, ()))))
                for lang in LANGUAGES
            }
        self._occ_index = TermIndex(occ_terms)
        skill_terms = {}
        for s in skills:
            extra = {"de": (s.label_de,), "en": (s.label_en,)}
            skill_terms[s.id] = {
                lang: tuple(dict.fromkeys((*s.terms.get(lang, ()), *extra.get(lang, ()))))
                for lang in LANGUAGES
            }
        self._skill_index = TermIndex(skill_terms)

    @classmethod
    def empty(cls) -> Lexicon:
        """A lexicon with no concepts (turns the language bridge off)."""
        return cls([], [])

    def __len__(self) -> int:
        return len(self.occupations)

    def _detect(self, index: TermIndex, text: str, lang: str | None) -> list[ConceptHit]:
        if not text:
            return []
        found = index.find(text, compounds=lang in (None, "de"))
        hits = [
            ConceptHit(cid, _score(index, t), tuple(sorted(t.values()))) for cid, t in found.items()
        ]
        return sorted(hits, key=lambda h: (-h.weight, h.id))

    def detect(self, text: str, lang: str | None = None) -> list[ConceptHit]:
        """Occupation concepts named in a text, strongest first."""
        return self._detect(self._occ_index, text, lang)

    def detect_skills(self, text: str, lang: str | None = None) -> list[ConceptHit]:
        """Skill concepts named in a text, strongest first."""
        return self._detect(self._skill_index, text, lang)


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load and validate data/lexicon/ (occupations/*.yaml and skills.yaml)."""
    root = Path(path) if path else data_dir() / "lexicon"
    occupations: list[Occupation] = []
    seen: dict[str, Path] = {}
    for file in sorted((root / "occupations").glob("*.yaml")):
        for entry in read_entries(file):
            if entry["id"] in seen:
                raise entry_error(file, entry["id"], f"duplicate id (also in {seen[entry['id']]})")
            seen[entry["id"]] = file
            occupations.append(parse_occupation(file, entry))
    skills: list[Skill] = []
    skill_file = root / "skills.yaml"
    if skill_file.exists():
        skill_ids: set[str] = set()
        for entry in read_entries(skill_file):
            if entry["id"] in skill_ids:
                raise entry_error(skill_file, entry["id"], "duplicate id")
            skill_ids.add(entry["id"])
            skills.append(parse_skill(skill_file, entry))
    return Lexicon(occupations, skills)
