"""LTI Assignment and Grade Services: mastery in the LMS gradebook of every course it concerns.

For a ``mastery.changed`` event, in each LTI course (context) the learner belongs to whose
launches offered AGS, the target finds or creates the competency's line item once (label =
human coding scheme and statement, ``scoreMaximum`` = the scale's top points, ``resourceId`` =
the CASE identifier, ``tag`` = the destination's tag) and posts the score: the level's points,
the level's label as the comment, ``FullyGraded``. The learner is addressed by the ``sub`` the
platform gave them (their ``lti`` identifier of that issuer). A course the learner was never
seen in through LTI, or whose launches offered no line items URL, is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy import select

from adapters.outbound import (
    DeliveryEvent,
    Outcome,
    TargetEnv,
    refuse_unknown,
    setting_str,
)
from gateway.errors import NotFound, TesseraError, UpstreamUnavailable
from gateway.keys import current_key
from gateway.lti.platforms import get_registration
from gateway.lti.services import (
    LineItem,
    LtiServices,
    PlatformClient,
    Score,
    find_or_create_line_item,
    post_score,
)
from gateway.store.tables import lti_context_services

DEFAULT_TAG = "tessera-mastery"


class AgsTarget:
    """Scores in LTI gradebooks through AGS 2.0, one line item per competency and course."""

    kind: ClassVar[str] = "lti_ags"
    needs_secret: ClassVar[bool] = False

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> dict[str, Any]:
        """``tag`` (optional): the line items' tag, default ``tessera-mastery``."""
        refuse_unknown(settings, {"tag"})
        return {"tag": setting_str(settings, "tag", default=DEFAULT_TAG)}

    def __init__(
        self, settings: Mapping[str, Any], secret: str | None, env: TargetEnv
    ) -> None:
        self._tag = str(settings.get("tag", DEFAULT_TAG))
        self._env = env
        allow_private = env.settings.allow_private_urls if env.settings else False
        self._services = LtiServices(allow_private=allow_private)  # tokens cached here

    def deliver(self, event: DeliveryEvent) -> Outcome:
        """Post the level to each course's gradebook; a platform's failure is retried."""
        store = self._env.store
        level = event.payload.get("level")
        if (
            event.topic != "mastery.changed"
            or store is None
            or event.competency is None
        ):
            return Outcome.delivered("not a change of mastery: nothing to send")
        if level is None or event.payload.get("points") is None:
            return Outcome.delivered("no level any more: the gradebook keeps its score")
        courses = [c for c in event.contexts if c.source == "lti"]
        if not courses:
            return Outcome.delivered("the learner is in no LTI course")
        with store.read() as conn:
            services = {
                r.context_id: r
                for r in conn.execute(
                    select(lti_context_services).where(
                        lti_context_services.c.context_id.in_([c.id for c in courses])
                    )
                )
            }
            key = current_key(conn, "lti")
        if key is None:
            return Outcome.failed("there is no LTI signing key; run `tessera init`")
        top = float(event.payload.get("scale_top_points") or 0) or 4.0
        competency = event.competency
        label = " ".join(
            p for p in (competency.human_coding_scheme, competency.full_statement) if p
        )[:250]
        item = LineItem(label or competency.id, top, competency.id, self._tag)
        sent: list[str] = []
        for course in courses:
            found = services.get(course.id)
            if found is None or not found.lineitems_url:
                continue
            try:
                registration = get_registration(store, found.registration_id)
            except NotFound:
                continue  # the platform was removed: nothing to send there
            prefix = f"{registration.issuer}|"
            subs = [
                v[len(prefix) :]
                for v in event.learner_identifiers.get("lti", ())
                if v.startswith(prefix)
            ]
            if not subs:
                continue
            client = PlatformClient(self._services, registration, key)
            try:
                url = find_or_create_line_item(
                    client, store, course.id, found.lineitems_url, item
                )
                post_score(
                    client,
                    url,
                    Score(
                        subs[0],
                        float(event.payload["points"]),
                        top,
                        event.created_at,
                        comment=str(event.payload.get("label") or level),
                    ),
                )
            except UpstreamUnavailable as exc:
                return Outcome.retry(f"{course.title or course.key}: {exc.detail}")
            except TesseraError as exc:  # an unsafe URL, a refused request
                return Outcome.failed(f"{course.title or course.key}: {exc.detail}")
            finally:
                client.close()
            sent.append(course.title or course.key)
        if not sent:
            return Outcome.delivered("no LTI course of the learner offers a gradebook")
        return Outcome.delivered(f"scored in {len(sent)} course(s): {', '.join(sent)}")
