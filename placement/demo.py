"""Demo data for Lower Saxony, written by the team (data/demo/). Loaded only on request."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from placement.accounts.models import User
from placement.accounts.services import create_user
from placement.employers.services import create_organisation, create_vacancy
from placement.extensions import db
from placement.participants.services import create_participant

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"
DEMO_PASSWORD = "demo-passwort-2026"  # demo data only; printed by `placement demo`
ADMIN_EMAIL = "admin@demo.example"
PARTICIPANT_ACCOUNTS = 12  # the first participants of the file get a login


class DemoDataError(ValueError):
    pass


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _jsonl(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise DemoDataError(f"{path}:{n}: {error.msg}") from error
    return rows


def _current_job_as_placement(person, row: dict, organisations: dict, schedule: str | None
                              ) -> None:  # fmt: skip
    """Phase 5 people whose job is with a demo employer get a placement and its follow-ups."""
    from placement.placements.services import create_placement

    job = row.get("current_job") or {}
    org = organisations.get(job.get("employer"))
    if row.get("phase") != 5 or org is None or not job.get("since"):
        return
    title = job.get("title") or "—"
    contract = "mini_job" if "Minijob" in title else "permanent"
    create_placement(
        person,
        org,
        {"title": title, "occupation": title, "start_date": _date(job["since"]),
         "contract_type": contract, "hours_per_week": row.get("hours_per_week")},
        actor=None, schedule=schedule,
    )  # fmt: skip


def demo_loaded() -> bool:
    return db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is not None


def demo_logins() -> list[tuple[str, str, str]]:
    """The demo accounts still in the database, as (role, e-mail, name), admins first."""
    demo = User.email.like("%@demo.example") & User.active.is_(True)
    users = db.session.scalars(select(User).where(demo).order_by(User.id))
    return [(u.role, u.email, u.name) for u in users]


def load_demo(directory: Path = DEMO_DIR, schedule: str | None = None
              ) -> list[tuple[str, str, str]]:  # fmt: skip
    """Create the demo network (placements with the follow-ups of ``schedule``); returns the
    logins as (role, e-mail, description). Only flushes."""
    if demo_loaded():
        raise DemoDataError("demo data are loaded already")
    logins = []

    def account(email, name, role, organisation=None):
        user = create_user(email, name, role, DEMO_PASSWORD, organisation=organisation)
        logins.append((role, email, name))
        return user

    account(ADMIN_EMAIL, "Admin Netzwerk Niedersachsen", "admin")
    counsellors = {
        "counsellor1": account("counsellor1@demo.example", "Miriam Okafor", "counsellor"),
        "counsellor2": account("counsellor2@demo.example", "Jonas Behrens", "counsellor"),
    }
    organisations = {}
    for row in json.loads((directory / "employers.json").read_text(encoding="utf-8")):
        contact = row.get("contact") or {}
        data = dict(
            row,
            contact_name=contact.get("name"),
            contact_email=contact.get("email"),
            contact_phone=contact.get("phone"),
        )
        org = create_organisation(data, approved=bool(row.get("approved")))
        organisations[row["key"]] = org
        if contact.get("email"):
            account(contact["email"], contact.get("name") or org.name, "employer", org)

    for row in _jsonl(directory / "vacancies.jsonl"):
        org = organisations.get(row.get("employer"))
        if org is None:
            raise DemoDataError(f"vacancy {row.get('id')}: unknown employer {row.get('employer')}")
        data = dict(row, start_date=_date(row.get("start_date")))
        vacancy = create_vacancy(org, data, actor=None)
        vacancy.external_ref = row["id"]

    for n, row in enumerate(_jsonl(directory / "participants.jsonl")):
        user = None
        if n < PARTICIPANT_ACCOUNTS and row.get("email"):
            user = account(row["email"], f"{row['first_name']} {row['last_name']}", "participant")
        data = dict(
            row,
            profile_text=row.get("profile", ""),
            profile_language=row.get("language"),
            permit_expires=_date(row.get("permit_expires")),
            earliest_start=_date(row.get("earliest_start")),
            consent_contact=bool(row.get("consent_share_default", False)),
        )
        person = create_participant(
            data, counsellor=counsellors.get(row.get("counsellor")), user=user
        )
        person.external_ref = row["id"]
        _current_job_as_placement(person, row, organisations, schedule)
    db.session.flush()
    return logins
