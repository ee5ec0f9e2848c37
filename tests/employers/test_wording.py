"""The inclusive-wording check: every shipped rule against its own examples and counter-examples,
neutral texts, the needless-language-demand check, and clear errors for a broken rules file."""

from __future__ import annotations

import pytest

from placement.employers.wording import (
    WordingRulesError,
    check_vacancy,
    load_rules,
    occupation_level,
    shipped_rules,
)

RULES = shipped_rules().rules
EXAMPLES = [(rule.id, text) for rule in RULES for text in rule.examples]
COUNTER_EXAMPLES = [(rule.id, text) for rule in RULES for text in rule.counter_examples]

NEUTRAL_VACANCIES = [
    (
        "Fachkraft für Lagerlogistik (m/w/d)",
        "Sie nehmen Waren an, kommissionieren Aufträge mit dem Handscanner und bereiten den "
        "Versand vor. Deutschkenntnisse etwa auf B1 genügen; wir unterstützen Sie beim "
        "Weiterlernen. Bewerbungen ohne Foto sind ausdrücklich erwünscht.",
        "B1",
    ),
    (
        "Pflegefachkraft (m/w/d) in Teilzeit",
        "Ein hilfsbereites, erfahrenes Team erwartet Sie. Berufserlaubnis oder laufendes "
        "Anerkennungsverfahren – wir begleiten Sie. Familienfreundliche Arbeitszeiten.",
        "B2",
    ),
    (
        "Warehouse operative (m/f/d)",
        "You pick and pack orders and keep the warehouse tidy. Good German (B1) is enough; "
        "we welcome applications from people of all backgrounds and support work permit "
        "applications.",
        "A2",
    ),
]


def test_shipped_rules_load_and_are_complete():
    rules = shipped_rules()
    assert len(rules.rules) >= 20
    assert set(rules.language_guidance) == {1, 2, 3, 4}
    assert len({rule.id for rule in rules.rules}) == len(rules.rules)


@pytest.mark.parametrize(("rule_id", "text"), EXAMPLES)
def test_each_example_triggers_its_rule(rule_id, text):
    found = {f.rule_id for f in check_vacancy("", text, None)}
    assert rule_id in found, f"{rule_id} missed {text!r}"


@pytest.mark.parametrize(("rule_id", "text"), COUNTER_EXAMPLES)
def test_counter_examples_do_not_trigger_their_rule(rule_id, text):
    found = {f.rule_id for f in check_vacancy("", text, None)}
    assert rule_id not in found, f"{rule_id} wrongly matched {text!r}"


@pytest.mark.parametrize(("title", "description", "level"), NEUTRAL_VACANCIES)
def test_neutral_vacancies_trigger_nothing(title, description, level):
    assert check_vacancy(title, description, level) == []


def test_finding_carries_matched_text_explanation_and_alternative_in_the_language():
    de = check_vacancy(
        "Verkäufer (m/w/d)", "Wir sind ein junges, dynamisches Team.", None, lang="de"
    )
    en = check_vacancy(
        "Verkäufer (m/w/d)", "Wir sind ein junges, dynamisches Team.", None, lang="en"
    )
    assert [f.rule_id for f in de] == ["junges_team"]
    assert de[0].severity == "high"
    assert de[0].matched.lower().startswith("junges, dynamisches team")
    assert "BAG" in de[0].explanation
    assert "Team" in de[0].alternative
    assert en[0].explanation.startswith("Describing the team")
    assert en[0].alternative != de[0].alternative


def test_findings_are_sorted_most_severe_first():
    findings = check_vacancy("Verkäufer (m/w) gesucht", "Muttersprache: Deutsch", None)
    assert [f.severity for f in findings] == sorted(
        (f.severity for f in findings), key=("high", "medium", "low").index
    )
    assert {"muttersprache", "mw_ohne_d"} <= {f.rule_id for f in findings}


# ----------------------------------------------------------- needless language demands


