"""Sending an e-mail through the configured backend: console, file or SMTP."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path

import click
from flask import current_app


class MailError(RuntimeError):
    """The message could not be handed to the mail backend."""


def build_message(to: str, subject: str, body: str, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one e-mail with PLACEMENT_MAIL_BACKEND: "console" (print), "file" (append to
    instance/mail.log) or "smtp" (PLACEMENT_SMTP_HOST/PORT/USER/PASSWORD/STARTTLS)."""
    config = current_app.config
    backend = config.get("PLACEMENT_MAIL_BACKEND") or "console"
    message = build_message(to, subject, body, config.get("PLACEMENT_MAIL_FROM") or "placement")
    if backend == "console":
        click.echo(message.as_string())
    elif backend == "file":
        path = Path(config.get("PLACEMENT_MAIL_FILE") or Path(current_app.instance_path)
                    / "mail.log")  # fmt: skip
        with path.open("a", encoding="utf-8") as fh:
            fh.write(message.as_string() + "\n" + "=" * 72 + "\n")
    elif backend == "smtp":
        _send_smtp(message, config)
    else:
        raise MailError(f"Unknown mail backend {backend!r}.")


def _send_smtp(message: EmailMessage, config) -> None:
    try:
        with smtplib.SMTP(config["PLACEMENT_SMTP_HOST"], int(config["PLACEMENT_SMTP_PORT"]),
                          timeout=30) as smtp:  # fmt: skip
            if config.get("PLACEMENT_SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("PLACEMENT_SMTP_USER"):
                smtp.login(config["PLACEMENT_SMTP_USER"], config["PLACEMENT_SMTP_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"SMTP: {type(error).__name__}") from error
