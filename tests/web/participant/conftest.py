"""The participant pages: the participant tests' app, TF-IDF matcher and logins."""

from tests.participants.conftest import (  # noqa: F401
    app,
    confirm_password,
    participant_login,
    tfidf_matcher,
)
