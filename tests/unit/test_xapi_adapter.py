from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.inbound.settings import VendorSettings, parse_vendor_settings
from adapters.inbound.xapi import XapiAdapter
from gateway.intake.model import AdapterRejected, LearnerRef, Observation
from tests.unit.shared_fixtures import XAPI_SPEC, XAPI_VIDEO, load_json

ADAPTER = XapiAdapter()
STANDARD = parse_vendor_settings({}, vendor_name="std")
ADL = "http://adlnet.gov/expapi/verbs/"


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def make_statement(**overrides: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
        "actor": {
            "objectType": "Agent",
            "name": "Ada",
            "mbox": "mailto:Ada@School.example",
        },
        "verb": {"id": ADL + "scored", "display": {"en-US": "scored"}},
        "object": {"objectType": "Activity", "id": "https://vendor.example/quiz/7"},
        "result": {"score": {"scaled": 0.8}},
        "timestamp": "2024-03-01T10:00:00Z",
    }
    statement.update(overrides)
    return statement


def observe(
    statement: dict[str, Any], settings: VendorSettings = STANDARD
) -> list[Observation]:
    return ADAPTER.observe(statement, settings)


def only(statement: dict[str, Any], settings: VendorSettings = STANDARD) -> Observation:
    found = observe(statement, settings)
    assert len(found) == 1
    return found[0]


# -- every spec example, classified --------------------------------------------------------

STATEMENT_FILES = sorted(
    p
    for folder in (XAPI_SPEC, XAPI_VIDEO)
    for p in folder.glob("*.json")
    if isinstance(doc := load_json(p), dict)
    and "verb" in doc
    and "actor" in doc
    and doc.get("objectType") != "SubStatement"
)

# Statements that deliberately make no observation, and why.
NO_OBSERVATION = {
    "data-01-example.json": "voiding: handled by voids()",
    "data-02-example.json": "'created' without a result",
    "data-05-example.json": "object is a StatementRef",
    "data-06-example.json": "object is a SubStatement",
    "data-09-appendix-a-example-statements.json": "Group actor, skipped by default",
    "data-14-appendix-d-example-signed-statement.json": "'experienced' without a result",
    "data-16-appendix-d-example-signed-statement.json": "'experienced' without a result",
    "data-frag-03-appendix-a-example-statements.json": "custom verb without a result",
    "templates-01-initialized.json": "lifecycle verb",
    "templates-02-played.json": "no score, success or completion",
    "templates-03-paused.json": "no score, success or completion",
    "templates-04-seeked.json": "no score, success or completion",
    "templates-05-interacted.json": "no score, success or completion",
    "templates-06-interacted.json": "no score, success or completion",
    "templates-07-interacted.json": "no score, success or completion",
    "templates-08-interacted.json": "no score, success or completion",
    "templates-09-interacted.json": "no score, success or completion",
    "templates-10-completed.json": "video completion is engagement, not proficiency",
    "templates-11-terminated.json": "lifecycle verb",
}
REJECTED = {"comm-04-example.json": "verb is a bare string"}
OBSERVED = {
    "about-01-appendix-b-cmi5-example.json": Observation(
        learner=(LearnerRef("xapi_account", "http://example.adlnet.gov|1625378"),),
        activity_id="https://example.adlnet.gov/AUidentifier",
        observed_at=datetime(2012, 6, 1, 19, 9, 13, 245000, tzinfo=UTC),
        score=0.65,
        raw_score=65.0,
        min_score=0.0,
        max_score=100.0,
        success=False,
        learner_name="Gert Frobe",
    ),
    "comm-05-example.json": Observation(
        learner=(
            LearnerRef("email", "joe@example.com"),
            LearnerRef("mbox_sha1sum", sha1("mailto:joe@example.com")),
        ),
        activity_id="http://www.example.com/activities/001",
        observed_at=datetime(2012, 6, 1, 19, 9, 13, 245000, tzinfo=UTC),
        score=None,
        completion=True,
        learner_name="Joe Schmoe",
    ),
    "data-08-appendix-a-example-statements.json": Observation(
        learner=(
            LearnerRef("email", "example.learner@adlnet.gov"),
            LearnerRef("mbox_sha1sum", "016485387e0a88d4626f9c055bb0cc4c52586865"),
        ),
        activity_id="http://example.adlnet.gov/xapi/example/simpleCBT",
        observed_at=datetime(2015, 12, 18, 12, 17, tzinfo=UTC),
        score=0.95,
        success=True,
        completion=True,
        learner_name="Example Learner",
    ),
}


