"""The inclusive-wording check of vacancy texts: it warns, it never blocks.

The rules are data (data/wording_rules.yaml, written by the team, German and English): each has
regular expressions, an explanation and a neutral alternative. One check is code: a required
German level above what jobs of the occupation's requirement level typically need (KldB 2010
5th digit: 1 Helfer, 2 Fachkraft, 3 Spezialist, 4 Experte), using the engine's lexicon to find
the occupation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from placement.matches.services import shipped_lexicon
from placement.matching.paths import data_dir
from placement.vocab import CEFR_LEVELS

CATEGORIES = {
    "agg_origin",
    "agg_age",
    "agg_sex",
    "agg_religion",
    "agg_disability",
    "agg_language",
    "deterrent",
    "language_demand",
    "photo_personal",
}
SEVERITIES = ("high", "medium", "low")
LANGUAGES = ("de", "en")
RULE_KEYS = {"id", "category", "severity", "patterns", "explanation", "alternative", "examples",
             "counter_examples"}  # fmt: skip
MIN_EXAMPLES = 2
LEVEL_NAMES = {
    1: {"de": "Helfer", "en": "helper"},
    2: {"de": "Fachkraft", "en": "skilled worker"},
    3: {"de": "Spezialist", "en": "specialist"},
    4: {"de": "Experte", "en": "expert"},
}


class WordingRulesError(ValueError):
    """The rules file is broken; the message names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    patterns: tuple[re.Pattern, ...]
    explanation: dict[str, str]
    alternative: dict[str, str]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]

    def search(self, text: str) -> re.Match | None:
        """The first match of any of the rule's patterns, or None."""
        for pattern in self.patterns:
            match = pattern.search(text)
            if match:
                return match
        return None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Every place any pattern matches, widened to whole words, in text order, merged."""
        found = sorted(
            whole_words(text, *m.span()) for p in self.patterns for m in p.finditer(text)
        )
        merged: list[tuple[int, int]] = []
        for start, end in found:
            if start >= end:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A match span without surrounding blanks, widened to the words it cuts into.

    Patterns stop at a stem ("muttersprach", "Bewerb"): the finding shows the whole word.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    while start > 0 and _in_word(text[start - 1]) and _in_word(text[start]):
        start -= 1
    while end < len(text) and _in_word(text[end]) and _in_word(text[end - 1]):
        end += 1
    return start, end


def _in_word(char: str) -> bool:
    return char.isalnum() or char == "_"


@dataclass(frozen=True)
class WordingRules:
    rules: tuple[Rule, ...]
    # KldB requirement level (1-4) -> typical maximum CEFR level a job of that level needs.
    language_guidance: dict[int, str]


@dataclass(frozen=True)
class Finding:
    """One warning about a vacancy text, in one language."""

    rule_id: str
    category: str
    severity: str
    matched: str
    explanation: str
    alternative: str
    # Where the rule matched in "title\ndescription" (whole words); none for the level check.
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def severe(self) -> bool:
        """Publishing needs an explicit "publish anyway" with a reason."""
        return self.severity == "high"


def rules_path() -> Path:
    return data_dir() / "wording_rules.yaml"


def _bilingual(path: Path, rule_id: str, key: str, value) -> dict[str, str]:
    if not isinstance(value, dict) or any(
        not isinstance(value.get(lang), str) or not value[lang].strip() for lang in LANGUAGES
    ):
        raise WordingRulesError(f"{path}: rule {rule_id!r}: {key} needs texts for 'de' and 'en'")
    return {lang: value[lang].strip() for lang in LANGUAGES}


def _strings(path: Path, rule_id: str, key: str, value, minimum: int) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise WordingRulesError(f"{path}: rule {rule_id!r}: {key} must be a list of texts")
    if len(value) < minimum:
        raise WordingRulesError(f"{path}: rule {rule_id!r}: {key} needs at least {minimum}")
    return tuple(value)


def _parse_rule(path: Path, entry, seen: set[str]) -> Rule:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise WordingRulesError(f"{path}: every rule needs an 'id' (got {entry!r:.60})")
    rid = entry["id"]
    if rid in seen:
        raise WordingRulesError(f"{path}: rule {rid!r}: duplicate id")
    missing = RULE_KEYS - set(entry)
    if missing:
        raise WordingRulesError(f"{path}: rule {rid!r}: missing {', '.join(sorted(missing))}")
    unknown = set(entry) - RULE_KEYS
    if unknown:
        raise WordingRulesError(f"{path}: rule {rid!r}: unknown keys {', '.join(sorted(unknown))}")
    if entry["category"] not in CATEGORIES:
        raise WordingRulesError(f"{path}: rule {rid!r}: unknown category {entry['category']!r}")
    if entry["severity"] not in SEVERITIES:
        raise WordingRulesError(
            f"{path}: rule {rid!r}: severity must be one of {', '.join(SEVERITIES)}"
        )
    patterns = []
    for raw in _strings(path, rid, "patterns", entry["patterns"], 1):
        try:
            patterns.append(re.compile(raw, re.IGNORECASE))
        except re.error as error:
            raise WordingRulesError(f"{path}: rule {rid!r}: bad pattern {raw!r}: {error}") from None
    return Rule(
        id=rid,
        category=entry["category"],
        severity=entry["severity"],
        patterns=tuple(patterns),
        explanation=_bilingual(path, rid, "explanation", entry["explanation"]),
        alternative=_bilingual(path, rid, "alternative", entry["alternative"]),
        examples=_strings(path, rid, "examples", entry["examples"], MIN_EXAMPLES),
        counter_examples=_strings(
            path, rid, "counter_examples", entry["counter_examples"], MIN_EXAMPLES
        ),
    )


def _parse_guidance(path: Path, value) -> dict[int, str]:
    if not isinstance(value, dict) or set(value) != {1, 2, 3, 4}:
        raise WordingRulesError(f"{path}: language_guidance must map the levels 1-4 to CEFR")
    for level, cefr in value.items():
        if cefr not in CEFR_LEVELS:
            raise WordingRulesError(
                f"{path}: language_guidance: level {level}: {cefr!r} is not a CEFR level"
            )
    return dict(value)


def load_rules(path: str | Path | None = None) -> WordingRules:
    """Read and validate the rules file; a broken file is a ``WordingRulesError`` naming it."""
    path = Path(path) if path else rules_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise WordingRulesError(f"{path}: cannot read: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise WordingRulesError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list):
        raise WordingRulesError(f"{path}: expected a mapping with a list 'rules'")
    seen: set[str] = set()
    rules = []
    for entry in raw["rules"]:
        rule = _parse_rule(path, entry, seen)
        seen.add(rule.id)
        rules.append(rule)
    return WordingRules(tuple(rules), _parse_guidance(path, raw.get("language_guidance")))


@lru_cache(maxsize=1)
def shipped_rules() -> WordingRules:
    """The shipped rules, loaded once per process on first use."""
    return load_rules()


def occupation_level(text: str) -> tuple[int, str] | None:
    """The requirement level (1-4) and German title of the strongest occupation in a text."""
    lexicon = shipped_lexicon()
    for hit in lexicon.detect(text):
        occupation = lexicon.occupations.get(hit.id)
        if occupation is not None:
            return occupation.level, occupation.title_de
    return None


def _language_demand(
    title: str, description: str, german_level: str | None, level: int | None, lang: str,
    guidance: dict[int, str],
) -> Finding | None:  # fmt: skip
    if german_level not in CEFR_LEVELS:
        return None
    occupation = None
    if level is None:
        # The title names the job most reliably; the description may mention other occupations.
        detected = occupation_level(title) or occupation_level(f"{title}\n{description}")
        if detected is None:
            return None
        level, occupation = detected
    typical = guidance.get(level)
    if typical is None or CEFR_LEVELS.index(german_level) <= CEFR_LEVELS.index(typical):
        return None
    name = LEVEL_NAMES[level][lang]
    job = f" ({occupation})" if occupation else ""
    explanation = {
        "de": (
            f"Die Stelle{job} hat das Anforderungsniveau „{name}“ (KldB-Stufe {level}). Für "
            f"solche Tätigkeiten reicht in der Regel Deutsch auf {typical}-Niveau; verlangt ist "
            f"{german_level}. Eine Sprachanforderung über dem, was die Arbeit braucht, schließt "
            "geeignete Menschen aus und kann mittelbar wegen der ethnischen Herkunft "
            "benachteiligen (§ 3 Abs. 2 AGG)."
        ),
        "en": (
            f"The job{job} has the requirement level '{name}' (KldB level {level}). Such work "
            f"usually needs German at about {typical}; the vacancy asks for {german_level}. A "
            "language requirement above what the work needs excludes suitable people and can "
            "indirectly discriminate on grounds of ethnic origin (§ 3(2) AGG)."
        ),
    }[lang]
    alternative = {
        "de": (
            f"Verlangen Sie {typical} oder weniger und nennen Sie die Aufgaben, für die Deutsch "
            "gebraucht wird. Ist wirklich mehr nötig, begründen Sie es in der Beschreibung – "
            "Berufssprachkurse (DeuFöV) können die Lücke im Job schließen."
        ),
        "en": (
            f"Ask for {typical} or less and name the tasks that need German. If more is really "
            "needed, give the reason in the description – job-related language courses "
            "(Berufssprachkurse, DeuFöV) can close the gap on the job."
        ),
    }[lang]
    return Finding("language_demand", "language_demand", "medium", german_level, explanation,
                   alternative)  # fmt: skip


def vacancy_text(title: str | None, description: str | None) -> str:
    """The text the rules read: title, a line break, description."""
    return f"{title or ''}\n{description or ''}"


def check_vacancy(
    title: str,
    description: str,
    german_level: str | None,
    level: int | None = None,
    lang: str = "de",
    rules: WordingRules | None = None,
) -> list[Finding]:
    """Findings for a vacancy text, most severe first; explanations in ``lang`` (de or en).

    Each finding's ``spans`` locate it in ``vacancy_text(title, description)``.

    ``level`` is the KldB requirement level (1-4) when known (e.g. from concepts a counsellor
    set); otherwise the occupation is detected in the text with the engine's lexicon.
    """
    lang = lang if lang in LANGUAGES else "de"
    rules = rules or shipped_rules()
    text = vacancy_text(title, description)
    findings = []
    for rule in rules.rules:
        spans = rule.spans(text)
        if spans:
            start, end = spans[0]
            findings.append(
                Finding(
                    rule.id,
                    rule.category,
                    rule.severity,
                    text[start:end],
                    rule.explanation[lang],
                    rule.alternative[lang],
                    tuple(spans),
                )  # fmt: skip
            )
    demand = _language_demand(
        title or "", description or "", german_level, level, lang, rules.language_guidance
    )
    if demand:
        findings.append(demand)
    # Most severe first; within a severity in the order they appear in the text.
    return sorted(
        findings, key=lambda f: (SEVERITIES.index(f.severity), f.spans[0] if f.spans else (0, 0))
    )


def vacancy_level(vacancy) -> int | None:
    """The requirement level of the occupation concepts a counsellor set, if any."""
    lexicon = shipped_lexicon()
    levels = [lexicon.occupations[c].level for c in vacancy.concepts or [] if c in
              lexicon.occupations]  # fmt: skip
    return max(levels) if levels else None


def check_saved_vacancy(vacancy, lang: str = "de") -> list[Finding]:
    """Findings for a stored vacancy (the shape the pages need)."""
    return check_vacancy(
        vacancy.title, vacancy.description, vacancy.german_level, vacancy_level(vacancy), lang
    )
