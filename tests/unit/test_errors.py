from __future__ import annotations

import gateway.errors as errors
from gateway.errors import InvalidPayload, TesseraError


def _subclasses(cls: type[TesseraError]) -> list[type[TesseraError]]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


def test_problem_details_carry_type_title_status_detail() -> None:
    err = InvalidPayload("The 'actor' field is required.", extra={"field": "actor"})
    assert err.to_problem("/xapi/statements") == {
        "type": "urn:tessera:problem:invalid-payload",
        "title": "Invalid request",
        "status": 400,
        "detail": "The 'actor' field is required.",
        "instance": "/xapi/statements",
        "field": "actor",
    }


def test_every_kind_has_its_own_slug_and_an_http_status() -> None:
    kinds = _subclasses(TesseraError)
    slugs = [k.slug for k in kinds]
    assert len(slugs) == len(set(slugs))
    for kind in kinds:
        assert 400 <= kind.status <= 599 or kind is errors.ConfigError


def test_module_docstring_draws_the_whole_tree() -> None:
    doc = errors.__doc__ or ""
    for kind in _subclasses(TesseraError):
        assert kind.__name__ in doc
