"""Caliper envelope and event validation against the 1EdTech Caliper 1.2 fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gateway.caliper.validation import (
    CONTEXT_V1P1,
    CONTEXT_V1P2,
    CaliperInvalid,
    CaliperUnsupportedVersion,
    check_envelope,
)
from tests.unit.shared_fixtures import CALIPER_V1P2, load_json

ERRORS = CALIPER_V1P2 / "commonErrorFixtures"
ENVELOPES = sorted(CALIPER_V1P2.glob("caliperEnvelope*.json"))
ITEMS = sorted(
    p
    for p in CALIPER_V1P2.glob("*.json")
    if not p.name.startswith(("caliperEnvelope", "caliperEndpointConfig"))
)
# Deliberate deviations (standards/caliper.md §8): these fixtures' only fault is an integer
# where the model wants a decimal, and JSON has one number type (RFC 8259 §6), so 15 and
# 15.0 are the same value. They are accepted.
INTEGER_FOR_DECIMAL = {
    "caliperEntityScore-MalformedMaxScoreNotAnInt.json": "maxScore",
    "caliperEntityAssignableDigitalResource-MalformedMaxScoreNotAFloat.json": "maxScore",
    "caliperEntityAggregateMeasure-MalformedMetricValueNotAnInt.json": "metricValue",
    "caliperEntityAggregateMeasure-MalformedMaxMetricValueNotAnInt.json": "maxMetricValue",
}
NOT_JSON = {
    "caliperEntity-BadJson.json",
    "caliperEntitySurvey-MalformedItemsContainsWrongEntityType.json",
}
REJECTED = sorted(p for p in ERRORS.glob("*.json") if p.name not in INTEGER_FOR_DECIMAL)


def wrap(*items: Any, version: str = CONTEXT_V1P2) -> dict[str, Any]:
    """An envelope around ``items``."""
    return {
        "sensor": "https://example.edu/sensors/1",
        "sendTime": "2024-01-31T09:30:00.000Z",
        "dataVersion": version,
        "data": list(items),
    }


def test_the_fixture_sets_are_all_there() -> None:
    assert len(ENVELOPES) == 14
    assert len(ITEMS) == 129
    assert len(list(ERRORS.glob("*.json"))) == 279


@pytest.mark.parametrize("path", ENVELOPES, ids=lambda p: p.name)
def test_every_envelope_fixture_is_accepted(path: Path) -> None:
    envelope = check_envelope(load_json(path))
    assert envelope.data


@pytest.mark.parametrize("path", ITEMS, ids=lambda p: p.name)
def test_every_event_and_entity_fixture_is_accepted(path: Path) -> None:
    check_envelope(wrap(load_json(path)))


@pytest.mark.parametrize("path", REJECTED, ids=lambda p: p.name)
def test_every_error_fixture_is_rejected_naming_the_field(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        item = json.loads(text)
    except ValueError:
        # Not JSON at all (one on purpose, one with a stray comma): the endpoint says 400.
        assert path.name in NOT_JSON
        return
    with pytest.raises(CaliperInvalid) as caught:
        check_envelope(wrap(item))
    # The path names a field of the item, e.g. data[0].generated.type.
    assert caught.value.path.startswith("data[0].")
    assert caught.value.problem


@pytest.mark.parametrize("name", sorted(INTEGER_FOR_DECIMAL))
def test_an_integer_for_a_decimal_is_a_deliberate_deviation(name: str) -> None:
    item = load_json(ERRORS / name)
    value = item[INTEGER_FOR_DECIMAL[name]]
    assert isinstance(value, int)
    check_envelope(wrap(item))  # accepted: 15 and 15.0 are one JSON number
    item[INTEGER_FOR_DECIMAL[name]] = "fifteen"
    with pytest.raises(CaliperInvalid, match=INTEGER_FOR_DECIMAL[name]):
        check_envelope(wrap(item))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sensor": None}, "sensor"),
        ({"sendTime": "2024-01-31T09:30:00Z"}, "sendTime"),
        ({"data": {}}, "data"),
        ({"dataVersion": 2}, "dataVersion"),
        ({"extra": 1}, "extra"),
    ],
)
def test_a_malformed_envelope_names_its_field(
    change: dict[str, Any], field: str
) -> None:
    envelope = wrap() | change
    with pytest.raises(CaliperInvalid) as caught:
        check_envelope(envelope)
    assert caught.value.path == field


@pytest.mark.parametrize("key", ["sensor", "sendTime", "dataVersion", "data"])
def test_each_envelope_property_is_required(key: str) -> None:
    envelope = wrap()
    del envelope[key]
    with pytest.raises(CaliperInvalid, match=f"^{key}: is required"):
        check_envelope(envelope)


def test_a_body_that_is_not_an_object_is_invalid() -> None:
    with pytest.raises(CaliperInvalid, match="Envelope"):
        check_envelope([])


def test_an_unknown_data_version_is_unsupported_not_invalid() -> None:
    with pytest.raises(CaliperUnsupportedVersion, match="v9"):
        check_envelope(wrap(version="http://purl.imsglobal.org/ctx/caliper/v9"))


def test_a_caliper_1_1_envelope_is_accepted() -> None:
    event = load_json(CALIPER_V1P2 / "caliperEventGradeGraded.json")
    event["@context"] = CONTEXT_V1P1
    del event["profile"]  # 1.1 had no profile property
    check_envelope(wrap(event, version=CONTEXT_V1P1))


def test_a_context_array_must_name_caliper() -> None:
    event = load_json(CALIPER_V1P2 / "caliperEventViewViewedDocument.json")
    event["@context"] = [{"query": "http://schema.org/query"}, CONTEXT_V1P2]
    check_envelope(wrap(event))
    event["@context"] = ["http://example.com/other"]
    with pytest.raises(CaliperInvalid, match=r"data\[0\]\.@context"):
        check_envelope(wrap(event))


def test_an_event_id_must_be_a_uuid_urn() -> None:
    event = load_json(CALIPER_V1P2 / "caliperEventViewViewedDocument.json")
    event["id"] = "https://example.edu/events/1"
    with pytest.raises(CaliperInvalid, match=r"data\[0\]\.id: must be a UUID URN"):
        check_envelope(wrap(event))


def test_event_time_needs_milliseconds() -> None:
    event = load_json(CALIPER_V1P2 / "caliperEventViewViewedDocument.json")
    event["eventTime"] = "2016-11-15T10:15:00Z"
    with pytest.raises(CaliperInvalid, match=r"data\[0\]\.eventTime: .*milliseconds"):
        check_envelope(wrap(event))


def test_the_second_bad_item_is_named_by_its_index() -> None:
    good = load_json(CALIPER_V1P2 / "caliperEventViewViewedDocument.json")
    bad = dict(good, action="Graded")
    with pytest.raises(CaliperInvalid) as caught:
        check_envelope(wrap(good, bad))
    assert caught.value.path == "data[1].action"
    assert "ViewEvent" in str(caught.value)


ODD_VALUES = (None, {}, [], [{}], [None], 1, 1.5, True, "", "x y", {"type": 1}, [[]])


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path inside a JSON value."""
    found: list[tuple[Any, ...]] = []
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else []
    )
    for key, child in children:
        found.append((*prefix, key))
        found.extend(_paths(child, (*prefix, key)))
    return found


@pytest.mark.parametrize(
    "name",
    [
        "caliperEventGradeGraded.json",
        "caliperEventToolLaunchLaunched.json",
        "caliperEntityAggregateMeasureCollection.json",
        "caliperEntityMembership.json",
    ],
)
def test_any_value_anywhere_is_a_400_never_a_crash(name: str) -> None:
    fixture = load_json(CALIPER_V1P2 / name)
    for path in _paths(fixture):
        for odd in ODD_VALUES:
            item = json.loads(json.dumps(fixture))
            parent = item
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = odd
            try:
                check_envelope(wrap(item))
            except CaliperInvalid as exc:
                assert exc.path.startswith("data[0]")


def test_a_date_that_does_not_exist_is_invalid() -> None:
    event = load_json(CALIPER_V1P2 / "caliperEventViewViewedDocument.json")
    event["eventTime"] = "2023-02-29T10:15:00.000Z"
    with pytest.raises(CaliperInvalid, match=r"data\[0\]\.eventTime"):
        check_envelope(wrap(event))
