"""Participant area (/me): the own profile, suggestions, proposals, consent and data rights.

Nothing of anyone else's: every view works on ``own_profile()``.
"""

from placement.web.participant import (  # noqa: F401 (views)
    consent,
    profile,
    rights,
    still_interested,
    suggestions,
)
from placement.web.participant.blueprint import bp

__all__ = ["bp"]
