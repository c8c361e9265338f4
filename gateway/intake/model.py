"""The pipeline's plain data: what adapters read out of payloads. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The evidence kinds teachers weigh differently (mastery.md: evidence rules).
EVIDENCE_KINDS = ("practice", "quiz", "assessment", "performance_task")

# Raw records of scores teachers enter (gateway.mastery.service): their evidence is written
# with them, not derived by an adapter, so a replay leaves them alone.
TEACHER_PROTOCOL = "teacher"

# Learner identifier kinds, and the form of their values:
#   lti           "<iss>|<sub>"
#   email         lower-cased address, no "mailto:"
#   mbox_sha1sum  hex SHA-1 of "mailto:<address>" (xAPI 1.0.3 Data 2.4.2.3)
#   xapi_account  "<homePage>|<name>"
#   openid        the OpenID URI
#   caliper       the actor's IRI
#   sis           the student information system id
#   vendor        "<vendor name>|<the vendor's own id>" (ids meaningful only to that vendor)
LEARNER_ID_KINDS = (
    "lti",
    "email",
    "mbox_sha1sum",
    "xapi_account",
    "openid",
    "caliper",
    "sis",
    "vendor",
)


@dataclass(frozen=True, slots=True)
class LearnerRef:
    """One identifier of a learner."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class Observation:
    """A score (or completion) one learner earned on one activity, as a payload reports it.

    ``score`` is normalized to 0..1 by the adapter using the vendor's scale settings; ``None``
    means the payload carried no usable score (e.g. a bare completion), and such observations
    make no evidence. ``hints`` are CASE item URIs or identifiers found in the payload, which
    alignment may trust.
    """

    learner: tuple[LearnerRef, ...]
    activity_id: str
    observed_at: datetime | None
    score: float | None
    raw_score: float | None = None
    min_score: float | None = None
    max_score: float | None = None
    success: bool | None = None
    completion: bool | None = None
    level_label: str | None = None
    kind: str | None = None
    dok: int | None = None
    weight: float | None = None
    hints: tuple[str, ...] = ()
    learner_name: str | None = None


class AdapterRejected(Exception):  # noqa: N818 - reads as "the adapter rejected it"
    """The payload is well-formed for its protocol but its score cannot be used.

    The raw record is kept with status ``rejected`` and this sentence as the reason.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
