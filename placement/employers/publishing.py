"""The inclusive-wording check before a vacancy goes live. Operations only flush.

Imports and the demo data are checked as they are written (``check_written_vacancy``).

Publishing (or changing the text of a published vacancy) through the pages passes a
``PublishReview``: what the person saw (a fingerprint of the text) and decided. With findings,
the vacancy goes live only after they have seen them; with a serious finding only with an explicit
"publish anyway" and a reason, which is stored (``WordingOverride``) and audit-logged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from placement.accounts.models import User
from placement.audit.services import record
from placement.employers.models import Vacancy, WordingOverride
from placement.employers.wording import Finding, check_saved_vacancy, vacancy_text
from placement.extensions import db

MIN_REASON = 10  # characters: "weil" is not a reason
MAX_REASON = 2000
SEVERITY_ORDER = ("high", "medium", "low")


@dataclass(frozen=True)
class PublishReview:
    """The publishing person's review: the text they checked and what they decided."""

    checked: str = ""  # fingerprint of the text whose findings they saw
    publish_anyway: bool = False
    reason: str = ""


class WordingReviewNeeded(ValueError):
    """The vacancy may not go live yet: the findings must be seen (and serious ones overridden).

    ``problem``: why the review is not enough: None (not seen yet), "reason_missing" (a serious
    finding without "publish anyway" and a reason), "reason_too_long".
    """

    def __init__(self, findings: list[Finding], fingerprint: str, problem: str | None = None):
        super().__init__("The wording check found something; please review it before publishing.")
        self.findings = findings
        self.fingerprint = fingerprint
        self.problem = problem

    @property
    def severe(self) -> bool:
        return any(f.severe for f in self.findings)


def fingerprint(vacancy: Vacancy) -> str:
    """Identifies the text (and what the check reads besides) a review was made for."""
    parts = (vacancy.title or "", vacancy.description or "", vacancy.german_level or "",
             ",".join(sorted(vacancy.concepts or [])))  # fmt: skip
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def review_before_publishing(
    vacancy: Vacancy, review: PublishReview, actor: User | None, lang: str = "de"
) -> WordingOverride | None:
    """Let the vacancy go live only as reviewed; raises ``WordingReviewNeeded`` otherwise.

    Returns the stored override when serious findings were published anyway.
    """
    findings = check_saved_vacancy(vacancy, lang)
    if not findings:
        return None
    current = fingerprint(vacancy)
    if review.checked != current:
        raise WordingReviewNeeded(findings, current)
    severe = [f for f in findings if f.severe]
    if not severe:
        return None
    reason = (review.reason or "").strip()
    if not review.publish_anyway or len(reason) < MIN_REASON:
        raise WordingReviewNeeded(findings, current, "reason_missing")
    if len(reason) > MAX_REASON:
        raise WordingReviewNeeded(findings, current, "reason_too_long")
    override = WordingOverride(
        vacancy_id=vacancy.id,
        actor_id=getattr(actor, "id", None),
        actor_role=getattr(actor, "role", None),
        reason=reason,
        findings=[{"rule": f.rule_id, "matched": f.matched} for f in severe],
        fingerprint=current,
    )
    db.session.add(override)
    db.session.flush()
    record(actor, "vacancy.publish_anyway", "vacancy", vacancy.id, override=override.id,
           rules=[f.rule_id for f in severe])  # fmt: skip
    return override


def check_written_vacancy(vacancy: Vacancy, actor: User | None, lang: str = "de") -> list[Finding]:
    """The wording check for a vacancy written without the pages (an import, the demo data):
    the same findings, shown on its page as for any vacancy. One that was to go live with a
    serious finding is kept as a draft instead (audit-logged): someone publishes it from its
    page after seeing the findings, as through the form."""
    findings = check_saved_vacancy(vacancy, lang)
    severe = [f.rule_id for f in findings if f.severe]
    if vacancy.status == "published" and severe:
        vacancy.status = "draft"
        db.session.flush()
        record(actor, "vacancy.held_for_review", "vacancy", vacancy.id, rules=severe)
    return findings


def latest_override(vacancy: Vacancy) -> WordingOverride | None:
    """The last "publish anyway" of this vacancy's current text, if any."""
    return db.session.scalar(
        select(WordingOverride)
        .where(WordingOverride.vacancy_id == vacancy.id,
               WordingOverride.fingerprint == fingerprint(vacancy))
        .order_by(WordingOverride.id.desc())
        .limit(1)
    )  # fmt: skip


@dataclass(frozen=True)
class Segment:
    """A piece of the ad text; ``numbers`` are the findings (1-based) that mark it, if any."""

    text: str
    numbers: tuple[int, ...] = ()
    severity: str | None = None


def marked_text(
    title: str | None, description: str | None, findings: list[Finding]
) -> tuple[list[Segment], list[Segment]]:
    """Title and description cut into plain and marked pieces (the template escapes them)."""
    text = vacancy_text(title, description)
    marks: list[tuple[int, int, int, str]] = sorted(
        (start, end, number, f.severity)
        for number, f in enumerate(findings, 1)
        for start, end in f.spans
    )
    # Merge overlapping marks: one <mark> per stretch, naming every finding in it.
    merged: list[list] = []
    for start, end, number, severity in marks:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            last[2] = (*last[2], number) if number not in last[2] else last[2]
            if SEVERITY_ORDER.index(severity) < SEVERITY_ORDER.index(last[3]):
                last[3] = severity
        else:
            merged.append([start, end, (number,), severity])
    split = len(title or "")
    title_part: list[Segment] = []
    body_part: list[Segment] = []

    def emit(start: int, end: int, numbers=(), severity=None) -> None:
        # A mark never spans the line between title and description; cut it there.
        for lo, hi, out in ((0, split, title_part), (split + 1, len(text), body_part)):
            a, b = max(start, lo), min(end, hi)
            if a < b:
                out.append(Segment(text[a:b], tuple(numbers), severity))

    position = 0
    for start, end, numbers, severity in merged:
        emit(position, start)
        emit(start, end, numbers, severity)
        position = end
    emit(position, len(text))
    return title_part, body_part
