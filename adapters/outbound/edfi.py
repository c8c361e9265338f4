"""Ed-Fi ODS/API (Data Standard 5.x): a StudentCompetencyObjective per learner and competency.

POST ``/ed-fi/studentCompetencyObjectives`` is an upsert on the natural key (student, grading
period, competency objective), so a redelivery changes nothing. The level becomes a
``competencyLevelDescriptor`` through ``level_descriptors`` (level code -> descriptor URI;
the default maps the Canvas-like default scale to Ed-Fi's default CompetencyLevel codes). A
level with no descriptor is refused and parked as dead, never sent as something else
(outbound.md section 5, "never downgrade silently"). The CompetencyObjective is POSTed first
(once per process) with the CASE identifier in ``competencyObjectiveId`` and the human coding
scheme as ``objective``. Ed-Fi has no way to say "no level any more" on this resource: a
withdrawn level is parked as dead with a sentence saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from adapters.outbound import (
    CompetencyRef,
    DeliveryEvent,
    Outcome,
    TargetEnv,
    refuse_unknown,
    setting_str,
)
from adapters.outbound.http import ClientCredentials, OnceEach, settle
from gateway.errors import InvalidPayload

_DESCRIPTOR = "uri://ed-fi.org/CompetencyLevelDescriptor#"
DEFAULT_LEVEL_DESCRIPTORS = {
    "exceeds": _DESCRIPTOR + "Advanced",
    "mastery": _DESCRIPTOR + "Proficient",
    "near": _DESCRIPTOR + "Basic",
    "below": _DESCRIPTOR + "Below Basic",
    "none": _DESCRIPTOR + "Well Below Basic",
}
_PERIOD_KEYS = ("school_id", "school_year", "descriptor", "name")
_KNOWN = {
    "base_url",
    "token_url",
    "client_id",
    "student_id_kind",
    "education_organization_id",
    "grade_level_descriptor",
    "grading_period",
    "level_descriptors",
}


def _int(settings: Mapping[str, Any], key: str) -> int:
    value = settings.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidPayload(f"settings.{key} is required: a whole number.")
    return value


def objective_reference(
    competency: CompetencyRef, settings: Mapping[str, Any]
) -> dict[str, Any]:
    """``objectiveCompetencyObjectiveReference`` (the JSON name keeps the role "Objective")."""
    return {
        "educationOrganizationId": settings["education_organization_id"],
        "objective": competency.human_coding_scheme or competency.id,
        "objectiveGradeLevelDescriptor": settings["grade_level_descriptor"],
    }


def competency_objective_body(
    competency: CompetencyRef, settings: Mapping[str, Any]
) -> dict[str, Any]:
    """The CompetencyObjective, with the CASE identifier in ``competencyObjectiveId``."""
    return {
        "objective": competency.human_coding_scheme or competency.id,
        "objectiveGradeLevelDescriptor": settings["grade_level_descriptor"],
        "educationOrganizationReference": {
            "educationOrganizationId": settings["education_organization_id"]
        },
        "competencyObjectiveId": competency.id,
        "description": competency.full_statement[:1024],
    }


def student_objective_body(
    event: DeliveryEvent, student: str, descriptor: str, settings: Mapping[str, Any]
) -> dict[str, Any]:
    """The StudentCompetencyObjective for the event's level."""
    competency = event.competency
    assert competency is not None  # noqa: S101 - checked by the caller
    period = settings["grading_period"]
    return {
        "studentReference": {"studentUniqueId": student},
        "gradingPeriodReference": {
            "schoolId": period["school_id"],
            "schoolYear": period["school_year"],
            "gradingPeriodDescriptor": period["descriptor"],
            "gradingPeriodName": period["name"],
        },
        "objectiveCompetencyObjectiveReference": objective_reference(
            competency, settings
        ),
        "competencyLevelDescriptor": descriptor,
        "diagnosticStatement": (
            f"{event.payload.get('label')}: {event.payload.get('points')} of "
            f"{event.payload.get('scale_top_points')} points (Tessera)"
        ),
    }