def test_every_spec_statement_is_classified() -> None:
    names = {p.name for p in STATEMENT_FILES}
    assert len(names) == 23  # 12 spec statements + 11 video templates
    assert names == set(NO_OBSERVATION) | set(REJECTED) | set(OBSERVED)


@pytest.mark.parametrize("name", sorted(OBSERVED))
def test_scored_spec_statements_give_exact_observations(name: str) -> None:
    path = next(p for p in STATEMENT_FILES if p.name == name)
    assert observe(load_json(path)) == [OBSERVED[name]]


@pytest.mark.parametrize("name", sorted(NO_OBSERVATION))
def test_other_spec_statements_give_no_observation(name: str) -> None:
    path = next(p for p in STATEMENT_FILES if p.name == name)
    assert observe(load_json(path)) == []


def test_a_statement_whose_verb_is_not_an_object_is_rejected() -> None:
    with pytest.raises(AdapterRejected, match="verb"):
        observe(load_json(XAPI_SPEC / "comm-04-example.json"))


def test_the_spec_substatement_as_an_object_gives_nothing() -> None:
    sub = load_json(XAPI_SPEC / "data-13-object-is-statement.json")
    assert observe(make_statement(object=sub)) == []


def test_object_agent_and_group_give_nothing() -> None:
    for name in ("data-11-object-is-agent.json", "data-12-object-is-group.json"):
        assert observe(make_statement(object=load_json(XAPI_SPEC / name))) == []


# -- voiding ---------------------------------------------------------------------------------


def test_the_spec_voiding_statement_is_recognized() -> None:
    voiding = load_json(XAPI_SPEC / "data-01-example.json")
    assert ADAPTER.voids(voiding) == "e05aa883-acaf-40ad-bf54-02c8ce485fb0"


def test_ordinary_statements_void_nothing() -> None:
    assert ADAPTER.voids(make_statement()) is None
    assert (
        ADAPTER.voids(load_json(XAPI_SPEC / "data-05-example.json")) is None
    )  # commented


# -- learners --------------------------------------------------------------------------------


def test_mbox_gives_lowercased_email_and_sha1_of_the_iri_as_sent() -> None:
    obs = only(make_statement())
    assert obs.learner == (
        LearnerRef("email", "ada@school.example"),
        LearnerRef("mbox_sha1sum", sha1("mailto:Ada@School.example")),
    )
    assert obs.learner_name == "Ada"


def test_sha1sum_openid_and_account_identifiers() -> None:
    actor_sha = {"mbox_sha1sum": "EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"}
    actor_oid = {"openid": "http://toby.openid.example.org/"}
    actor_acc = {"account": {"homePage": "https://sis.example", "name": "s-42"}}
    assert only(make_statement(actor=actor_sha)).learner == (
        LearnerRef("mbox_sha1sum", "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"),
    )
    assert only(make_statement(actor=actor_oid)).learner == (
        LearnerRef("openid", "http://toby.openid.example.org/"),
    )
    assert only(make_statement(actor=actor_acc)).learner == (
        LearnerRef("xapi_account", "https://sis.example|s-42"),
    )


def test_an_actor_without_identifier_is_rejected() -> None:
    with pytest.raises(AdapterRejected, match="identifier"):
        observe(make_statement(actor={"objectType": "Agent", "name": "Nobody"}))


