"""Participant area (/me): the own profile, suggestions, proposals, consent and data rights.

Nothing of anyone else's: every view works on ``own_profile()``.
"""

from placement.web.participant import consent, profile, rights, suggestions  # noqa: F401 (views)
from placement.web.participant.blueprint import bp

__all__ = ["bp"]
