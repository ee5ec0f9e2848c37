"""Development suggestions for placed participants (phase 5): a step up, or a qualification.

The engine already scores phase 5 for development: its "phase" part is 1.0 for a higher level
in the same occupational family and for qualification offers. We only pick those out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEVELOPMENT_PHASE_PART = 1.0


@dataclass
class Suggestions:
    step_up: list = field(default_factory=list)  # Ranked vacancies (jobs) at a higher level
    qualifications: list = field(default_factory=list)  # Ranked offers of kind "qualification"


def development_suggestions(placement, actor, limit: int = 5) -> Suggestions:
    """Vacancies the engine marks as development for the placement's participant."""
    from placement.matches.services import rank_vacancies

    participant = placement.participant
    suggestions = Suggestions()
    if participant.phase != 5 or not participant.consent_matching or not placement.active:
        return suggestions
    for ranked in rank_vacancies(participant, actor):
        vacancy, result = ranked.record, ranked.result
        if vacancy.id == placement.vacancy_id or not result.eligible:
            continue
        if vacancy.kind == "qualification":
            target = suggestions.qualifications
        elif result.parts.get("phase", 0) >= DEVELOPMENT_PHASE_PART:
            target = suggestions.step_up
        else:
            continue
        if len(target) < limit:
            target.append(ranked)
    return suggestions
