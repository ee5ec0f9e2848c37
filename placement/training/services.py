"""Operations on the diversity-awareness modules: reading progress, quizzes, certificates and
the organisation badge. They take explicit arguments and only flush; the view commits.

A module counts as *passed* while its holder has a valid (not revoked) certificate for it:
every passed quiz issues one unless a valid one exists, so revoking a certificate also takes
the module out of the badge until it is passed again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from placement.accounts.models import User
from placement.employers.models import Organisation
from placement.extensions import db, utcnow
from placement.training import codes
from placement.training.models import Certificate, ModuleProgress, QuizAttempt
from placement.training.modules import Module


class TrainingError(ValueError):
    """A step that is not possible yet; the message is user-facing."""


@dataclass(frozen=True)
class QuizScore:
    score: int
    max_score: int
    passed: bool
    correct: dict[str, bool]  # question id -> answered correctly


@dataclass
class ModuleStatus:
    """Where one person stands in one module, for lists and the counsellor's overview."""

    module: Module
    progress: ModuleProgress | None = None
    attempts: list[QuizAttempt] = field(default_factory=list)  # oldest first
    certificate: Certificate | None = None  # the valid one
    revoked: list[Certificate] = field(default_factory=list)

    @property
    def state(self) -> str:
        """not_started | in_progress | completed | passed."""
        if self.certificate:
            return "passed"
        if self.progress is None:
            return "not_started"
        return "completed" if self.progress.completed_at else "in_progress"

    @property
    def page(self) -> int:
        last = self.progress.last_page if self.progress else 1
        return min(max(last, 1), len(self.module.pages))

    @property
    def failed_attempts(self) -> int:
        return sum(not a.passed for a in self.attempts)

    @property
    def passed_at(self) -> datetime | None:
        return self.certificate.issued_at if self.certificate else None


def mark_page_read(user: User, module: Module, number: int) -> ModuleProgress:
    """Record page ``number`` (1-based) as read; the module is completed when all pages are."""
    if not 1 <= number <= len(module.pages):
        raise ValueError(f"page {number} not in module {module.slug}")
    progress = start_module(user, module)
    read = set(progress.pages_read or []) | {module.pages[number - 1].file}
    progress.pages_read = sorted(read)  # a new list, so the JSON column sees the change
    progress.last_page = min(number + 1, len(module.pages))
    if progress.completed_at is None and read >= {p.file for p in module.pages}:
        progress.completed_at = utcnow()
    db.session.flush()
    return progress


def start_module(user: User, module: Module) -> ModuleProgress:
    """The person's progress in the module, created on first start."""
    progress = db.session.scalar(
        select(ModuleProgress).where(
            ModuleProgress.user_id == user.id, ModuleProgress.module_slug == module.slug
        )
    )
    if progress is None:
        progress = ModuleProgress(user_id=user.id, module_slug=module.slug, pages_read=[])
        db.session.add(progress)
        db.session.flush()
    return progress


def score_quiz(module: Module, answers: Mapping[str, Iterable[str]]) -> QuizScore:
    """Score answers (question id -> chosen option ids).

    A question earns its points only when the chosen set equals the set of correct options;
    there is no partial credit, so ticking every box of a multiple-choice question earns nothing.
    """
    correct = {q.id: set(answers.get(q.id, ())) == q.correct_ids for q in module.questions}
    score = sum(q.points for q in module.questions if correct[q.id])
    max_score = module.max_points
    # Compared as integers: 0.8 * 10 in floating point must not turn 8 points into a fail.
    passed = score * 1000 >= round(module.pass_mark * 1000) * max_score
    return QuizScore(score, max_score, passed, correct)


def submit_quiz(
    user: User, module: Module, answers: Mapping[str, Iterable[str]]
) -> tuple[QuizAttempt, Certificate | None]:
    """Store an attempt; a pass issues a certificate unless a valid one exists.

    Returns the attempt and the certificate issued by it (None if none was issued).
    """
    progress = start_module(user, module)
    if progress.completed_at is None:
        raise TrainingError("Please read all pages of the module before taking the quiz.")
    result = score_quiz(module, answers)
    attempt = QuizAttempt(
        user_id=user.id,
        module_slug=module.slug,
        answers={q.id: sorted(set(answers.get(q.id, ()))) for q in module.questions},
        score=result.score,
        max_score=result.max_score,
        pass_mark=module.pass_mark,
        passed=result.passed,
        at=utcnow(),
    )
    db.session.add(attempt)
    db.session.flush()
    certificate = None
    if result.passed and valid_certificate(user, module.slug) is None:
        certificate = issue_certificate(user, module, attempt)
    return attempt, certificate


