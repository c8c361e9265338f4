from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.inbound.caliper import CaliperAdapter
from adapters.inbound.settings import VendorSettings, parse_vendor_settings
from gateway.intake.model import AdapterRejected, LearnerRef, Observation
from tests.unit.shared_fixtures import CALIPER_V1P2, load_json

ADAPTER = CaliperAdapter()
STANDARD = parse_vendor_settings({}, vendor_name="std")
LEARNER = (LearnerRef("caliper", "https://example.edu/users/554433"),)
ASSESS = "https://example.edu/terms/201601/courses/7/sections/1/assess/1"
CF_ITEM = "https://case.example.org/ims/case/v1p0/CFItems/6b9bf846-d7cc-11e8-824f-0242ac160002"


def observe(
    event: dict[str, Any], settings: VendorSettings = STANDARD
) -> list[Observation]:
    return ADAPTER.observe(event, settings)


def event_file(name: str) -> dict[str, Any]:
    data: dict[str, Any] = load_json(CALIPER_V1P2 / name)
    return data


GRADED = Observation(
    learner=LEARNER,
    activity_id=ASSESS,
    observed_at=datetime(2016, 11, 15, 10, 57, 6, tzinfo=UTC),
    score=pytest.approx(10 / 15),  # type: ignore[arg-type]
    raw_score=10.0,
    min_score=0.0,
    max_score=15.0,
)
OBSERVED = {
    "caliperEventGradeGraded.json": GRADED,
    "caliperEventGradeGradedItem.json": Observation(
        learner=LEARNER,
        activity_id=ASSESS + "/items/3",
        observed_at=datetime(2016, 11, 15, 10, 57, 6, tzinfo=UTC),
        score=1.0,
        raw_score=5.0,
        min_score=0.0,
        max_score=5.0,
    ),
    "caliperEventAssessmentSubmitted.json": Observation(
        learner=LEARNER,
        activity_id=ASSESS,
        observed_at=datetime(2016, 11, 15, 10, 25, 30, tzinfo=UTC),
        score=None,
        completion=True,
    ),
}
ACTIVITY_FIXTURES = 46  # of the 49 unscored fixture events, those a Person did
EVENT_FILES = sorted(p.name for p in CALIPER_V1P2.glob("caliperEvent*.json"))


def test_the_fixture_set_is_the_one_classified_here() -> None:
    assert len(EVENT_FILES) == 52
    assert set(OBSERVED) < set(EVENT_FILES)


@pytest.mark.parametrize("name", sorted(OBSERVED))
def test_score_bearing_fixtures_give_exact_observations(name: str) -> None:
    assert observe(event_file(name)) == [OBSERVED[name]]


def _person(entity: Any) -> str | None:
    """The id of an inline Person, else None."""
    if isinstance(entity, dict) and entity.get("type") == "Person":
        return str(entity["id"])
    return None


@pytest.mark.parametrize("name", [n for n in EVENT_FILES if n not in OBSERVED])
def test_every_other_fixture_event_is_unscored_activity_of_its_person(
    name: str,
) -> None:
    event = event_file(name)
    found = observe(event)
    learner = _person(event["actor"])
    if event["type"] == "GradeEvent":
        learner = _person(event["object"].get("assignee"))
    if learner is None:  # a SoftwareApplication, a group or a thinned actor: nobody's
        assert found == []
        return
    object_id = event["object"] if isinstance(event["object"], str) else None
    (obs,) = found
    assert obs.score is None and obs.raw_score is None and obs.completion is None
    assert LearnerRef("caliper", learner) in obs.learner
    assert obs.activity_id == (object_id or event["object"]["id"])
    assert obs.observed_at is not None


def test_most_fixture_events_are_activity() -> None:
    activity = [n for n in EVENT_FILES if n not in OBSERVED and observe(event_file(n))]
    assert len(activity) == ACTIVITY_FIXTURES


