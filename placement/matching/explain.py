"""Match results and their explanation: reasons as codes with parameters, said in English by
`text` (for the CLI); an app says them in its users' language from `code` and `params`."""

from __future__ import annotations

from dataclasses import dataclass, field

from .constraints import ConstraintCheck

MAX_SKILLS_IN_REASON = 4
TYPICAL = " (typical of {title})"  # marks a matched skill typical of the candidate's occupation


@dataclass(frozen=True)
class Reason:
    """One reason of a match: a code and its parameters.

    Codes: "constraint" (params: the check's dict), "same_occupation" (title), "step_up" and
    "same_ladder" (title, from), "same_field" (title, field), "matched_skills" (skills, more),
    "esco_occupation" (title, score, signals), "similar_text".
    """

    code: str
    params: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The reason in English."""
        p = self.params
        if self.code == "constraint":
            return _constraint_text(p)
        if self.code == "same_occupation":
            return f"same occupation: {p['title']}"
        if self.code in ("step_up", "same_ladder"):
            step = "a step up" if self.code == "step_up" else "same career ladder"
            return f"related occupation ({step} from {p['from']}): {p['title']}"
        if self.code == "same_field":
            return f"same field ({p['field']}): {p['title']}"
        if self.code == "matched_skills":
            more = f" (+{p['more']})" if p.get("more") else ""
            return f"matched skills: {', '.join(p['skills'])}{more}"
        if self.code == "esco_occupation":
            shown = ", ".join(f"{k} {v:.2f}" for k, v in p.get("signals", {}).items())
            return f"ESCO occupation: {p['title']} ({p['score']:.2f}" + (
                f"; {shown})" if shown else ")"
            )
        return "similar profile text"

    def __str__(self) -> str:
        return self.text

    def to_dict(self) -> dict:
        """JSON-safe dict: code, parameters and the English text."""
        return {"code": self.code, "params": dict(self.params), "text": self.text}


def typical_skill(skill: str, title: str) -> str:
    """A matched skill that is typical of the candidate's occupation `title`."""
    return skill + TYPICAL.format(title=title)


def split_typical(skill: str) -> tuple[str, str | None]:
    """(skill, occupation title) of a matched skill; the title is None unless it is typical."""
    head, sep, tail = skill.partition(TYPICAL.split("{")[0])
    if sep and tail.endswith(")"):
        return head, tail[:-1]
    return skill, None


@dataclass
class MatchResult:
    """One ranked pair: score, eligibility and why."""

    id: str
    score: float
    eligible: bool
    reasons: list[Reason]
    constraints: list[ConstraintCheck]
    parts: dict[str, float]
    matched_skills: list[str] = field(default_factory=list)
    missing_skills: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    distance_km: float | None = None

    def to_dict(self) -> dict:
        """JSON-safe dict (the CLI prints id, score, eligible and the reasons' texts of it)."""
        return {
            "id": self.id,
            "score": self.score,
            "eligible": self.eligible,
            "reasons": [r.to_dict() for r in self.reasons],
            "constraints": [c.to_dict() for c in self.constraints],
            "parts": dict(self.parts),
            "matched_skills": list(self.matched_skills),
            "missing_skills": list(self.missing_skills),
            "concepts": list(self.concepts),
            "distance_km": None if self.distance_km is None else round(self.distance_km, 1),
        }


def _constraint_text(check: dict) -> str:
    text = check["detail"]
    if check["status"] == "near_miss":
        text = f"near miss: {text}"
    if check.get("next_step"):
        text += f"; next step: {check['next_step']}"
    return text


def constraint_reason(check: ConstraintCheck) -> str:
    """'<detail>; next step: <step>' for a failed, flagged or unknown constraint."""
    return _constraint_text(check.to_dict())


def reasons_for(
    checks: list[ConstraintCheck],
    eligible: bool,
    relation: Reason | None,
    matched_skills: list[str],
    occupation: Reason | None = None,
) -> list[Reason]:
    """Every failed constraint and flag; for eligible pairs also 1-3 positive reasons."""
    reasons = [
        Reason("constraint", c.to_dict())
        for c in checks
        if not c.met or c.status == "flag" or (c.status == "unknown" and c.name == "commute")
    ]
    if eligible:
        if relation:
            reasons.append(relation)
        if matched_skills:
            more = len(matched_skills) - MAX_SKILLS_IN_REASON
            shown = matched_skills[:MAX_SKILLS_IN_REASON]
            reasons.append(Reason("matched_skills", {"skills": shown, "more": max(more, 0)}))
        if occupation:
            reasons.append(occupation)
        if not relation and not matched_skills and not occupation:
            reasons.append(Reason("similar_text"))
    return reasons
