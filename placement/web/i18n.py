"""Flask-Babel's translations and number formats, without looking the locale and catalogue up
again for every string: a match page says about 1,500 strings and numbers (25 explained rows).

The same translations as `flask_babel.get_translations()`: the catalogue is taken once per
request and locale (a `force_locale` block gets its own, and the request's again after it); a
formatted number is kept per locale and value (a pure function of both).
"""

from __future__ import annotations

import threading

from flask import Flask, g
from flask_babel import format_decimal, format_percent, get_locale, get_translations
from flask_babel.speaklater import LazyString

_MEMO_SIZE = 20_000
_memo: dict[tuple, str] = {}
_lock = threading.Lock()


def _context():
    try:
        return g._flask_babel
    except (AttributeError, RuntimeError):
        return None


def translations():
    """The catalogue of the current locale (as `flask_babel.get_translations`)."""
    ctx = _context()
    if ctx is None:
        return get_translations()
    locale = getattr(ctx, "babel_locale", None) or get_locale()
    domain = getattr(ctx, "babel_domain", None)
    kept = getattr(ctx, "placement_translations", None)
    if kept is not None and kept[0] is locale and kept[1] is domain:
        return kept[2]
    found = get_translations()
    ctx.placement_translations = (locale, domain, found)
    return found


def gettext(string: str, **variables) -> str:
    """As `flask_babel.gettext`."""
    s = translations().ugettext(string)
    return s if not variables else s % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    """As `flask_babel.lazy_gettext`: said in the locale of the moment it is shown."""
    return LazyString(gettext, string, **variables)


def _locale():
    """The current locale (as `flask_babel.get_locale`), from the request's context when set."""
    ctx = _context()
    return (ctx is not None and getattr(ctx, "babel_locale", None)) or get_locale()


def _formatted(kind: str, value: float, fmt: str | None, make) -> str:
    key = (_locale(), kind, value, fmt)
    found = _memo.get(key)
    if found is None:
        found = make()
        with _lock:
            if len(_memo) >= _MEMO_SIZE:
                _memo.clear()
            _memo[key] = found
    return found


def decimal(value: float, fmt: str) -> str:
    """As `flask_babel.format_decimal(value, format=fmt)`."""
    return _formatted("decimal", value, fmt, lambda: format_decimal(value, format=fmt))


def percent(value: float) -> str:
    """As `flask_babel.format_percent(value)`."""
    return _formatted("percent", value, None, lambda: format_percent(value))


def init_app(app: Flask) -> None:
    """Templates translate through `translations()` (after Flask-Babel's init_app)."""
    env = app.jinja_env
    env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    env.globals["_"] = env.globals["gettext"]  # not through the alias: one call less
