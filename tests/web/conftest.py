"""Mail captured from the account views (password links and invitations)."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def outbox(monkeypatch):
    """Every e-mail the account views and the password-link job send, as (to, subject, body)."""
    sent: list[tuple[str, str, str]] = []
    monkeypatch.setattr("placement.web.auth.password.send_mail", lambda *m: sent.append(m))
    monkeypatch.setattr("placement.accounts.jobs.send_mail", lambda *m: sent.append(m))
    return sent


def link_path(body: str) -> str:
    """The path of the (only) link in an e-mail body."""
    match = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert match, body
    return match.group(1)
