from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from gateway.ids import uuid5


@given(st.uuids(), st.text())
def test_same_as_the_standard_library(namespace: uuid.UUID, name: str) -> None:
    assert uuid5(namespace, name) == str(uuid.uuid5(namespace, name))
