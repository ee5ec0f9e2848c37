"""E-mail verification links for self-registered accounts (itsdangerous, signed and timed).

The link carries the account id and the address it was sent to, signed with the app's secret
key; it needs no stored token and stops working when the address changes or after MAX_AGE.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

from placement.accounts.models import User

SALT = "placement-verify-email"
MAX_AGE_SECONDS = 3 * 24 * 3600


def make_token(secret_key: str, user: User) -> str:
    return URLSafeTimedSerializer(secret_key, salt=SALT).dumps({"id": user.id, "email": user.email})


def read_token(secret_key: str, token: str) -> tuple[int, str] | None:
    """(user id, e-mail) of a valid, unexpired token, else None."""
    try:
        data = URLSafeTimedSerializer(secret_key, salt=SALT).loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    return data["id"], str(data.get("email", ""))


def verification_mail(name: str, link: str) -> tuple[str, str]:
    """Subject and body of the message with the link."""
    subject = "Bitte bestätigen Sie Ihre E-Mail-Adresse / Please confirm your e-mail address"
    body = (
        f"Guten Tag {name},\n\nbitte bestätigen Sie Ihre E-Mail-Adresse mit diesem Link "
        f"(3 Tage gültig):\n{link}\n\nHello {name},\n\nplease confirm your e-mail address with "
        f"this link (valid for 3 days):\n{link}\n\nWenn Sie sich nicht registriert haben, "
        "ignorieren Sie diese Nachricht. / If you did not register, ignore this message.\n"
    )
    return subject, body


def account_exists_mail(login_link: str) -> tuple[str, str]:
    """Sent instead of a second registration: the page says the same in both cases."""
    subject = "Ihr Konto besteht bereits / You have an account already"
    body = (
        "Jemand (vielleicht Sie) wollte mit dieser Adresse ein Arbeitgeberkonto registrieren. "
        f"Es gibt schon ein Konto: melden Sie sich an: {login_link}\n\n"
        "Someone (perhaps you) tried to register an employer account with this address. You "
        f"have an account already: sign in at {login_link}\n"
    )
    return subject, body
