"""Sending an e-mail through the configured backend: console, file or SMTP.

The caller (a view, a command, a job) builds a ``Mailer`` from the configuration once
(``Mailer.from_app``) and passes it to the services that write e-mails: it says how e-mails go
out, where their links point and which language a recipient without one gets.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import click


class MailError(RuntimeError):
    """The message could not be handed to the mail backend."""


def build_message(to: str, subject: str, body: str, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    return message


@dataclass(frozen=True)
class Mailer:
    """PLACEMENT_MAIL_BACKEND: "console" (print), "file" (append to PLACEMENT_MAIL_FILE, default
    instance/mail.log) or "smtp" (PLACEMENT_SMTP_HOST/PORT/USER/PASSWORD/STARTTLS); the links
    start with PLACEMENT_BASE_URL; PLACEMENT_DEFAULT_LOCALE for recipients without a language."""

    backend: str = "console"
    sender: str = "placement"
    file: Path | None = None
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    base_url: str = ""
    default_locale: str = "de"

    @classmethod
    def from_config(cls, config: Mapping, instance_path: str) -> Mailer:
        return cls(
            backend=config.get("PLACEMENT_MAIL_BACKEND") or "console",
            sender=config.get("PLACEMENT_MAIL_FROM") or "placement",
            file=Path(config.get("PLACEMENT_MAIL_FILE") or Path(instance_path) / "mail.log"),
            smtp_host=config.get("PLACEMENT_SMTP_HOST") or "localhost",
            smtp_port=int(config.get("PLACEMENT_SMTP_PORT") or 587),
            smtp_user=config.get("PLACEMENT_SMTP_USER") or "",
            smtp_password=config.get("PLACEMENT_SMTP_PASSWORD") or "",
            smtp_starttls=bool(config.get("PLACEMENT_SMTP_STARTTLS")),
            base_url=(config.get("PLACEMENT_BASE_URL") or "").rstrip("/"),
            default_locale=config.get("BABEL_DEFAULT_LOCALE") or "de",
        )

    @classmethod
    def from_app(cls, app) -> Mailer:
        return cls.from_config(app.config, app.instance_path)

    def link(self, path: str) -> str:
        """An absolute link to ``path`` ("/notifications") in the application."""
        return f"{self.base_url}{path}"

    def locale(self, chosen: str | None) -> str:
        """The recipient's language, or the default."""
        return chosen or self.default_locale

    def send(self, to: str, subject: str, body: str) -> None:
        """Send one e-mail with the backend; MailError when it cannot be handed over."""
        message = build_message(to, subject, body, self.sender)
        if self.backend == "console":
            click.echo(message.as_string())
        elif self.backend == "file":
            with Path(self.file).open("a", encoding="utf-8") as fh:
                fh.write(message.as_string() + "\n" + "=" * 72 + "\n")
        elif self.backend == "smtp":
            self._send_smtp(message)
        else:
            raise MailError(f"Unknown mail backend {self.backend!r}.")

    def _send_smtp(self, message: EmailMessage) -> None:
        try:
            with smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=30) as smtp:
                if self.smtp_starttls:
                    smtp.starttls()
                if self.smtp_user:
                    smtp.login(self.smtp_user, self.smtp_password)
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(f"SMTP: {type(error).__name__}") from error
