"""The standard Caliper adapter: one event (1.0, 1.1 or 1.2) to observations.

Entities arrive inline or as IRI strings ("thinned", Caliper 1.2 §4); this adapter sees one event
only, so what a thinned reference would have said is treated as absent. Which events count is
``filter.event_types`` (GradeEvent, OutcomeEvent and AssessmentEvent by default). Decisions:

- **GradeEvent** (Caliper 1.1/1.2 Grading Profile, action ``Graded``): the learner is
  ``object.assignee`` (the Attempt's), never ``actor``, who is the grader. The activity is
  ``object.assignable``. The score is ``generated.scoreGiven`` over ``generated.maxScore``, else
  over the assignable's ``maxScore``, else on the vendor's scale (see ``scoring.py``). A
  GradeEvent whose Attempt is only an IRI (learner unknown) is rejected with that reason; one
  whose Score is missing or only an IRI yields ``[]``, as there is nothing to observe.
- **OutcomeEvent** (Caliper 1.0 Outcome Profile): the learner is the Attempt's ``actor`` (1.0's
  name for ``assignee``); the score is ``generated.totalScore`` (else ``normalScore``) over the
  assignable's ``maxScore``.
- **AssessmentEvent** ``Submitted`` and **AssessmentItemEvent** ``Completed`` (the latter only
  when listed in ``filter.event_types``): the actor submitted the object; these carry no score
  (Caliper 1.2 Assessment Profile; the Response has no score), so they give a completion
  observation with ``score=None``, which makes no evidence but shows the work was handed in.
  Other actions (Started, Paused, Skipped, ...) are activity (below).
- **Activity**: every other event (Navigation, View, ToolUse, Session, other Assessment actions,
  event types left out of ``filter.event_types``, a GradeEvent without a Score, ...) whose actor
  (for a GradeEvent or OutcomeEvent: the Attempt's assignee) is an inline Person gives one
  observation with ``score=None`` whose activity is the event's ``object`` id. It makes no
  evidence and never waits for an alignment; it is the learner's activity timeline. A thinned
  actor is not known to be a Person, so it gives ``[]`` unless the endpoint inlined its describe.
  A ViewEvent of a Result repeats a GradeEvent's score, which is not read again.
- **Learner refs**: the Person IRI as ``caliper``; a 1.2 ``otherIdentifiers`` entry of type
  ``EmailAddress`` as ``email``; plus the vendor's identity rule (``actor_id`` with a pattern, or
  ``other_identifier`` of a given ``identifierType`` such as ``SisSourcedId``).
- **Hints**: ids of ``learningObjectives`` (1.0: ``alignedLearningObjective``) on the assignable
  and on the Assessment it is part of, ``otherIdentifiers`` of type ``CaseItemUri`` on them, and
  values under ``hints.extension_keys`` in the event's, object's, assignable's and generated
  entity's ``extensions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.inbound.scoring import (
    as_number,
    extension_hints,
    finish_refs,
    identity_ref,
    normalize_score,
    parse_timestamp,
    unique,
)
from adapters.inbound.settings import VendorSettings, apply_rewrites
from gateway.intake.model import AdapterRejected, LearnerRef, Observation

# (event type, action) pairs that say "the actor handed this in" (completion, no score).
SUBMISSIONS = {("AssessmentEvent", "Submitted"), ("AssessmentItemEvent", "Completed")}


def _short(value: Any) -> str | None:
    """A type or action name without its 1.0 IRI prefix (``…/action#Graded`` → ``Graded``)."""
    if not isinstance(value, str) or not value:
        return None
    return value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def entity_id(value: Any) -> str | None:
    """The id of an inline entity or of a thinned IRI reference (1.0: ``@id``)."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, Mapping):
        found = value.get("id", value.get("@id"))
        return found if isinstance(found, str) and found else None
    return None


def entity_type(value: Any) -> str | None:
    """The short type of an inline entity (1.0: ``@type`` IRI); ``None`` for a reference."""
    if isinstance(value, Mapping):
        return _short(value.get("type", value.get("@type")))
    return None


def _inline(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


# Keys whose string value is the entity's own name or a term, never a reference.
_NOT_REFERENCES = frozenset(
    {"id", "@id", "@context", "type", "@type", "action", "profile", "identifier"}
)


def envelope_entities(data: Any) -> dict[str, Mapping[str, Any]]:
    """The entity "describes" of an envelope's ``data`` (items without an action), by id."""
    found: dict[str, Mapping[str, Any]] = {}
    for item in data if isinstance(data, list) else []:
        if isinstance(item, Mapping) and "action" not in item:
            item_id = entity_id(item)
            if item_id is not None:
                found[item_id] = item
    return found


def inline_entities(
    event: Mapping[str, Any],
    entities: Mapping[str, Mapping[str, Any]],
    *,
    depth: int = 3,
) -> dict[str, Any]:
    """A copy of ``event`` whose thinned references are replaced by known entities.

    Caliper 1.2 §4: an entity may be sent as an IRI when it was described earlier or elsewhere in
    the envelope. Pass the envelope's describes (:func:`envelope_entities`), plus any kept from
    earlier envelopes; ``depth`` bounds how many references deep the copy goes.
    """

    def walk(value: Any, key: str | None, level: int) -> Any:
        if isinstance(value, str):
            if level > 0 and key not in _NOT_REFERENCES and value in entities:
                return walk(entities[value], None, level - 1)
            return value
        if isinstance(value, Mapping):
            return {k: walk(v, k, level) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key, level) for v in value]
        return value

    inlined: dict[str, Any] = walk(event, None, depth)
    return inlined