def test_account_name_as_sis_id_only_for_its_home_page() -> None:
    settings = parse_vendor_settings(
        {
            "learner": {
                "identity": {
                    "source": "account_name",
                    "kind": "sis",
                    "home_page": "https://sis.example/",
                }
            }
        },
        vendor_name="acme",
    )
    ours = {"account": {"homePage": "https://sis.example", "name": "s-42"}}
    theirs = {"account": {"homePage": "https://other.example", "name": "s-42"}}
    assert (
        LearnerRef("sis", "s-42") in only(make_statement(actor=ours), settings).learner
    )
    assert only(make_statement(actor=theirs), settings).learner == (
        LearnerRef("xapi_account", "https://other.example|s-42"),
    )


def test_vendor_identity_rule_with_pattern_and_learner_rewrite() -> None:
    settings = parse_vendor_settings(
        {
            "learner": {
                "identity": {
                    "source": "email",
                    "kind": "vendor",
                    "pattern": r"^([^@]+)@",
                },
                "rewrite": [
                    {
                        "pattern": r"@school\.example$",
                        "replacement": "@district.example",
                        "kinds": ["email"],
                    }
                ],
            }
        },
        vendor_name="acme",
    )
    obs = only(make_statement(), settings)
    assert obs.learner == (
        LearnerRef("email", "ada@district.example"),
        LearnerRef("mbox_sha1sum", sha1("mailto:Ada@School.example")),
        LearnerRef("vendor", "acme|ada"),
    )


def test_group_members_are_credited_when_configured() -> None:
    group_statement = load_json(
        XAPI_SPEC / "data-09-appendix-a-example-statements.json"
    )
    settings = parse_vendor_settings({"learner": {"group": "members"}}, vendor_name="v")
    found = observe(group_statement, settings)
    assert [o.learner for o in found] == [
        (LearnerRef("xapi_account", "http://www.example.com|13936749"),),
        (LearnerRef("openid", "http://toby.openid.example.org/"),),
        (LearnerRef("mbox_sha1sum", "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"),),
    ]
    assert [o.learner_name for o in found] == [
        "Andrew Downes",
        "Toby Nichols",
        "Ena Hills",
    ]
    assert all(o.success and o.completion and o.score is None for o in found)
    assert {o.activity_id for o in found} == {
        "http://www.example.com/meetings/occurances/34534"
    }


# -- scores ----------------------------------------------------------------------------------


def test_raw_within_min_max_is_scaled_by_its_bounds() -> None:
    obs = only(make_statement(result={"score": {"raw": 15, "min": 5, "max": 25}}))
    assert obs.score == pytest.approx(0.5)
    assert (obs.raw_score, obs.min_score, obs.max_score) == (15.0, 5.0, 25.0)


def test_bare_raw_has_no_score_by_default_but_is_kept() -> None:
    obs = only(make_statement(result={"score": {"raw": 85}}))
    assert obs.score is None
    assert obs.raw_score == 85.0


def test_bare_raw_uses_the_vendor_scale() -> None:
    percent = parse_vendor_settings({"score": {"scale": "percent"}}, vendor_name="v")
    points = parse_vendor_settings(
        {"score": {"scale": "points", "points_max": 40}}, vendor_name="v"
    )
    assert only(make_statement(result={"score": {"raw": 85}}), percent).score == 0.85
    assert only(make_statement(result={"score": {"raw": 30}}), points).score == 0.75
    with pytest.raises(AdapterRejected, match="0..100"):
        observe(make_statement(result={"score": {"raw": 120}}), percent)


@pytest.mark.parametrize(
    ("score", "match"),
    [
        ({"scaled": 1.01}, "outside -1..1"),
        ({"scaled": -1.5}, "outside -1..1"),
        ({"raw": 30, "min": 0, "max": 25}, "above its max"),
        ({"raw": -1, "min": 0, "max": 25}, "below its min"),
        ({"raw": 5, "min": 10, "max": 10}, "less than its max"),
        ({"scaled": "0.5"}, "not a number"),
        ({"raw": True, "max": 2}, "not a number"),
        (85, "not an object"),
    ],
)
def test_out_of_range_and_unparsable_scores_are_rejected(
    score: Any, match: str
) -> None:
    with pytest.raises(AdapterRejected, match=match):
        observe(make_statement(result={"score": score}))