def test_lexicon_gives_the_requirement_level_of_a_job():
    assert occupation_level("Lagerhelfer (m/w/d)")[0] == 1
    assert occupation_level("Fachkraft für Lagerlogistik")[0] == 2
    assert occupation_level("Sehr geehrte Damen und Herren") is None


def test_c2_for_a_warehouse_job_is_a_needless_demand():
    findings = check_vacancy(
        "Lagerhelfer (m/w/d)", "Kommissionieren und Verpacken im Lager.", "C2", lang="en"
    )
    demand = [f for f in findings if f.rule_id == "language_demand"]
    assert len(demand) == 1
    assert demand[0].matched == "C2"
    assert "B1" in demand[0].explanation
    assert "C2" in demand[0].explanation
    assert "B1" in demand[0].alternative


@pytest.mark.parametrize("level", [None, "A2", "B1"])
def test_a_fitting_level_for_a_warehouse_job_is_fine(level):
    findings = check_vacancy("Lagerhelfer (m/w/d)", "Kommissionieren im Lager.", level)
    assert "language_demand" not in {f.rule_id for f in findings}


def test_the_guidance_follows_the_requirement_level():
    # A skilled-worker job (level 2) may ask B2, not C1; an explicit level overrides detection.
    title, text = "Fachkraft für Lagerlogistik (m/w/d)", "Wareneingang und Versand."
    assert not [f for f in check_vacancy(title, text, "B2") if f.rule_id == "language_demand"]
    assert [f for f in check_vacancy(title, text, "C1") if f.rule_id == "language_demand"]
    assert not [f for f in check_vacancy(title, text, "C1", level=3)]
    assert [f.rule_id for f in check_vacancy("Team", "Aufgaben", "C2", level=1)] == [
        "language_demand"
    ]


def test_unknown_occupation_gives_no_language_finding():
    assert check_vacancy("Allrounder (m/w/d)", "Vielfältige Aufgaben.", "C2") == []


# ----------------------------------------------------------- broken rules files

GOOD_RULE = """
  - id: probe
    category: agg_age
    severity: high
    patterns: ['probe\\w*']
    explanation: {de: "Erklärung", en: "Explanation"}
    alternative: {de: "Alternative", en: "Alternative"}
    examples: [probe eins, probe zwei]
    counter_examples: [eins, zwei]
"""
GUIDANCE = "language_guidance: {1: B1, 2: B2, 3: C1, 4: C2}\n"


def _write(tmp_path, text):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_loads(tmp_path):
    rules = load_rules(_write(tmp_path, "rules:" + GOOD_RULE + GUIDANCE))
    assert [r.id for r in rules.rules] == ["probe"]
    assert check_vacancy("", "Probezeit", None, rules=rules)[0].rule_id == "probe"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("patterns: ['probe\\w*']", "patterns: ['probe(']"), "bad pattern"),
        (("severity: high", "severity: urgent"), "severity"),
        (("category: agg_age", "category: mood"), "unknown category"),
        (('en: "Explanation"', 'fr: "Explication"'), "explanation needs texts"),
        (("examples: [probe eins, probe zwei]", "examples: [probe eins]"), "examples needs"),
        (("    severity: high\n", ""), "missing severity"),
        (("id: probe", "id: [probe"), "not valid YAML"),
    ],
)
def test_a_broken_file_is_a_clear_error_naming_file_and_rule(tmp_path, change, message):
    path = _write(tmp_path, ("rules:" + GOOD_RULE + GUIDANCE).replace(*change))
    with pytest.raises(WordingRulesError) as error:
        load_rules(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_duplicate_ids_and_bad_guidance_are_refused(tmp_path):
    with pytest.raises(WordingRulesError, match="duplicate id"):
        load_rules(_write(tmp_path, "rules:" + GOOD_RULE + GOOD_RULE + GUIDANCE))
    with pytest.raises(WordingRulesError, match="not a CEFR level"):
        load_rules(_write(tmp_path, "rules:" + GOOD_RULE + GUIDANCE.replace("C2", "D1")))
    with pytest.raises(WordingRulesError, match="cannot read"):
        load_rules(tmp_path / "missing.yaml")
