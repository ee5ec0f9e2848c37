"""Import and export: the participant tests' app (uploads in the test's folder) and logins."""

from tests.participants.conftest import (  # noqa: F401
    app,
    confirm_password,
    participant_login,
    tfidf_matcher,
)
