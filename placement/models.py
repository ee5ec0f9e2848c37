"""Imports every model module so that Alembic and ``db.create_all`` see all tables."""

from placement.accounts.models import (  # noqa: F401
    AccountToken,
    LoginFailure,
    RecoveryCode,
    User,
)
from placement.audit.models import AuditEvent  # noqa: F401
from placement.employers.models import Organisation, Vacancy  # noqa: F401
from placement.matches.models import Embedding, MatchLog  # noqa: F401
from placement.notifications.models import Notification, NotificationMail  # noqa: F401
from placement.outreach.models import ContactEntry  # noqa: F401
from placement.participants.models import (  # noqa: F401
    AnonymousOutcome,
    Interest,
    Participant,
    Qualification,
)
from placement.placements.models import FollowUp, Placement, Reminder  # noqa: F401
from placement.proposals.models import (  # noqa: F401
    Consent,
    Note,
    Proposal,
    ProposalEvent,
    ShortlistEntry,
)
from placement.training.models import Certificate, ModuleProgress, QuizAttempt  # noqa: F401
