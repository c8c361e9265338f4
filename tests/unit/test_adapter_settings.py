from __future__ import annotations

import copy
import math
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import adapters.inbound as inbound
from adapters.inbound import get_adapter
from adapters.inbound.caliper import CaliperAdapter
from adapters.inbound.csv import CsvAdapter
from adapters.inbound.scoring import normalize_score
from adapters.inbound.settings import (
    DEFAULT_EVENT_TYPES,
    DEFAULT_IGNORED_VERBS,
    ScoreSettings,
    VendorSettings,
    load_vendor_settings_dir,
    load_vendor_settings_file,
    parse_vendor_settings,
)
from adapters.inbound.xapi import XapiAdapter
from gateway.errors import ConfigError, InvalidPayload
from gateway.intake.model import AdapterRejected, LearnerRef
from tests.unit.shared_fixtures import CALIPER_V1P2, XAPI_SPEC, load_json

REPO = Path(__file__).resolve().parents[2]
VENDOR_FILES = sorted((REPO / "config" / "vendors").glob("*.toml"))


# -- defaults and the example files ----------------------------------------------------------


def test_empty_settings_mean_standard_xapi_and_caliper() -> None:
    settings = parse_vendor_settings({}, vendor_name="x")
    assert settings.vendor_name == "x"
    assert settings.adapter == "standard"
    assert settings.score.scale == "auto"
    assert settings.learner.identity is None
    assert settings.filter.ignore_verbs == DEFAULT_IGNORED_VERBS
    assert settings.filter.event_types == DEFAULT_EVENT_TYPES
    assert settings.evidence.kind is None and settings.evidence.dok is None
    assert settings == VendorSettings(vendor_name="x")


def test_every_vendor_file_parses() -> None:
    assert {p.stem for p in VENDOR_FILES} >= {
        "acme-math",
        "brightpath",
        "quillpad-export",
    }
    for path in VENDOR_FILES:
        name, settings = load_vendor_settings_file(path)
        assert name == path.stem == settings.vendor_name
        assert settings.protocol in ("xapi", "caliper", "csv")


def test_the_vendor_folder_loads_by_name(tmp_path: Path) -> None:
    vendors = load_vendor_settings_dir(REPO / "config" / "vendors")
    assert sorted(vendors) == [p.stem for p in VENDOR_FILES]
    assert vendors["brightpath"].score.points_max == 4.0
    assert load_vendor_settings_dir(tmp_path) == {}


def test_acme_math_reads_percent_raw_scores_and_the_sis_id() -> None:
    _, acme = load_vendor_settings_file(REPO / "config" / "vendors" / "acme-math.toml")
    statement = load_json(XAPI_SPEC / "about-01-appendix-b-cmi5-example.json")
    statement["actor"]["account"] = {
        "homePage": "https://sis.acme-district.example",
        "name": "S-1001",
    }
    statement["object"]["id"] = "https://cdn.acmemath.example/unit-tests/3?session=9"
    statement["object"]["definition"] = {
        "extensions": {
            "https://acmemath.example/xapi/extensions/case-item": "urn:case:x"
        }
    }
    del statement["result"]["score"]
    statement["result"]["score"] = {"raw": 72}
    (obs,) = XapiAdapter().observe(statement, acme)
    assert obs.learner == (
        LearnerRef("xapi_account", "https://sis.acme-district.example|S-1001"),
        LearnerRef("sis", "S-1001"),
    )
    assert obs.activity_id == "https://acmemath.example/unit-tests/3"
    assert (obs.score, obs.kind, obs.dok, obs.weight) == (0.72, "assessment", 2, 1.0)
    assert obs.hints == ("urn:case:x",)
    # 'attempted' is not in Acme's verb list.
    statement["verb"] = {"id": "http://adlnet.gov/expapi/verbs/attempted"}
    assert XapiAdapter().observe(statement, acme) == []


def test_brightpath_reads_points_levels_and_vendor_ids() -> None:
    _, bright = load_vendor_settings_file(
        REPO / "config" / "vendors" / "brightpath.toml"
    )
    event = load_json(CALIPER_V1P2 / "caliperEventGradeGraded.json")
    del event["generated"]["maxScore"]
    event["generated"]["scoreGiven"] = 3.0
    (obs,) = CaliperAdapter().observe(event, bright)
    assert obs.score == 0.75  # 3 of the default 4 points
    assert obs.learner == (
        LearnerRef("caliper", "https://example.edu/users/554433"),
        LearnerRef("vendor", "brightpath|554433"),
    )
    assert (obs.kind, obs.dok) == ("practice", 1)
    del event["generated"]["scoreGiven"]
    event["generated"]["extensions"] = {
        "https://brightpath.example/caliper/level": "Beginning"
    }
    assert CaliperAdapter().observe(event, bright)[0].score == 0.25
    submitted = load_json(CALIPER_V1P2 / "caliperEventAssessmentSubmitted.json")
    # GradeEvents only: a submission is then the learner's activity, with no completion.
    (activity,) = CaliperAdapter().observe(submitted, bright)
    assert (activity.score, activity.completion) == (None, None)


