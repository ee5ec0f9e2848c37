"""E-mail from a request: the configured Mailer (placements/mail.py) of the current app."""

from __future__ import annotations

from flask import current_app

from placement.placements.mail import Mailer


def mailer() -> Mailer:
    return Mailer.from_app(current_app)


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one e-mail with the configured backend (MailError when it cannot)."""
    mailer().send(to, subject, body)
