"""The standard xAPI adapter: one statement to at most one observation per learner.

Decisions (each one tested in ``tests/unit/test_xapi_adapter.py``):

- **Learner.** An Agent's inverse functional identifier (xAPI 1.0.3 Data 2.4.2.1) gives the
  refs: ``mbox`` → ``email`` and ``mbox_sha1sum``; ``mbox_sha1sum``; ``openid``; ``account`` →
  ``xapi_account`` ``"<homePage>|<name>"``; plus the vendor's identity rule. A **Group** actor is
  skipped by default (a team's score is not one learner's evidence); with
  ``learner.group = "members"`` each listed member gets its own observation. A Group's own IFI
  names the team, never a learner, and is not used.
- **Activity.** Only a statement whose object is an Activity makes an observation; an object that
  is an Agent, Group, StatementRef or SubStatement yields ``[]`` (Data 2.4.4).
- **What counts.** Verbs in ``filter.ignore_verbs`` (lifecycle verbs by default: cmi5 §9.3
  launched, initialized, terminated, abandoned, waived, satisfied; voided) and activities of a
  type in ``filter.ignore_activity_types`` (video by default) yield ``[]``; so does a statement
  without a score, success or completion, since there is nothing to observe.
- **Score.** See :mod:`adapters.inbound.scoring`. ``passed``/``mastered`` imply success and
  ``failed`` failure when ``result.success`` is absent; ``completed`` implies completion.
- **cmi5** (cmi5 §9.5, statements in the ``…/categories/cmi5`` category): ``completed`` must not
  carry a score, and ``passed``/``failed`` must agree with ``result.success``; breaking either
  rule rejects the statement. Without ``result.success``, the ``masteryscore`` context extension
  decides success from the scaled score (cmi5 §9.6.2).
- **Hints.** Ids of ``context.contextActivities`` (parent, grouping, category, other) that look
  like CASE item URIs, and values under the vendor's ``hints.extension_keys`` in the context,
  result and object-definition extensions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.inbound.scoring import (
    as_number,
    email_refs,
    extension_hints,
    finish_refs,
    identity_ref,
    normalize_score,
    parse_timestamp,
    unique,
)
from adapters.inbound.settings import ADL, VendorSettings, apply_rewrites
from gateway.intake.model import AdapterRejected, LearnerRef, Observation

VOIDED = ADL + "voided"
PASSED = ADL + "passed"
FAILED = ADL + "failed"
COMPLETED = ADL + "completed"
MASTERED = ADL + "mastered"

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
CMI5_MASTERY_SCORE = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"

CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def agent_refs(agent: Mapping[str, Any], settings: VendorSettings) -> list[LearnerRef]:
    """The learner refs of one Agent's identifier (xAPI 1.0.3 Data 2.4.2.3)."""
    refs: list[LearnerRef] = []
    extra: str | None = None
    rule = settings.learner.identity
    mbox = agent.get("mbox")
    if isinstance(mbox, str) and mbox:
        refs.extend(email_refs(mbox))
        if rule is not None and rule.source == "email":
            extra = refs[0].value
    sha1 = agent.get("mbox_sha1sum")
    if isinstance(sha1, str) and sha1:
        refs.append(LearnerRef("mbox_sha1sum", sha1.strip().lower()))
    openid = agent.get("openid")
    if isinstance(openid, str) and openid:
        refs.append(LearnerRef("openid", openid))
        if rule is not None and rule.source == "openid":
            extra = openid
    account = _mapping(agent.get("account"))
    home, name = account.get("homePage"), account.get("name")
    if isinstance(home, str) and isinstance(name, str) and home and name:
        refs.append(LearnerRef("xapi_account", f"{home}|{name}"))
        if (
            rule is not None
            and rule.source == "account_name"
            and (
                rule.home_page is None or rule.home_page.rstrip("/") == home.rstrip("/")
            )
        ):
            extra = name
    ref = identity_ref(settings, extra)
    if ref is not None:
        refs.append(ref)
    return refs


def _learners(
    actor: Mapping[str, Any], settings: VendorSettings
) -> list[tuple[tuple[LearnerRef, ...], str | None]]:
    """(refs, name) of each learner the actor stands for."""
    if actor.get("objectType") == "Group":
        if settings.learner.group != "members":
            return []
        members = actor.get("member")
        agents = (
            [m for m in members if isinstance(m, Mapping)]
            if isinstance(members, list)
            else []
        )
    else:
        agents = [actor]
    out = []
    for agent in agents:
        refs = finish_refs(settings, agent_refs(agent, settings))
        if not refs and agent is actor:
            raise AdapterRejected(
                "The statement's actor has no identifier: mbox, mbox_sha1sum, openid or "
                "account (xAPI Data 2.4.2.1)."
            )
        if refs:
            name = agent.get("name")
            out.append((refs, name if isinstance(name, str) and name else None))
    return out


def _context_activity_ids(context: Mapping[str, Any]) -> list[str]:
    ids: list[str] = []
    activities = _mapping(context.get("contextActivities"))
    for key in CONTEXT_ACTIVITY_KEYS:
        value = activities.get(key)
        # xAPI 1.0.3 Data 2.4.6.2: a single Activity object is allowed and means a list of one.
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                ids.append(item["id"])
    return ids