class EdFiTarget:
    """Competency levels to an Ed-Fi ODS/API."""

    kind: ClassVar[str] = "edfi"
    needs_secret: ClassVar[bool] = True

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> dict[str, Any]:
        """base_url (…/data/v3), token_url, client_id, the grading period and descriptors."""
        refuse_unknown(settings, _KNOWN)
        period = settings.get("grading_period")
        if not isinstance(period, Mapping) or set(period) != set(_PERIOD_KEYS):
            raise InvalidPayload(
                "settings.grading_period must be a table with exactly "
                f"{', '.join(_PERIOD_KEYS)} (the Data Standard 5 grading-period key)."
            )
        levels = settings.get("level_descriptors", DEFAULT_LEVEL_DESCRIPTORS)
        if not isinstance(levels, Mapping) or not all(
            isinstance(v, str) and v.startswith("uri://") for v in levels.values()
        ):
            raise InvalidPayload(
                "settings.level_descriptors must map level codes to descriptor URIs such "
                "as uri://ed-fi.org/CompetencyLevelDescriptor#Proficient."
            )
        return {
            "base_url": setting_str(settings, "base_url", url=True),
            "token_url": setting_str(settings, "token_url", url=True),
            "client_id": setting_str(settings, "client_id"),
            "student_id_kind": setting_str(settings, "student_id_kind", default="sis"),
            "education_organization_id": _int(settings, "education_organization_id"),
            "grade_level_descriptor": setting_str(settings, "grade_level_descriptor"),
            "grading_period": {
                "school_id": _int(period, "school_id"),
                "school_year": _int(period, "school_year"),
                "descriptor": setting_str(period, "descriptor"),
                "name": setting_str(period, "name"),
            },
            "level_descriptors": dict(levels),
        }

    def __init__(
        self, settings: Mapping[str, Any], secret: str | None, env: TargetEnv
    ) -> None:
        self._settings = dict(settings)
        self._base = str(settings["base_url"])
        self._oauth = ClientCredentials(
            env, str(settings["token_url"]), str(settings["client_id"]), secret or ""
        )
        self._objectives = OnceEach()

    def deliver(self, event: DeliveryEvent) -> Outcome:
        """POST the CompetencyObjective (once), then the StudentCompetencyObjective."""
        competency = event.competency
        if event.topic != "mastery.changed" or competency is None:
            return Outcome.delivered("nothing for Ed-Fi in this event")
        level = event.payload.get("level")
        if level is None:
            return Outcome.failed(
                "the learner has no level any more, and a StudentCompetencyObjective "
                "cannot say so; remove it in the ODS if it must go"
            )
        descriptor = self._settings["level_descriptors"].get(level)
        if descriptor is None:
            return Outcome.failed(
                f"level {level!r} has no CompetencyLevelDescriptor in this destination's "
                "level_descriptors; add one, then retry"
            )
        kind = str(self._settings["student_id_kind"])
        student = event.identifier(kind)
        if student is None:
            return Outcome.failed(
                f"the learner has no {kind!r} identifier, which Ed-Fi needs as the "
                "studentUniqueId; link one, then retry"
            )
        what = "POST competencyObjectives"
        outcome = self._objectives.ensure(
            competency.id,
            lambda: settle(
                self._oauth.call(
                    "POST",
                    f"{self._base}/ed-fi/competencyObjectives",
                    what,
                    json=competency_objective_body(competency, self._settings),
                ),
                what,
            ),
        )
        if outcome.result != "delivered":
            return outcome
        what = "POST studentCompetencyObjectives"
        return settle(
            self._oauth.call(
                "POST",
                f"{self._base}/ed-fi/studentCompetencyObjectives",
                what,
                json=student_objective_body(event, student, descriptor, self._settings),
            ),
            what,
        )