def test_load_reports_the_file_name(tmp_path: Path) -> None:
    bad = tmp_path / "oops.toml"
    bad.write_text('[score]\nscale = "stars"\n')
    with pytest.raises(
        InvalidPayload, match=r"^oops.toml: 'score.scale' must be one of"
    ):
        load_vendor_settings_file(bad)
    bad.write_text("[score\n")
    with pytest.raises(InvalidPayload, match="not valid TOML"):
        load_vendor_settings_file(bad)
    with pytest.raises(InvalidPayload, match="cannot be read"):
        load_vendor_settings_file(tmp_path / "missing.toml")


# -- every mistake names its key -------------------------------------------------------------

MISTAKES: list[tuple[dict[str, Any], str]] = [
    (
        {"sclae": {}},
        "Unknown key 'sclae' in the vendor settings; accepted keys: \"adapter\"",
    ),
    ({"score": []}, "'score' must be a table"),
    ({"score": {"scale": "stars"}}, '\'score.scale\' must be one of "auto", "scaled"'),
    ({"score": {"scale": 1}}, "'score.scale' must be a string"),
    ({"score": {"scale": "levels"}}, "'score.levels' must map each level label"),
    ({"score": {"levels": {"A": 2}}}, "'score.levels.A' must be a number from 0 to 1"),
    (
        {"score": {"levels": {"A": True}}},
        "'score.levels.A' must be a number from 0 to 1",
    ),
    ({"score": {"points_max": 0}}, "'score.points_max' must be greater than"),
    ({"score": {"points_max": "10"}}, "'score.points_max' must be a number"),
    ({"score": {"points_max": math.inf}}, "'score.points_max' must be a finite number"),
    ({"score": {"pass_value": 1.5}}, "'score.pass_value' must be a number from 0 to 1"),
    (
        {"score": {"negative": "ignore"}},
        '\'score.negative\' must be one of "clamp", "reject"',
    ),
    ({"score": {"pointsmax": 1}}, "Unknown key 'score.pointsmax' in 'score'"),
    (
        {"learner": {"identity": {}}},
        "'learner.identity.source' is required; accepted values",
    ),
    (
        {"learner": {"identity": {"source": "nickname"}}},
        "'learner.identity.source' must be one of \"account_name\"",
    ),
    (
        {"learner": {"identity": {"source": "email", "kind": "lti"}}},
        '\'learner.identity.kind\' must be one of "sis", "vendor"',
    ),
    (
        {"learner": {"identity": {"source": "other_identifier"}}},
        "'learner.identity.identifier_type' is required",
    ),
    (
        {"learner": {"identity": {"source": "actor_id", "pattern": "("}}},
        "'learner.identity.pattern' is not a valid regular expression",
    ),
    (
        {"learner": {"group": "all"}},
        '\'learner.group\' must be one of "skip", "members"',
    ),
    (
        {"learner": {"rewrite": [{"pattern": "a", "kinds": ["phone"]}]}},
        "'learner.rewrite[0].kinds' may hold only \"lti\"",
    ),
    (
        {"activity": {"rewrite": {"pattern": "a"}}},
        "'activity.rewrite' must be a list of tables",
    ),
    (
        {"activity": {"rewrite": [{"replacement": "b"}]}},
        "'activity.rewrite[0].pattern' is required",
    ),
    (
        {"activity": {"rewrite": [{"pattern": "a", "replacement": r"\2"}]}},
        "'activity.rewrite[0].replacement' does not fit its pattern",
    ),
    (
        {"evidence": {"kind": "homework"}},
        '\'evidence.kind\' must be one of "practice", "quiz"',
    ),
    ({"evidence": {"dok": 5}}, "'evidence.dok' must be a whole number from 1 to 4"),
    ({"evidence": {"dok": 2.0}}, "'evidence.dok' must be a whole number from 1 to 4"),
    ({"evidence": {"weight": -1}}, "'evidence.weight' must be zero or more"),
    (
        {"evidence": {"kind_by_activity": [{"pattern": "x", "kind": "exam"}]}},
        "'evidence.kind_by_activity[0].kind' must be one of",
    ),
    (
        {"evidence": {"kind_by_verb": {"http://v": "exam"}}},
        "'evidence.kind_by_verb.http://v' must be one of",
    ),
    ({"filter": {"verbs": "http://v"}}, "'filter.verbs' must be a list of strings"),
    (
        {"filter": {"event_types": [""]}},
        "'filter.event_types' must be a list of non-empty",
    ),
    (
        {"hints": {"prefixes": [1]}},
        "'hints.prefixes' must be a list of non-empty strings",
    ),
    ({"csv": {"delimiter": ";;"}}, "'csv.delimiter' must be a single character"),
    (
        {"csv": {"learner_columns": {}}},
        "'csv.learner_columns' must name at least one column",
    ),
    (
        {"csv": {"learner_columns": {"id": "student"}}},
        "'csv.learner_columns.id' must be one of \"lti\"",
    ),
    (
        {"csv": {"date_format": "dd/mm/yyyy"}},
        "'csv.date_format' must be \"iso\" or a strptime",
    ),
    ({"csv": {"max_rows": 0}}, "'csv.max_rows' must be a whole number from 1 to"),
    ({"protocol": "lti"}, '\'protocol\' must be one of "xapi", "caliper", "csv"'),
]