def test_every_event_in_every_envelope_is_read_without_error() -> None:
    found: dict[str, list[Observation]] = {}
    for path in sorted(CALIPER_V1P2.glob("caliperEnvelope*.json")):
        for item in load_json(path)["data"]:
            found.setdefault(path.name, []).extend(observe(item))
    # Outside the mixed batch, every observation is activity: unscored, not a completion.
    assert {name for name, obs in found.items() if obs} >= {
        "caliperEnvelopeMixedBatch.json"
    }
    assert all(
        o.score is None and o.completion is None
        for name, obs in found.items()
        if name != "caliperEnvelopeMixedBatch.json"
        for o in obs
    )
    submitted, graded = found["caliperEnvelopeMixedBatch.json"]
    thinned_assess = ASSESS + "?ver=v1p0"
    # Thinned references: the learner IRI string is enough; the assessment's describe is not
    # consulted, so only the Score's own maxScore scales it.
    assert graded.learner == LEARNER
    assert graded.activity_id == thinned_assess
    assert (graded.score, graded.raw_score, graded.max_score) == (
        pytest.approx(2 / 3),
        10.0,
        15.0,
    )
    assert submitted == Observation(
        learner=LEARNER,
        activity_id=thinned_assess,
        observed_at=datetime(2016, 11, 15, 10, 25, 30, tzinfo=UTC),
        score=None,
        completion=True,
    )


def test_the_grader_is_never_the_learner() -> None:
    (obs,) = observe(event_file("caliperEventGradeGraded.json"))
    assert LearnerRef("caliper", "https://example.edu/autograder") not in obs.learner


def test_max_score_falls_back_to_the_assignable_then_the_vendor_scale() -> None:
    event = event_file("caliperEventGradeGraded.json")
    del event["generated"]["maxScore"]
    event["object"]["assignable"]["maxScore"] = 20.0
    assert observe(event)[0].score == 0.5
    del event["object"]["assignable"]["maxScore"]
    (held,) = observe(event)
    assert (held.score, held.raw_score, held.max_score) == (None, 10.0, None)
    points = parse_vendor_settings(
        {"score": {"scale": "points", "points_max": 40}}, vendor_name="v"
    )
    assert observe(event, points)[0].score == 0.25


@pytest.mark.parametrize(
    ("generated", "match"),
    [
        ({"scoreGiven": 16.0, "maxScore": 15.0}, "above its max"),
        ({"scoreGiven": -1.0, "maxScore": 15.0}, "does not fit the range 0..15"),
        ({"scoreGiven": "10.0", "maxScore": 15.0}, "not a number"),
        ({"scoreGiven": 0.0, "maxScore": 0.0}, "greater than 0"),
    ],
)
def test_unusable_scores_are_rejected(generated: dict[str, Any], match: str) -> None:
    event = event_file("caliperEventGradeGraded.json")
    event["generated"].update(generated)
    with pytest.raises(AdapterRejected, match=match):
        observe(event)


def test_a_thinned_attempt_is_rejected_and_a_thinned_score_is_activity() -> None:
    event = event_file("caliperEventGradeGraded.json")
    thinned_score = copy.deepcopy(event)
    thinned_score["generated"] = thinned_score["generated"]["id"]
    (obs,) = observe(thinned_score)  # the assignee's activity, with no score to read
    assert (obs.learner, obs.score, obs.activity_id) == (
        LEARNER,
        None,
        event["object"]["id"],
    )
    event["object"] = event["object"]["id"]
    with pytest.raises(AdapterRejected, match="assignee"):
        observe(event)


def test_learning_objectives_and_case_identifiers_become_hints() -> None:
    event = event_file("caliperEventGradeGradedItem.json")
    objective = event_file("caliperEntityLearningObjective.json")
    assignable = event["object"]["assignable"]
    assignable["learningObjectives"] = [objective, CF_ITEM]
    assignable["isPartOf"]["learningObjectives"] = ["https://example.edu/objectives/2"]
    assignable["otherIdentifiers"] = [
        {
            "type": "SystemIdentifier",
            "identifier": "abc",
            "identifierType": "CaseItemUri",
        },
        {
            "type": "SystemIdentifier",
            "identifier": "x",
            "identifierType": "LisSourcedId",
        },
    ]
    event["extensions"] = {"https://vendor.example/standards": ["6.EE.A.1"]}
    settings = parse_vendor_settings(
        {"hints": {"extension_keys": ["https://vendor.example/standards"]}},
        vendor_name="v",
    )
    assert observe(event, settings)[0].hints == (
        objective["id"],
        CF_ITEM,
        "abc",
        "https://example.edu/objectives/2",
        "6.EE.A.1",
    )


def test_person_other_identifiers_give_email_and_the_sis_rule() -> None:
    event = event_file("caliperEventGradeGraded.json")
    event["object"]["assignee"] = event_file("caliperEntityPerson.json")
    settings = parse_vendor_settings(
        {
            "learner": {
                "identity": {
                    "source": "other_identifier",
                    "identifier_type": "LisSourcedId",
                }
            }
        },
        vendor_name="v",
    )
    assert observe(event, settings)[0].learner == (
        *LEARNER,
        LearnerRef("email", "jane@example.edu"),
        LearnerRef("sis", "example.edu:71ee7e42-f6d2-414a-80db-b69ac2defd4"),
    )


