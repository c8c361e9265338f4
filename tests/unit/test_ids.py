from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from gateway.ids import uuid5


@given(st.uuids(), st.text())
def test_same_as_the_standard_library(namespace: uuid.UUID, name: str) -> None:
    assert uuid5(namespace, name) == str(uuid.uuid5(namespace, name))


def test_context_ids_are_uuid5_of_source_and_key() -> None:
    import uuid as uuid_module

    from gateway.ids import context_id

    key = "https://lms.example|c1|d1|course-1"
    expected = uuid_module.uuid5(
        uuid_module.UUID("0d3c2b8e-7f4a-4c55-9a61-5b2f1e9d8c70"), f"lti|{key}"
    )
    assert context_id("lti", key) == str(expected)