def test_negative_scaled_clamps_to_zero_by_default_and_rejects_when_asked() -> None:
    obs = only(make_statement(result={"score": {"scaled": -0.4}}))
    assert obs.score == 0.0
    strict = parse_vendor_settings({"score": {"negative": "reject"}}, vendor_name="v")
    with pytest.raises(AdapterRejected, match="negative"):
        observe(make_statement(result={"score": {"scaled": -0.4}}), strict)


def test_pass_fail_scale_turns_success_into_a_score() -> None:
    settings = parse_vendor_settings(
        {"score": {"scale": "pass_fail", "pass_value": 0.9, "fail_value": 0.2}},
        vendor_name="v",
    )
    passed = make_statement(verb={"id": ADL + "passed"}, result={})
    failed = make_statement(verb={"id": ADL + "failed"}, result={"success": False})
    assert (only(passed, settings).score, only(passed, settings).success) == (0.9, True)
    assert only(failed, settings).score == 0.2
    # Without the pass_fail scale, a bare pass is an observation with no score.
    assert only(passed).score is None


def test_level_labels_from_a_result_extension() -> None:
    key = "https://vendor.example/xapi/level"
    settings = parse_vendor_settings(
        {
            "score": {
                "scale": "levels",
                "level_extension": key,
                "levels": {"Mastered": 1.0, "Developing": 0.5},
            }
        },
        vendor_name="v",
    )
    obs = only(make_statement(result={"extensions": {key: "developing"}}), settings)
    assert (obs.score, obs.level_label) == (0.5, "developing")
    with pytest.raises(AdapterRejected, match="'Mastered', 'Developing'"):
        observe(make_statement(result={"extensions": {key: "Expert"}}), settings)


# -- cmi5 ------------------------------------------------------------------------------------

CMI5 = load_json(XAPI_SPEC / "about-01-appendix-b-cmi5-example.json")


def cmi5(
    verb: str, result: dict[str, Any], **context_extensions: Any
) -> dict[str, Any]:
    statement = copy.deepcopy(CMI5)
    statement["verb"] = {"id": verb}
    statement["result"] = result
    statement["context"]["extensions"].update(context_extensions)
    return statement


def test_cmi5_completed_must_not_carry_a_score() -> None:
    ok = only(cmi5(ADL + "completed", {"completion": True, "duration": "PT1M"}))
    assert (ok.completion, ok.score) == (True, None)
    with pytest.raises(AdapterRejected, match="cmi5"):
        observe(cmi5(ADL + "completed", {"completion": True, "score": {"scaled": 1}}))


def test_cmi5_passed_and_failed_must_agree_with_success() -> None:
    with pytest.raises(AdapterRejected, match="passed"):
        observe(cmi5(ADL + "passed", {"success": False, "score": {"scaled": 0.9}}))
    with pytest.raises(AdapterRejected, match="failed"):
        observe(cmi5(ADL + "failed", {"success": True, "score": {"scaled": 0.2}}))
    passed = only(cmi5(ADL + "passed", {"score": {"scaled": 0.9}}))
    assert (passed.success, passed.score) == (True, 0.9)


def test_cmi5_mastery_score_decides_success_when_result_has_none() -> None:
    mastery = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
    statement = cmi5(ADL + "scored", {"score": {"scaled": 0.7}}, **{mastery: 0.75})
    assert only(statement).success is False


