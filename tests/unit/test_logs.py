from __future__ import annotations

import json
import logging

from gateway.logs import (
    JsonFormatter,
    TextFormatter,
    bind_request_id,
    current_request_id,
    unbind_request_id,
)


def _record(msg: str, **extra: object) -> logging.LogRecord:
    record = logging.makeLogRecord(
        {"name": "gateway.test", "levelname": "INFO", "msg": msg}
    )
    record.__dict__.update(extra)
    return record


def test_a_valid_incoming_request_id_is_kept() -> None:
    rid, token = bind_request_id("lb-1234.abc")
    try:
        assert rid == "lb-1234.abc" == current_request_id()
    finally:
        unbind_request_id(token)
    assert current_request_id() == "-"


def test_a_hostile_request_id_is_replaced() -> None:
    for bad in ["", "x" * 129, "a b", "id\nINFO forged line"]:
        rid, token = bind_request_id(bad)
        unbind_request_id(token)
        assert rid != bad and len(rid) == 32


def test_json_lines_carry_request_id_and_extras() -> None:
    line = JsonFormatter().format(_record("GET / 200", request_id="r1", status=200))
    entry = json.loads(line)
    assert entry["request_id"] == "r1"
    assert entry["message"] == "GET / 200"
    assert entry["status"] == 200
    assert entry["level"] == "INFO" and entry["logger"] == "gateway.test"


def test_text_lines_carry_request_id() -> None:
    line = TextFormatter().format(_record("hello", request_id="r2"))
    assert "[r2] gateway.test: hello" in line


def test_request_log_paths_keep_only_the_start_of_a_launch_id() -> None:
    from gateway.app import loggable_path

    assert loggable_path("/lti/view/j2oy6lPcghEmtjOBZw/learners/x") == (
        "/lti/view/j2oy6l…/learners/x"
    )
    assert loggable_path("/admin/l/abcdefghijk/vendors") == "/admin/l/abcdef…/vendors"
    assert loggable_path("/xapi/statements") == "/xapi/statements"
