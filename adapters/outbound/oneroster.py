"""OneRoster 1.2 Gradebook REST: one line item per (class, competency), one result per learner.

PUT ``lineItems/{sourcedId}`` and ``results/{sourcedId}`` create or update (OneRoster 1.2
Gradebook Service, REST binding), so Tessera chooses the sourcedIds: uuid5 of (class, CFItem)
and of (class, CFItem, student). A retry or a redelivery writes the same objects again. Both
carry ``learningObjectiveSet`` with source ``case`` and the CFItem identifier. A line item is
PUT once per worker process; every result is PUT. A level withdrawn (no evidence any more)
DELETEs the result (404 counts as done). OAuth 2 client credentials (RFC 6749 4.4).

The class comes from the learner's classes of source ``class_source`` (their key is the SIS
class sourcedId), or a fixed ``class_sourced_id``; the student's sourcedId is the learner's
identifier of kind ``student_id_kind`` (default ``sis``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, ClassVar

from adapters.outbound import (
    DeliveryEvent,
    Outcome,
    TargetEnv,
    refuse_unknown,
    setting_str,
)
from adapters.outbound.http import ClientCredentials, OnceEach, settle
from gateway.errors import InvalidPayload
from gateway.ids import uuid5

_NS = uuid.UUID("5b1d6c0e-2f6a-4d8e-9c1b-7a4e0f3d2c91")
DEFAULT_SCOPE = "https://purl.imsglobal.org/spec/or/v1p2/scope/gradebook.createput"
_KNOWN = {
    "base_url",
    "token_url",
    "client_id",
    "scope",
    "student_id_kind",
    "class_source",
    "class_sourced_id",
    "category_sourced_id",
}


def line_item_id(class_id: str, competency_id: str) -> str:
    """The sourcedId of the line item of one competency in one class."""
    return uuid5(_NS, f"lineItem|{class_id}|{competency_id}")


def result_id(class_id: str, competency_id: str, student_id: str) -> str:
    """The sourcedId of one student's result on one competency's line item."""
    return uuid5(_NS, f"result|{class_id}|{competency_id}|{student_id}")


def _ref(sourced_id: str, kind: str) -> dict[str, str]:
    return {"sourcedId": sourced_id, "type": kind}


def line_item_body(
    event: DeliveryEvent, class_id: str, settings: Mapping[str, Any]
) -> dict[str, Any]:
    """``{"lineItem": ...}`` for the event's competency in ``class_id``."""
    competency = event.competency
    assert competency is not None  # noqa: S101 - checked by the caller
    code = competency.human_coding_scheme
    title = f"{code} {competency.full_statement}" if code else competency.full_statement
    day = event.created_at.date().isoformat()
    item: dict[str, Any] = {
        "sourcedId": line_item_id(class_id, competency.id),
        "status": "active",
        "dateLastModified": event.created_at.isoformat(),
        "title": title[:120],
        "description": competency.full_statement,
        "assignDate": day,
        "dueDate": day,
        "class": _ref(class_id, "class"),
        "resultValueMin": 0,
        "resultValueMax": event.payload.get("scale_top_points"),
        "learningObjectiveSet": [
            {"source": "case", "learningObjectiveIds": [competency.id]}
        ],
    }
    if settings.get("category_sourced_id"):
        item["category"] = _ref(str(settings["category_sourced_id"]), "category")
    return {"lineItem": item}


def result_body(event: DeliveryEvent, class_id: str, student_id: str) -> dict[str, Any]:
    """``{"result": ...}``: score = level points, textScore = level label."""
    competency = event.competency
    assert competency is not None  # noqa: S101 - checked by the caller
    payload = event.payload
    score, label = payload.get("points"), payload.get("label")
    return {
        "result": {
            "sourcedId": result_id(class_id, competency.id, student_id),
            "status": "active",
            "dateLastModified": event.created_at.isoformat(),
            "lineItem": _ref(line_item_id(class_id, competency.id), "lineItem"),
            "student": _ref(student_id, "user"),
            "class": _ref(class_id, "class"),
            "scoreStatus": "fully graded",
            "score": score,
            "textScore": label,
            "scoreDate": event.created_at.date().isoformat(),
            "comment": f"{label} ({payload.get('status')})",
            "learningObjectiveSet": [
                {
                    "source": "case",
                    "learningObjectiveResults": [
                        {
                            "learningObjectiveId": competency.id,
                            "score": score,
                            "textScore": label,
                        }
                    ],
                }
            ],
        }
    }