def test_actor_id_rule_cuts_the_vendor_id_out_of_the_iri() -> None:
    settings = parse_vendor_settings(
        {
            "learner": {
                "identity": {
                    "source": "actor_id",
                    "kind": "vendor",
                    "pattern": r"/users/(\d+)$",
                }
            }
        },
        vendor_name="brightpath",
    )
    (obs,) = observe(event_file("caliperEventAssessmentSubmitted.json"), settings)
    assert obs.learner == (*LEARNER, LearnerRef("vendor", "brightpath|554433"))


def test_level_labels_kind_rewrite_and_event_type_filter() -> None:
    key = "https://brightpath.example/level"
    settings = parse_vendor_settings(
        {
            "score": {"level_extension": key, "levels": {"Proficient": 0.75}},
            "activity": {"rewrite": [{"pattern": r"\?.*$", "replacement": ""}]},
            "evidence": {
                "kind": "practice",
                "kind_by_verb": {"AssessmentItemEvent": "quiz"},
            },
            "filter": {"event_types": ["GradeEvent", "AssessmentItemEvent"]},
        },
        vendor_name="v",
    )
    event = event_file("caliperEventGradeGraded.json")
    del event["generated"]["scoreGiven"]
    event["generated"]["extensions"] = {key: "Proficient"}
    event["object"]["assignable"]["id"] += "?ver=2"
    (obs,) = observe(event, settings)
    assert (obs.score, obs.level_label, obs.activity_id, obs.kind) == (
        0.75,
        "Proficient",
        ASSESS,
        "practice",
    )
    (item,) = observe(event_file("caliperEventAssessmentItemCompleted.json"), settings)
    assert (item.completion, item.score, item.kind) == (True, None, "quiz")
    # Left out of the filter, a submission is only activity: no completion is read.
    (activity,) = observe(event_file("caliperEventAssessmentSubmitted.json"), settings)
    assert (activity.score, activity.completion) == (None, None)


def test_caliper_1_0_outcome_event() -> None:
    # Shape of the Caliper 1.0 Outcome Profile (caliper.md §5, §7): @id/@type IRIs,
    # the Attempt's `actor` is the learner, the Result's totalScore the score.
    event = {
        "@context": "http://purl.imsglobal.org/ctx/caliper/v1/Context",
        "@type": "http://purl.imsglobal.org/caliper/v1/OutcomeEvent",
        "actor": {
            "@id": "https://example.edu/autograder",
            "@type": "SoftwareApplication",
        },
        "action": "http://purl.imsglobal.org/vocab/caliper/v1/action#Graded",
        "object": {
            "@id": ASSESS + "/attempts/1",
            "@type": "http://purl.imsglobal.org/caliper/v1/Attempt",
            "actor": "https://example.edu/users/554433",
            "assignable": {"@id": ASSESS, "maxScore": 20.0},
        },
        "generated": {"@type": "Result", "totalScore": 15.0, "normalScore": 15.0},
        "eventTime": "2015-09-15T10:15:00.000Z",
    }
    (obs,) = observe(event)
    assert (obs.learner, obs.activity_id, obs.score) == (LEARNER, ASSESS, 0.75)


def test_caliper_1_1_grade_event_without_profile() -> None:
    event = event_file("caliperEventGradeGraded.json")
    event["@context"] = "http://purl.imsglobal.org/ctx/caliper/v1p1"
    del event["profile"]
    assert observe(event) == [GRADED]


def test_a_bad_event_time_is_rejected_and_nothing_is_voided() -> None:
    event = event_file("caliperEventGradeGraded.json")
    assert ADAPTER.voids(event) is None
    event["eventTime"] = "15/11/2016"
    with pytest.raises(AdapterRejected, match="eventTime"):
        observe(event)


def test_thinned_references_resolve_against_the_envelope_describes() -> None:
    from adapters.inbound.caliper import envelope_entities, inline_entities

    data = load_json(CALIPER_V1P2 / "caliperEnvelopeMixedBatch.json")["data"]
    entities = envelope_entities(data)
    assert set(entities) == {
        "https://example.edu/users/554433",
        ASSESS + "?ver=v1p0",
        "https://example.edu",
        "https://example.edu/terms/201601/courses/7/sections/1",
    }
    graded = inline_entities(data[-1], entities)
    assert (
        data[-1]["object"]["assignee"] == "https://example.edu/users/554433"
    )  # not mutated
    assert graded["object"]["assignee"]["otherIdentifiers"][1]["identifier"] == (
        "https://example.edu/users/554433"
    )
    (obs,) = observe(graded)
    assert obs.learner == (*LEARNER, LearnerRef("email", "jane@example.edu"))
    # The Score has its own maxScore; without it, the described Assessment's applies.
    del graded["generated"]["maxScore"]
    graded["generated"]["scoreGiven"] = 12.0
    assert observe(graded)[0].score == pytest.approx(12 / 15)
    assert inline_entities(data[-1], {}) == data[-1]