def _optional_bool(value: Any, name: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise AdapterRejected(f"The statement's {name} {value!r} is not true or false.")


class XapiAdapter:
    """Reads observations out of one xAPI statement (1.0.3 or 2.0)."""

    def observe(
        self, payload: Mapping[str, Any], settings: VendorSettings
    ) -> list[Observation]:
        """The observations in one statement; ``[]`` when it reports no result."""
        verb = payload.get("verb")
        if not isinstance(verb, Mapping) or not isinstance(verb.get("id"), str):
            raise AdapterRejected(
                "The statement has no verb with an id (xAPI Data 2.4.3)."
            )
        verb_id: str = verb["id"]
        obj = payload.get("object")
        actor = payload.get("actor")
        if not isinstance(obj, Mapping) or not isinstance(actor, Mapping):
            raise AdapterRejected(
                "The statement needs an actor and an object (xAPI Data 2.4)."
            )
        # Data 2.4.4.1: objectType defaults to Activity; only Activities are evidence.
        if obj.get("objectType", "Activity") != "Activity" or not isinstance(
            obj.get("id"), str
        ):
            return []
        if not settings.filter.counts_verb(verb_id):
            return []
        definition = _mapping(obj.get("definition"))
        activity_type = definition.get("type")
        if (
            isinstance(activity_type, str)
            and activity_type in settings.filter.ignore_activity_types
        ):
            return []

        result = _mapping(payload.get("result"))
        context = _mapping(payload.get("context"))
        if not isinstance(result.get("score", {}), Mapping):
            raise AdapterRejected(
                "The statement's result.score is not an object (xAPI Data 2.4.5.1)."
            )
        score = _mapping(result.get("score"))
        success = _optional_bool(result.get("success"), "result.success")
        completion = _optional_bool(result.get("completion"), "result.completion")
        is_cmi5 = CMI5_CATEGORY in _context_activity_ids(context)

        if is_cmi5:
            self._check_cmi5(verb_id, score, success)
        if success is None and verb_id in (PASSED, MASTERED):
            success = True
        elif success is None and verb_id == FAILED:
            success = False
        if completion is None and verb_id == COMPLETED:
            completion = True

        scaled = as_number(score.get("scaled"), "scaled score")
        level_label = self._level_label(result, settings)
        if not score and success is None and completion is None and level_label is None:
            return []
        if success is None and scaled is not None:
            mastery = as_number(
                _mapping(context.get("extensions")).get(CMI5_MASTERY_SCORE),
                "masteryScore",
            )
            if mastery is not None:
                # cmi5 §9.6.2: passed means scaled ≥ masteryScore.
                success = scaled >= mastery
        normalized = normalize_score(
            settings.score,
            scaled=scaled,
            raw=as_number(score.get("raw"), "raw score"),
            min_score=as_number(score.get("min"), "score min"),
            max_score=as_number(score.get("max"), "score max"),
            level_label=level_label,
            success=success,
        )

        activity_id = apply_rewrites(settings.activity_rewrite, obj["id"])
        hints = [
            i for i in _context_activity_ids(context) if settings.hints.is_case_uri(i)
        ]
        hints += extension_hints(
            settings,
            context.get("extensions"),
            result.get("extensions"),
            definition.get("extensions"),
        )
        observed_at = parse_timestamp(payload.get("timestamp"))
        evidence = settings.evidence
        return [
            Observation(
                learner=refs,
                activity_id=activity_id,
                observed_at=observed_at,
                score=normalized.score,
                raw_score=normalized.raw,
                min_score=normalized.min,
                max_score=normalized.max,
                success=success,
                completion=completion,
                level_label=normalized.level_label,
                kind=evidence.kind_for(activity_id, verb_id),
                dok=evidence.dok,
                weight=evidence.weight,
                hints=unique(hints),
                learner_name=name,
            )
            for refs, name in _learners(actor, settings)
        ]

    @staticmethod
    def _check_cmi5(
        verb_id: str, score: Mapping[str, Any], success: bool | None
    ) -> None:
        """cmi5 §9.5.4: only passed/failed carry a score, and they agree with success."""
        if verb_id == COMPLETED and score:
            raise AdapterRejected(
                "A cmi5 'completed' statement must not carry a score (cmi5 9.5.4)."
            )
        if verb_id == PASSED and success is False:
            raise AdapterRejected(
                "A cmi5 'passed' statement must have result.success true."
            )
        if verb_id == FAILED and success is True:
            raise AdapterRejected(
                "A cmi5 'failed' statement must have result.success false."
            )

    @staticmethod
    def _level_label(result: Mapping[str, Any], settings: VendorSettings) -> str | None:
        key = settings.score.level_extension
        if key is None:
            return None
        value = _mapping(result.get("extensions")).get(key)
        return value.strip() if isinstance(value, str) and value.strip() else None

    def voids(self, payload: Mapping[str, Any]) -> str | None:
        """The id a voiding statement retracts (xAPI 1.0.3 Data 2.3.2), else ``None``."""
        verb = _mapping(payload.get("verb"))
        obj = _mapping(payload.get("object"))
        if verb.get("id") == VOIDED and obj.get("objectType") == "StatementRef":
            target = obj.get("id")
            return target if isinstance(target, str) and target else None
        return None
