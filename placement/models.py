"""Imports every model module so that Alembic and ``db.create_all`` see all tables."""

from placement.accounts.models import User  # noqa: F401
from placement.audit.models import AuditEvent  # noqa: F401
from placement.employers.models import Organisation, Vacancy  # noqa: F401
from placement.matches.models import Embedding  # noqa: F401
from placement.participants.models import Participant, Qualification  # noqa: F401
from placement.proposals.models import Consent, MatchLog, Note, Proposal  # noqa: F401
from placement.proposals.models import ProposalEvent, ShortlistEntry  # noqa: F401
