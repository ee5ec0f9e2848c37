"""The e-mails about accounts, in the recipient's language: a password link, an invitation."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from placement.accounts.models import User


def reset_mail(user: User, link: str, default_locale: str) -> tuple[str, str]:
    """Subject and body of the forgotten-password e-mail (the link holds 2 hours, once)."""
    with force_locale(user.locale or default_locale):
        subject = _("Set a new password for placement")
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.name),
                _(
                    "you (or someone else) asked to set a new password. Use this link within two "
                    "hours; it works once:"
                ),  # fmt: skip
                link,
                _("If you did not ask for it, ignore this e-mail: your password stays as it is."),
            ]
        )
    return subject, body + "\n"


def invite_mail(user: User, link: str, network: str, default_locale: str) -> tuple[str, str]:
    """Subject and body of an invitation (the link holds 7 days, once)."""
    with force_locale(user.locale or default_locale):
        subject = _("Your account with %(network)s", network=network)
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.name),
                _(
                    "%(network)s has opened an account for you in placement. Choose your password "
                    "with this link within seven days; it works once:",
                    network=network,
                ),  # fmt: skip
                link,
                _("Then sign in with your e-mail address %(email)s.", email=user.email),
            ]
        )
    return subject, body + "\n"
