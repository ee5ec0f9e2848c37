"""Match results and their human-readable explanation."""

from __future__ import annotations

from dataclasses import dataclass, field

from .constraints import ConstraintCheck

MAX_SKILLS_IN_REASON = 4


@dataclass
class MatchResult:
    """One ranked pair: score, eligibility and why."""

    id: str
    score: float
    eligible: bool
    reasons: list[str]
    constraints: list[ConstraintCheck]
    parts: dict[str, float]
    matched_skills: list[str] = field(default_factory=list)
    missing_skills: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    distance_km: float | None = None

    def to_dict(self) -> dict:
        """JSON-safe dict (the CLI prints id, score, eligible, reasons of it)."""
        return {
            "id": self.id,
            "score": self.score,
            "eligible": self.eligible,
            "reasons": list(self.reasons),
            "constraints": [c.to_dict() for c in self.constraints],
            "parts": dict(self.parts),
            "matched_skills": list(self.matched_skills),
            "missing_skills": list(self.missing_skills),
            "concepts": list(self.concepts),
            "distance_km": None if self.distance_km is None else round(self.distance_km, 1),
        }


def constraint_reason(check: ConstraintCheck) -> str:
    """'<detail>; next step: <step>' for a failed, flagged or unknown constraint."""
    text = check.detail
    if check.status == "near_miss":
        text = f"near miss: {text}"
    if check.next_step:
        text += f"; next step: {check.next_step}"
    return text


def reasons_for(
    checks: list[ConstraintCheck],
    eligible: bool,
    relation: str | None,
    matched_skills: list[str],
    occupation: str | None = None,
) -> list[str]:
    """Every failed constraint and flag; for eligible pairs also 1-3 positive reasons."""
    reasons = [
        constraint_reason(c)
        for c in checks
        if not c.met or c.status == "flag" or (c.status == "unknown" and "postcode" in c.detail)
    ]
    if eligible:
        if relation:
            reasons.append(relation)
        if matched_skills:
            shown = ", ".join(matched_skills[:MAX_SKILLS_IN_REASON])
            more = len(matched_skills) - MAX_SKILLS_IN_REASON
            reasons.append(f"matched skills: {shown}" + (f" (+{more})" if more > 0 else ""))
        if occupation:
            reasons.append(occupation)
        if not relation and not matched_skills and not occupation:
            reasons.append("similar profile text")
    return reasons