@pytest.mark.parametrize(
    "verb",
    [
        ADL + "initialized",
        ADL + "launched",
        ADL + "terminated",
        "https://w3id.org/xapi/adl/verbs/abandoned",
        "https://w3id.org/xapi/adl/verbs/waived",
        "https://w3id.org/xapi/adl/verbs/satisfied",
    ],
)
def test_cmi5_lifecycle_verbs_give_nothing(verb: str) -> None:
    assert observe(cmi5(verb, {"success": True, "completion": True})) == []


# -- verbs, kinds, hints, time ---------------------------------------------------------------


def test_verb_filter_and_kind_overrides() -> None:
    settings = parse_vendor_settings(
        {
            "filter": {"verbs": [ADL + "passed", ADL + "scored"]},
            "evidence": {
                "kind": "practice",
                "dok": 3,
                "weight": 2,
                "kind_by_activity": [{"pattern": "/unit-test/", "kind": "assessment"}],
                "kind_by_verb": {ADL + "passed": "quiz"},
            },
        },
        vendor_name="v",
    )
    assert observe(make_statement(verb={"id": ADL + "answered"}), settings) == []
    scored = only(make_statement(), settings)
    assert (scored.kind, scored.dok, scored.weight) == ("practice", 3, 2.0)
    assert only(make_statement(verb={"id": ADL + "passed"}), settings).kind == "quiz"
    unit = make_statement(object={"id": "https://vendor.example/unit-test/1"})
    assert only(unit, settings).kind == "assessment"


def test_video_completion_counts_when_video_is_not_ignored() -> None:
    settings = parse_vendor_settings(
        {"filter": {"ignore_activity_types": []}}, vendor_name="v"
    )
    obs = only(load_json(XAPI_VIDEO / "templates-10-completed.json"), settings)
    assert (obs.completion, obs.score) == (True, None)


def test_activity_rewrite_strips_query_and_maps_prefix() -> None:
    settings = parse_vendor_settings(
        {
            "activity": {
                "rewrite": [
                    {"pattern": r"\?.*$", "replacement": ""},
                    {
                        "pattern": r"^https://cdn\.vendor\.example/",
                        "replacement": "https://vendor.example/",
                    },
                ]
            }
        },
        vendor_name="v",
    )
    statement = make_statement(
        object={"id": "https://cdn.vendor.example/quiz/7?attempt=3"}
    )
    assert only(statement, settings).activity_id == "https://vendor.example/quiz/7"


def test_case_hints_from_context_activities_and_extensions() -> None:
    cf_item = "https://case.example.org/ims/case/v1p0/CFItems/6b9bf846-d7cc-11e8-824f-0242ac160002"
    prefixed = "https://standards.example.org/uri/0a1b2c3d"
    ext_key = "https://vendor.example/xapi/standard"
    settings = parse_vendor_settings(
        {
            "hints": {
                "prefixes": ["https://standards.example.org/uri/"],
                "extension_keys": [ext_key],
            }
        },
        vendor_name="v",
    )
    statement = make_statement(
        context={
            "contextActivities": {
                "parent": {
                    "id": "https://vendor.example/course/1"
                },  # single object allowed
                "grouping": [{"id": cf_item}],
                "other": [{"id": prefixed}, {"id": cf_item}],
            },
            "extensions": {ext_key: ["6.EE.A.1", " "]},
        },
        object={
            "id": "https://vendor.example/quiz/7",
            "definition": {"extensions": {ext_key: "6.EE.A.2"}},
        },
    )
    assert only(statement, settings).hints == (
        cf_item,
        prefixed,
        "6.EE.A.1",
        "6.EE.A.2",
    )
    assert only(statement).hints == (cf_item,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-01T10:00:00Z", datetime(2024, 3, 1, 10, tzinfo=UTC)),
        (
            "2024-03-01T12:00:00.5+02:00",
            datetime(2024, 3, 1, 10, 0, 0, 500000, tzinfo=UTC),
        ),
        ("2024-03-01T10:00:00", datetime(2024, 3, 1, 10, tzinfo=UTC)),
    ],
)
def test_timestamps_become_aware_utc(text: str, expected: datetime) -> None:
    observed = only(make_statement(timestamp=text)).observed_at
    assert observed == expected
    assert observed is not None and observed.utcoffset() == timedelta(0)


