"""xAPI Learning Record Store core: pure statement validation and normalization.

No Flask, no database: the LRS blueprint parses the request, calls
:func:`validate_statements`, and stores what it returns.
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
    "validate_statement",
    "validate_statements",
]