def issue_certificate(user: User, module: Module, attempt: QuizAttempt | None) -> Certificate:
    organisation = user.organisation
    certificate = Certificate(
        code=codes.new_code(),  # about 99 random bits: not guessable, not enumerable
        user_id=user.id,
        holder_name=user.name,
        organisation_id=organisation.id if organisation else None,
        organisation_name=organisation.name if organisation else "",
        module_slug=module.slug,
        attempt_id=attempt.id if attempt else None,
        issued_at=utcnow(),
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def valid_certificate(user: User, slug: str) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.user_id == user.id,
            Certificate.module_slug == slug,
            Certificate.revoked_at.is_(None),
        )
    )


def revoke_certificate(certificate: Certificate, actor: User) -> None:
    """Revoke (once); the verify page then says so, with the date, and nothing else."""
    if certificate.revoked_at is None:
        certificate.revoked_at = utcnow()
        certificate.revoked_by_id = actor.id
        db.session.flush()


LEGACY_CODE = re.compile(r"^[A-Za-z0-9_-]{8,32}$")  # codes issued before codes.py


def find_certificate(typed: str) -> Certificate | None:
    """The certificate of a code as a person typed it: case, spaces and dashes do not matter;
    an older code is looked up exactly as printed."""
    canonical = codes.normalise(typed)
    if codes.is_canonical(canonical):
        found = db.session.scalar(select(Certificate).where(Certificate.code == canonical))
        if found is not None:
            return found
    typed = (typed or "").strip()
    if LEGACY_CODE.match(typed):
        return db.session.scalar(select(Certificate).where(Certificate.code == typed))
    return None


def statuses_for(users: list[User], modules: Iterable[Module]) -> dict[int, list[ModuleStatus]]:
    """Each user's status in each module (three queries for any number of users)."""
    modules = list(modules)
    ids = [u.id for u in users]
    statuses = {u.id: {m.slug: ModuleStatus(m) for m in modules} for u in users}

    def entry(user_id: int, slug: str) -> ModuleStatus | None:
        return statuses[user_id].get(slug)

    for progress in db.session.scalars(
        select(ModuleProgress).where(ModuleProgress.user_id.in_(ids))
    ):
        if status := entry(progress.user_id, progress.module_slug):
            status.progress = progress
    attempts = select(QuizAttempt).where(QuizAttempt.user_id.in_(ids))
    for attempt in db.session.scalars(attempts.order_by(QuizAttempt.at, QuizAttempt.id)):
        if status := entry(attempt.user_id, attempt.module_slug):
            status.attempts.append(attempt)
    certificates = select(Certificate).where(Certificate.user_id.in_(ids))
    for certificate in db.session.scalars(certificates.order_by(Certificate.issued_at)):
        if status := entry(certificate.user_id, certificate.module_slug):
            if certificate.valid:
                status.certificate = certificate
            else:
                status.revoked.append(certificate)
    return {user_id: list(by_slug.values()) for user_id, by_slug in statuses.items()}


def organisation_staff(organisation: Organisation) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == organisation.id, User.role == "employer")
            .order_by(User.name, User.id)
        )
    )


def organisation_badge(organisation: Organisation | None, modules: Mapping[str, Module]) -> bool:
    """True when, for every core module of ``modules`` (the loaded module files), someone of the
    organisation's current staff holds a valid certificate. The badge shows training, not AGG
    compliance."""
    if organisation is None or organisation.id is None:
        return False
    core = {slug for slug, module in modules.items() if module.core}
    if not core:
        return False
    passed = db.session.scalars(
        select(Certificate.module_slug)
        .join(User, User.id == Certificate.user_id)
        .where(
            User.organisation_id == organisation.id,
            User.role == "employer",
            Certificate.revoked_at.is_(None),
            Certificate.module_slug.in_(core),
        )
        .distinct()
    )
    return core <= set(passed)
