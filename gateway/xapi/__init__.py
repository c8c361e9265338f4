"""xAPI Learning Record Store: statement validation, the Statement Resource and its blueprint.

:mod:`gateway.xapi.validation` is pure (no Flask, no database); :mod:`gateway.xapi.statements`
stores, voids and queries statements; :mod:`gateway.xapi.documents` stores the State, Activity
Profile and Agent Profile documents; :mod:`gateway.xapi.views` is the ``/xapi`` blueprint that
parses each request, calls :func:`validate_statements`, and stores what it returns.
"""

from __future__ import annotations

from gateway.xapi.validation import (
    DEFAULT_LIMITS,
    SUPPORTED_VERSIONS,
    ValidationLimits,
    check_attachment_parts,
    check_put_id,
    complete_statement,
    format_timestamp,
    validate_agent,
    validate_statement,
    validate_statements,
)

__all__ = [
    "DEFAULT_LIMITS",
    "SUPPORTED_VERSIONS",
    "ValidationLimits",
    "check_attachment_parts",
    "check_put_id",
    "complete_statement",
    "format_timestamp",
    "validate_agent",
    "validate_statement",
    "validate_statements",
]
