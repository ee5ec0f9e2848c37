"""Embeddings are stored in the database with the model name and a hash of the text, reused
across requests, and never computed twice for an unchanged record."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import func, select

from placement.extensions import db
from placement.matching import Matcher
from tests.fakes import FakeEncoder


@pytest.fixture
def engine_data(_engine_data):
    return _engine_data


class CountingEncoder(FakeEncoder):
    """The fake encoder under another model name (it counts the texts it encodes)."""

    name = "counting-bow@1"


def test_ranking_twice_encodes_each_text_once(
    app, create_org, create_vacancy, create_participant, engine_data
):
    from placement.employers.models import Vacancy
    from placement.matches.models import Embedding
    from placement.matches.services import DbEmbeddingCache, rank_participants
    from placement.participants.models import Participant

    lexicon, postcodes = engine_data
    org = create_org()
    vacancy_id = create_vacancy(org, title="Koch/Köchin", description="Kochen in der Kantine.")
    ids = [
        create_participant(first_name=f"P{i}", consent_matching=True, profile_text=text)
        for i, text in enumerate(["Кухар у ресторані, 8 років.", "Lagerarbeit mit Stapler."])
    ]
    encoder = CountingEncoder()

    def matcher():  # a new matcher each time: only the database keeps what was encoded
        return Matcher(encoder=encoder, lexicon=lexicon, postcodes=postcodes,
                       cache=DbEmbeddingCache())  # fmt: skip

    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        first = rank_participants(vacancy, None, matcher=matcher())
        db.session.commit()
        assert encoder.encoded == 3  # one vacancy, two profiles
        rows = db.session.scalar(select(func.count(Embedding.id)))
        assert rows == 3
        second = rank_participants(vacancy, None, matcher=matcher())
        db.session.commit()
        assert encoder.encoded == 3  # nothing encoded again
        assert [r.result.score for r in first] == [r.result.score for r in second]

        # A changed profile is encoded anew; the unchanged ones are not.
        person = db.session.get(Participant, ids[0])
        person.profile_text += " Auch Konditorei."
        db.session.commit()
        rank_participants(vacancy, None, matcher=matcher())
        db.session.commit()
        assert encoder.encoded == 4
        assert db.session.scalar(select(func.count(Embedding.id))) == 4
        stored = db.session.scalars(select(Embedding)).first()
        assert stored.model == "counting-bow@1"
        assert len(stored.text_hash) == 64
        assert np.frombuffer(stored.vector, dtype="<f4").shape == (stored.dim,)
