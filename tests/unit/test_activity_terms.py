"""What the activity timeline reads out of a raw record body."""

from __future__ import annotations

import json

import pytest

from gateway.intake.queries import _event_terms


@pytest.mark.parametrize(
    ("body", "terms"),
    [
        (
            json.dumps({"type": "ViewEvent", "action": "Viewed"}),
            ("ViewEvent", "Viewed"),
        ),
        (
            json.dumps(
                {
                    "@type": "http://purl.imsglobal.org/caliper/v1/OutcomeEvent",
                    "action": "http://purl.imsglobal.org/vocab/caliper/v1/action#Graded",
                }
            ),
            ("OutcomeEvent", "Graded"),
        ),
        (
            json.dumps({"verb": {"id": "http://adlnet.gov/expapi/verbs/scored"}}),
            ("Statement", "http://adlnet.gov/expapi/verbs/scored"),
        ),
        ("S-100;ada@school.test;essay-1;3;4", (None, None)),
        ("[1, 2]", (None, None)),
    ],
)
def test_event_type_and_action_of_a_body(
    body: str, terms: tuple[str | None, str | None]
) -> None:
    assert _event_terms(body) == terms