def test_missing_timestamp_is_none_and_garbage_is_rejected() -> None:
    statement = make_statement()
    del statement["timestamp"]
    assert only(statement).observed_at is None
    with pytest.raises(AdapterRejected, match="ISO 8601"):
        observe(make_statement(timestamp="yesterday"))


def test_offset_is_kept_as_the_same_instant() -> None:
    obs = only(make_statement(timestamp="2024-03-01T05:00:00-05:00"))
    assert obs.observed_at == datetime(
        2024, 3, 1, 5, tzinfo=timezone(timedelta(hours=-5))
    )


def test_fixture_folder_is_where_ci_expects_it() -> None:
    assert Path(XAPI_SPEC, "data-01-example.json").is_file()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 200)
    | st.floats(-2, 200)
    | st.sampled_from(
        ["", "mailto:a@b.example", "2024-01-01T00:00:00Z", "x", "/CFItems/1"]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "objectType", "name", "x"]), children, max_size=3
        )
    ),
    max_leaves=8,
)


def maybe(**fields: Any) -> Any:
    return st.fixed_dictionaries({}, optional=fields)


FUZZ_EXT = "https://vendor.example/ext"
FUZZED = parse_vendor_settings(
    {
        "learner": {"group": "members", "identity": {"source": "account_name"}},
        "score": {"level_extension": FUZZ_EXT, "levels": {"A": 1.0}},
        "hints": {"extension_keys": [FUZZ_EXT]},
    },
    vendor_name="f",
)
statements = st.fixed_dictionaries(
    {
        "actor": st.fixed_dictionaries(
            {"mbox": st.just("mailto:a@b.example")},
            optional={
                "objectType": st.sampled_from(["Agent", "Group"]) | json_values,
                "member": json_values,
                "account": json_values | maybe(homePage=json_values, name=json_values),
                "mbox_sha1sum": json_values,
                "openid": json_values,
                "name": json_values,
            },
        ),
        "verb": st.fixed_dictionaries(
            {"id": st.sampled_from([ADL + "passed", ADL + "completed", "http://x/v"])}
        ),
        "object": st.fixed_dictionaries(
            {"id": st.just("http://x/a")},
            optional={
                "objectType": st.just("Activity") | json_values,
                "definition": json_values
                | maybe(type=json_values, extensions=json_values),
            },
        ),
        "result": json_values
        | maybe(
            score=json_values
            | maybe(
                scaled=json_values, raw=json_values, min=json_values, max=json_values
            ),
            success=json_values,
            completion=json_values,
            extensions=json_values | maybe(**{FUZZ_EXT: json_values}),
        ),
        "context": json_values
        | maybe(
            contextActivities=json_values
            | maybe(parent=json_values, category=json_values),
            extensions=json_values | maybe(**{FUZZ_EXT: json_values}),
        ),
        "timestamp": json_values,
    }
)


@settings(max_examples=400, deadline=None)
@given(statement=statements)
def test_any_shape_gives_a_list_or_a_reason(statement: dict[str, Any]) -> None:
    for vendor in (STANDARD, FUZZED):
        try:
            found = observe(statement, vendor)
        except AdapterRejected as exc:
            assert exc.reason.endswith(".")
        else:
            assert all(o.score is None or 0 <= o.score <= 1 for o in found)
            assert all(o.learner and o.activity_id == "http://x/a" for o in found)


def test_case_uris_under_any_extension_key_are_hints() -> None:
    cf_item = (
        "https://case.example.org/uri/CFItems/6b9bf846-d7cc-11e8-824f-0242ac160002"
    )
    statement = make_statement(
        result={
            "score": {"scaled": 0.5},
            "extensions": {
                "https://other.example/aligned": [{"id": cf_item}, "6.EE.A.1"]
            },
        }
    )
    assert only(statement).hints == (cf_item,)