def test_entity_describes_are_not_events() -> None:
    entities = sorted(CALIPER_V1P2.glob("caliperEntity*.json"))
    assert len(entities) > 40
    for path in entities:
        assert observe(load_json(path)) == [], path.name


def test_malformed_fixtures_never_crash_the_adapter() -> None:
    # The endpoint rejects these before the adapter sees them; if one slips through (replay of
    # an old record), the adapter must answer [] or AdapterRejected, never crash.
    outcomes = {"observed": 0, "nothing": 0, "rejected": 0}
    everything = parse_vendor_settings(
        {
            "filter": {
                "event_types": ["GradeEvent", "AssessmentEvent", "AssessmentItemEvent"]
            }
        },
        vendor_name="v",
    )
    for path in sorted((CALIPER_V1P2 / "commonErrorFixtures").glob("*.json")):
        try:
            item = load_json(path)
        except ValueError:
            continue  # caliperEntity-BadJson.json is not JSON at all
        try:
            outcomes["observed" if observe(item, everything) else "nothing"] += 1
        except AdapterRejected:
            outcomes["rejected"] += 1
    # Only 2 of the 277 JSON error fixtures are score-relevant events: a GradeEvent whose
    # object is not an Attempt (rejected: no assignee) and an AssessmentItemEvent whose
    # generated entity has the wrong type (a submission: the Response is not read). The
    # other events that a Person did are activity; entities give nothing.
    assert outcomes == {"observed": 72, "nothing": 204, "rejected": 1}


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 200)
    | st.floats(-2, 200)
    | st.sampled_from(
        ["", "x", "https://example.edu/users/1", "Person", "CaseItemUri"]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["id", "type", "identifier", "identifierType", "name", "x"]
            ),
            children,
            max_size=3,
        )
    ),
    max_leaves=8,
)


def maybe(**fields: Any) -> Any:
    return st.fixed_dictionaries({}, optional=fields)


FUZZED = parse_vendor_settings(
    {
        "learner": {
            "identity": {
                "source": "other_identifier",
                "identifier_type": "SisSourcedId",
            }
        },
        "score": {"level_extension": "lvl", "levels": {"A": 1.0}},
        "hints": {"extension_keys": ["lvl"]},
        "filter": {"event_types": ["GradeEvent", "OutcomeEvent", "AssessmentEvent"]},
    },
    vendor_name="f",
)
entities = json_values | maybe(
    id=json_values,
    type=json_values,
    maxScore=json_values,
    learningObjectives=json_values,
    otherIdentifiers=json_values,
    isPartOf=json_values,
    extensions=json_values,
)
events = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["GradeEvent", "OutcomeEvent", "AssessmentEvent"]),
        "action": st.sampled_from(["Graded", "Submitted"]),
    },
    optional={
        "actor": entities,
        "object": json_values
        | maybe(id=json_values, assignee=entities, actor=entities, assignable=entities),
        "generated": json_values
        | maybe(
            scoreGiven=json_values,
            maxScore=json_values,
            totalScore=json_values,
            extensions=json_values | maybe(lvl=json_values),
        ),
        "eventTime": json_values,
        "extensions": json_values,
    },
)


@settings(max_examples=400, deadline=None)
@given(event=events)
def test_any_shape_gives_a_list_or_a_reason(event: dict[str, Any]) -> None:
    for vendor in (STANDARD, FUZZED):
        try:
            found = observe(event, vendor)
        except AdapterRejected as exc:
            assert exc.reason.endswith(".")
        else:
            assert all(o.score is None or 0 <= o.score <= 1 for o in found)
            assert all(o.learner and o.activity_id for o in found)


def test_case_uris_in_event_extensions_are_hints_by_default() -> None:
    event = event_file("caliperEventGradeGraded.json")
    event["extensions"] = {"alignedTo": CF_ITEM, "other": "https://example.edu/x"}
    assert observe(event)[0].hints == (CF_ITEM,)