class OneRosterTarget:
    """Results to a OneRoster 1.2 gradebook service."""

    kind: ClassVar[str] = "oneroster"
    needs_secret: ClassVar[bool] = True

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> dict[str, Any]:
        """base_url, token_url, client_id; optional scope, class and student choices."""
        refuse_unknown(settings, _KNOWN)
        checked: dict[str, Any] = {
            "base_url": setting_str(settings, "base_url", url=True),
            "token_url": setting_str(settings, "token_url", url=True),
            "client_id": setting_str(settings, "client_id"),
            "scope": setting_str(settings, "scope", default=DEFAULT_SCOPE),
            "student_id_kind": setting_str(settings, "student_id_kind", default="sis"),
            "class_source": setting_str(settings, "class_source", default="oneroster"),
        }
        for key in ("class_sourced_id", "category_sourced_id"):
            if key in settings:
                checked[key] = setting_str(settings, key)
        if not checked["scope"]:
            raise InvalidPayload("settings.scope must not be empty.")
        return checked

    def __init__(
        self, settings: Mapping[str, Any], secret: str | None, env: TargetEnv
    ) -> None:
        self._settings = dict(settings)
        self._base = str(settings["base_url"])
        self._oauth = ClientCredentials(
            env,
            str(settings["token_url"]),
            str(settings["client_id"]),
            secret or "",
            str(settings.get("scope") or DEFAULT_SCOPE),
        )
        self._line_items = OnceEach()

    def _classes(self, event: DeliveryEvent) -> list[str]:
        fixed = self._settings.get("class_sourced_id")
        if fixed:
            return [str(fixed)]
        source = self._settings.get("class_source", "oneroster")
        return sorted({c.key for c in event.contexts if c.source == source})

    def deliver(self, event: DeliveryEvent) -> Outcome:
        """PUT the line item (once) and the result in each of the learner's classes."""
        if event.topic != "mastery.changed" or event.competency is None:
            return Outcome.delivered("nothing for a gradebook in this event")
        kind = str(self._settings.get("student_id_kind", "sis"))
        student = event.identifier(kind)
        if student is None:
            return Outcome.failed(
                f"the learner has no {kind!r} identifier, which OneRoster needs as the "
                "student's sourcedId; link one, then retry"
            )
        classes = self._classes(event)
        if not classes:
            return Outcome.failed(
                "the learner is in no class this destination knows (set class_sourced_id, "
                "or put the learner in a class of the configured class_source); then retry"
            )
        last = Outcome.delivered()
        for class_id in classes:
            last = self._deliver_in(event, class_id, student)
            if last.result != "delivered":
                return last
        return last

    def _deliver_in(self, event: DeliveryEvent, class_id: str, student: str) -> Outcome:
        competency = event.competency
        assert competency is not None  # noqa: S101
        rid = result_id(class_id, competency.id, student)
        if event.payload.get("level") is None:
            what = f"DELETE results/{rid}"
            answer = self._oauth.call("DELETE", f"{self._base}/results/{rid}", what)
            if not isinstance(answer, Outcome) and answer.status_code == 404:
                return Outcome.delivered(f"{what}: 404 (none stored)", 404)
            return settle(answer, what)
        lid = line_item_id(class_id, competency.id)
        what = f"PUT lineItems/{lid}"
        outcome = self._line_items.ensure(
            lid,
            lambda: settle(
                self._oauth.call(
                    "PUT",
                    f"{self._base}/lineItems/{lid}",
                    what,
                    json=line_item_body(event, class_id, self._settings),
                ),
                what,
            ),
        )
        if outcome.result != "delivered":
            return outcome
        what = f"PUT results/{rid}"
        answer = self._oauth.call(
            "PUT",
            f"{self._base}/results/{rid}",
            what,
            json=result_body(event, class_id, student),
        )
        return settle(answer, what)