@pytest.mark.parametrize(("data", "message"), MISTAKES)
def test_mistakes_raise_a_sentence_naming_the_key(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidPayload) as caught:
        parse_vendor_settings(data, vendor_name="v")
    assert message in caught.value.detail
    assert caught.value.detail.endswith(".")


def test_vendor_name_must_be_usable_in_vendor_ids() -> None:
    for name in ("", "a|b"):
        with pytest.raises(InvalidPayload, match="vendor name"):
            parse_vendor_settings({}, vendor_name=name)


def test_settings_are_frozen_and_json_input_does_not_leak_in() -> None:
    data: dict[str, Any] = {"filter": {"verbs": ["http://v/a"]}}
    settings = parse_vendor_settings(copy.deepcopy(data), vendor_name="v")
    assert settings.filter.verbs == frozenset({"http://v/a"})
    with pytest.raises(AttributeError):
        settings.vendor_name = "w"  # type: ignore[misc]


# -- registry --------------------------------------------------------------------------------


def test_standard_adapters_by_protocol_are_cached() -> None:
    assert isinstance(get_adapter("standard", "xapi"), XapiAdapter)
    assert isinstance(get_adapter("standard", "caliper"), CaliperAdapter)
    assert isinstance(get_adapter("standard", "csv"), CsvAdapter)
    assert get_adapter("standard", "xapi") is get_adapter("standard", "xapi")


def test_unknown_protocol_and_adapter_names() -> None:
    with pytest.raises(ConfigError, match="Unknown protocol 'lti'"):
        get_adapter("standard", "lti")
    with pytest.raises(ConfigError, match="No inbound adapter is called 'nope'"):
        get_adapter("nope", "xapi")


class EchoAdapter(XapiAdapter):
    """A plug-in as a vendor package would ship it."""


def test_plugins_come_from_the_entry_point_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    points = [
        EntryPoint("echo", f"{__name__}:EchoAdapter", inbound.ENTRY_POINT_GROUP),
        EntryPoint("broken", "json:dumps", inbound.ENTRY_POINT_GROUP),
    ]

    def fake_entry_points(*, group: str) -> list[EntryPoint]:
        return [p for p in points if p.group == group]

    monkeypatch.setattr(inbound, "entry_points", fake_entry_points)
    get_adapter.cache_clear()
    try:
        assert isinstance(get_adapter("echo", "xapi"), EchoAdapter)
        with pytest.raises(ConfigError, match=r"has no observe\(\) and voids\(\)"):
            get_adapter("broken", "xapi")
        with pytest.raises(ConfigError, match=r"\(broken, echo\)"):
            get_adapter("other", "xapi")
    finally:
        get_adapter.cache_clear()


# -- score normalization properties ---------------------------------------------------------

numbers = st.floats(allow_nan=True, allow_infinity=True, width=64) | st.integers(
    -1000, 1000
)
maybe = st.none() | numbers
scales = st.builds(
    ScoreSettings,
    scale=st.sampled_from(
        ["auto", "scaled", "percent", "points", "levels", "pass_fail"]
    ),
    points_min=st.just(0.0),
    points_max=st.none() | st.floats(0.5, 1000),
    levels=st.just((("Mastered", 1.0), ("Developing", 0.5))),
    negative=st.sampled_from(["clamp", "reject"]),
)


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise AdapterRejected(
            "not finite"
        )  # what as_number does before normalize_score
    return None if value is None else float(value)


@given(
    settings=scales,
    scaled=maybe,
    raw=maybe,
    low=maybe,
    high=maybe,
    label=st.none() | st.sampled_from(["Mastered", "developing", "Expert"]),
    success=st.none() | st.booleans(),
)
def test_normalized_scores_are_within_0_and_1_or_rejected(
    settings: ScoreSettings,
    scaled: float | None,
    raw: float | None,
    low: float | None,
    high: float | None,
    label: str | None,
    success: bool | None,
) -> None:
    try:
        result = normalize_score(
            settings,
            scaled=_finite(scaled),
            raw=_finite(raw),
            min_score=_finite(low),
            max_score=_finite(high),
            level_label=label,
            success=success,
        )
    except AdapterRejected as exc:
        assert exc.reason
        return
    assert result.score is None or 0.0 <= result.score <= 1.0
    if scaled is not None and -1 <= scaled <= 1:
        assert result.score == max(0.0, float(scaled))


@given(raw=st.floats(-1e6, 1e6), low=st.floats(-1e6, 1e6), span=st.floats(1e-3, 1e6))
def test_raw_within_bounds_is_linear(raw: float, low: float, span: float) -> None:
    high = low + span
    settings = ScoreSettings()
    if not low <= raw <= high or not low < high:
        with pytest.raises(AdapterRejected):
            normalize_score(settings, raw=raw, min_score=low, max_score=high)
        return
    result = normalize_score(settings, raw=raw, min_score=low, max_score=high)
    assert result.score == pytest.approx((raw - low) / (high - low), abs=1e-9)
