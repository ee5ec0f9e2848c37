"""Asking first before what cannot be undone: close, fill, remove, withdraw, revoke, decline.

A confirmation page is a GET that says what will happen and holds a Confirm button posting
(with CSRF) to the action's own POST endpoint with ``confirmed=y``; the POST endpoints act only
with that field, so nothing irreversible happens from one click, with or without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import render_template, request

from placement.web.guards import is_safe_next

CONFIRMED = "y"


def confirmed() -> bool:
    """Did the posted form come from a confirmation page?"""
    return request.form.get("confirmed") == CONFIRMED


def back_to(default: str) -> str:
    """Where Cancel leads: the safe ``next`` of the query or form, else ``default``."""
    target = request.values.get("next")
    return target if is_safe_next(target) else default


def render_confirm(
    *,
    title: str,
    consequences: Iterable[str],
    action: str,
    confirm_label: str,
    cancel: str,
    fields: dict | None = None,
    form=None,
    form_fields: Iterable = (),
    status: int = 200,
):
    """The confirmation page: what will happen, then Confirm (a danger button) or Cancel."""
    return render_template(
        "confirm.html",
        title=title,
        consequences=list(consequences),
        action=action,
        confirm_label=confirm_label,
        cancel=cancel,
        fields={"next": request.values.get("next") or "", **(fields or {})},
        form=form,
        form_fields=list(form_fields),
    ), status