class CaliperAdapter:
    """Reads observations out of one Caliper event."""

    can_void = False  # the protocol has no way to retract an earlier payload

    def observe(
        self, payload: Mapping[str, Any], settings: VendorSettings
    ) -> list[Observation]:
        """The observations in one event; ``[]`` for events that carry no evidence."""
        event_type = entity_type(payload)
        action = _short(payload.get("action"))
        if event_type is None or action is None:
            return []  # an entity "describe", not an event
        if event_type in settings.filter.event_types:
            if event_type in ("GradeEvent", "OutcomeEvent") and action == "Graded":
                graded = self._graded(payload, event_type, settings)
                if graded:
                    return graded
            elif (event_type, action) in SUBMISSIONS:
                return self._submitted(payload, event_type, settings)
        return self._activity(payload, event_type, settings)

    def voids(self, payload: Mapping[str, Any]) -> str | None:
        """Caliper has no retraction event."""
        return None

    # -- the two shapes ------------------------------------------------------------------------

    def _graded(
        self, event: Mapping[str, Any], event_type: str, settings: VendorSettings
    ) -> list[Observation]:
        attempt = event.get("object")
        if not isinstance(attempt, Mapping):
            raise AdapterRejected(
                f"The {event_type}'s Attempt is only referenced by its id "
                f"{entity_id(attempt)!r}, so the learner (its assignee) is unknown."
            )
        # Caliper 1.2 GradeEvent: learner = object.assignee; Caliper 1.0 Attempt: actor.
        learner = attempt.get("assignee", attempt.get("actor"))
        if entity_id(learner) is None:
            raise AdapterRejected(
                f"The {event_type}'s Attempt names no assignee (the learner)."
            )
        assignable = attempt.get("assignable")
        activity = entity_id(assignable)
        if activity is None:
            raise AdapterRejected(
                f"The {event_type}'s Attempt names no assignable (the assessment graded)."
            )
        generated = event.get("generated")
        if not isinstance(generated, Mapping):
            return []
        if event_type == "GradeEvent":
            raw = as_number(generated.get("scoreGiven"), "scoreGiven")
            max_score = as_number(generated.get("maxScore"), "maxScore")
        else:  # Caliper 1.0 Result
            raw = as_number(generated.get("totalScore"), "totalScore")
            if raw is None:
                raw = as_number(generated.get("normalScore"), "normalScore")
            max_score = None
        if max_score is None:
            max_score = as_number(_inline(assignable).get("maxScore"), "maxScore")
        level = self._level_label(generated, settings)
        if raw is None and level is None:
            return []
        if max_score is not None and max_score <= 0:
            raise AdapterRejected(f"The maxScore {max_score:g} must be greater than 0.")
        normalized = normalize_score(
            settings.score, raw=raw, max_score=max_score, level_label=level
        )
        extensions = (event, attempt, assignable, generated)
        return [
            self._observation(
                event,
                event_type,
                settings,
                learner=learner,
                activity=activity,
                assignable=assignable,
                score=normalized.score,
                raw=normalized.raw,
                min_score=settings.score.points_min if max_score is not None else None,
                max_score=normalized.max,
                level=normalized.level_label,
                completion=None,
                extensions=extensions,
            )
        ]

    def _submitted(
        self, event: Mapping[str, Any], event_type: str, settings: VendorSettings
    ) -> list[Observation]:
        actor = event.get("actor")
        kind = entity_type(actor)
        if kind is not None and kind != "Person":
            return []  # only a Person submits work for themselves
        activity = entity_id(event.get("object"))
        if entity_id(actor) is None or activity is None:
            raise AdapterRejected(f"The {event_type} names no actor or no object.")
        return [
            self._observation(
                event,
                event_type,
                settings,
                learner=actor,
                activity=activity,
                assignable=event.get("object"),
                extensions=(event, event.get("object"), event.get("generated")),
                completion=True,
            )
        ]

    def _activity(
        self, event: Mapping[str, Any], event_type: str, settings: VendorSettings
    ) -> list[Observation]:
        """An unscored observation for the learner's activity timeline (see the docstring)."""
        learner = event.get("actor")
        if event_type in ("GradeEvent", "OutcomeEvent"):
            attempt = _inline(event.get("object"))
            learner = attempt.get("assignee", attempt.get("actor"))
        activity = entity_id(event.get("object"))
        if entity_type(learner) != "Person" or activity is None:
            return []
        return [
            self._observation(
                event,
                event_type,
                settings,
                learner=learner,
                activity=activity,
                assignable=event.get("object"),
                extensions=(event, event.get("object"), event.get("generated")),
            )
        ]

    # -- shared parts --------------------------------------------------------------------------

    def _observation(
        self,
        event: Mapping[str, Any],
        event_type: str,
        settings: VendorSettings,
        *,
        learner: Any,
        activity: str,
        assignable: Any,
        extensions: tuple[Any, ...],
        score: float | None = None,
        raw: float | None = None,
        min_score: float | None = None,
        max_score: float | None = None,
        level: str | None = None,
        completion: bool | None = None,
    ) -> Observation:
        activity_id = apply_rewrites(settings.activity_rewrite, activity)
        hints = self._objective_hints(assignable)
        hints += self._objective_hints(_inline(assignable).get("isPartOf"))
        hints += extension_hints(
            settings, *(_inline(e).get("extensions") for e in extensions)
        )
        iri = entity_id(learner)
        if iri is None:
            raise AdapterRejected(f"The {event_type} names no learner.")
        name = _inline(learner).get("name")
        return Observation(
            learner=self._learner_refs(learner, iri, settings),
            activity_id=activity_id,
            observed_at=parse_timestamp(event.get("eventTime"), "eventTime"),
            score=score,
            raw_score=raw,
            min_score=min_score,
            max_score=max_score,
            completion=completion,
            level_label=level,
            kind=settings.evidence.kind_for(activity_id, event_type),
            dok=settings.evidence.dok,
            weight=settings.evidence.weight,
            hints=unique(hints),
            learner_name=name if isinstance(name, str) and name else None,
        )

    @staticmethod
    def _learner_refs(
        learner: Any, iri: str, settings: VendorSettings
    ) -> tuple[LearnerRef, ...]:
        refs = [LearnerRef("caliper", iri)]
        rule = settings.learner.identity
        extra: str | None = (
            iri if rule is not None and rule.source == "actor_id" else None
        )
        # Caliper 1.2 SystemIdentifier (Person.otherIdentifiers).
        others = _inline(learner).get("otherIdentifiers")
        for other in others if isinstance(others, list) else []:
            other = _inline(other)
            kind, value = other.get("identifierType"), other.get("identifier")
            if not isinstance(value, str) or not value:
                continue
            if kind == "EmailAddress":
                refs.append(LearnerRef("email", value.strip().lower()))
            if rule is not None and rule.source == "other_identifier":
                if kind == rule.identifier_type:
                    extra = value
        ref = identity_ref(settings, extra)
        if ref is not None:
            refs.append(ref)
        return finish_refs(settings, refs)

    @staticmethod
    def _objective_hints(resource: Any) -> list[str]:
        """LearningObjective ids and CaseItemUri identifiers of an assignable (Caliper §6)."""
        entity = _inline(resource)
        hints: list[str] = []
        for key in ("learningObjectives", "alignedLearningObjective"):
            objectives = entity.get(key)
            for objective in objectives if isinstance(objectives, list) else []:
                found = entity_id(objective)
                if found:
                    hints.append(found)
        others = entity.get("otherIdentifiers")
        for other in others if isinstance(others, list) else []:
            other = _inline(other)
            value = other.get("identifier")
            if other.get("identifierType") == "CaseItemUri" and isinstance(value, str):
                hints.append(value)
        return hints

    @staticmethod
    def _level_label(
        generated: Mapping[str, Any], settings: VendorSettings
    ) -> str | None:
        key = settings.score.level_extension
        if key is None:
            return None
        value = _inline(generated.get("extensions")).get(key)
        return value.strip() if isinstance(value, str) and value.strip() else None
