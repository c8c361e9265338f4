"""The standard CSV adapter: a vendor's score export, one row per learner and activity.

:func:`read_csv_export` turns the uploaded text into rows (header row required; the delimiter is
configured or sniffed among ``, ; tab |``; a UTF-8 byte order mark is dropped); the vendor's
``[csv]`` settings map columns to meaning; :class:`CsvAdapter` reads one row.

A score cell may be a number (``85``, ``85.5``, ``85,5``), a percentage (``85%``: read on 0..100
whatever the scale), a level label (when ``score.levels`` is set) or, on the ``pass_fail`` scale,
``pass``/``fail`` (also ``p``/``f``, ``yes``/``no``, ``true``/``false``, ``1``/``0``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from adapters.inbound.scoring import (
    finish_refs,
    normalize_score,
    parse_timestamp,
    unique,
)
from adapters.inbound.settings import ScoreSettings, VendorSettings, apply_rewrites
from gateway.errors import InvalidPayload, PayloadTooLarge
from gateway.intake.model import AdapterRejected, LearnerRef, Observation

SNIFF_DELIMITERS = ",;\t|"
PASS_WORDS = {"pass", "passed", "p", "yes", "y", "true", "1"}
FAIL_WORDS = {"fail", "failed", "f", "no", "n", "false", "0"}
NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
HINT_SEPARATORS = re.compile(r"[;|,\s]+")


def _delimiter(text: str, configured: str | None) -> str:
    if configured:
        return configured
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=SNIFF_DELIMITERS).delimiter
    except csv.Error:
        return ","


def read_csv_export(text: str, settings: VendorSettings) -> list[dict[str, str]]:
    """The rows of a CSV export as ``{column: cell}``, checked against the column mapping."""
    limits = settings.csv
    if len(text.encode("utf-8")) > limits.max_bytes:
        raise PayloadTooLarge(
            f"The CSV export is larger than {limits.max_bytes} bytes (csv.max_bytes); "
            "split it into smaller files."
        )
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InvalidPayload("The CSV export is empty; it needs a header row.")
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=_delimiter(text, limits.delimiter),
        strict=True,
    )
    try:
        header = [name.strip() for name in next(reader)]
        if any(not name for name in header):
            raise InvalidPayload("The CSV header row has an empty column name.")
        duplicates = sorted({n for n in header if header.count(n) > 1})
        if duplicates:
            raise InvalidPayload(
                "The CSV header row names a column more than once: "
                + ", ".join(duplicates)
                + "."
            )
        missing = [c for c in limits.mapped_columns() if c not in header]
        if missing:
            raise InvalidPayload(
                "The CSV export lacks the mapped column(s) "
                + ", ".join(repr(c) for c in missing)
                + "; its header has "
                + ", ".join(repr(c) for c in header)
                + "."
            )
        rows: list[dict[str, str]] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= limits.max_rows:
                raise PayloadTooLarge(
                    f"The CSV export has more than {limits.max_rows} rows (csv.max_rows)."
                )
            if len(cells) > len(header):
                raise InvalidPayload(
                    f"Line {reader.line_num} of the CSV export has {len(cells)} cells but the "
                    f"header has {len(header)} columns."
                )
            cells += [""] * (len(header) - len(cells))
            rows.append(
                {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
            )
    except csv.Error as exc:
        raise InvalidPayload(
            f"Line {reader.line_num} of the CSV export cannot be read: {exc}."
        ) from None
    return rows


def _cell(row: Mapping[str, Any], column: str | None) -> str | None:
    if column is None:
        return None
    value = row.get(column)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _parse_date(value: str, fmt: str) -> datetime:
    if fmt == "iso":
        found = parse_timestamp(value, "date")
        if found is None:
            raise AdapterRejected("The date cell is empty.")
        return found
    try:
        moment = datetime.strptime(value, fmt)
    except ValueError:
        raise AdapterRejected(
            f"The date {value!r} does not match the vendor's format {fmt!r}."
        ) from None
    return (
        moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    )


def _read_score_cell(
    cell: str | None, scale: ScoreSettings
) -> tuple[float | None, bool, str | None, bool | None]:
    """(number, is_percent, level label, success) read from a score cell."""
    if cell is None:
        return None, False, None, None
    text = cell.strip()
    word = text.casefold()
    if scale.scale == "pass_fail" and word in PASS_WORDS | FAIL_WORDS:
        return None, False, None, word in PASS_WORDS
    percent = text.endswith("%")
    number_text = text.rstrip("%").strip()
    if NUMBER.match(number_text):
        return float(number_text.replace(",", ".")), percent, None, None
    if scale.levels:
        return None, False, text, None
    raise AdapterRejected(f"The score {cell!r} is not a number.")


class CsvAdapter:
    """Reads the observation in one row of a vendor's CSV export."""

    can_void = False  # the protocol has no way to retract an earlier payload

    def observe(
        self, payload: Mapping[str, Any], settings: VendorSettings
    ) -> list[Observation]:
        """The row's observation (one learner, one activity)."""
        mapping = settings.csv
        refs = []
        for column, kind in mapping.learner_columns:
            value = _cell(payload, column)
            if value is None:
                continue
            if kind == "email":
                value = value.removeprefix("mailto:").lower()
            elif kind == "vendor":
                value = f"{settings.vendor_name}|{value}"
            refs.append(LearnerRef(kind, value))
        learner = finish_refs(settings, refs)
        if not learner:
            columns = ", ".join(repr(c) for c, _ in mapping.learner_columns)
            raise AdapterRejected(f"The row has no learner id in column(s) {columns}.")
        activity = _cell(payload, mapping.activity_column)
        if activity is None:
            raise AdapterRejected(
                f"The row has no activity id in column {mapping.activity_column!r}."
            )
        activity_id = apply_rewrites(settings.activity_rewrite, activity)

        number, percent, label, success = _read_score_cell(
            _cell(payload, mapping.score_column), settings.score
        )
        level_cell = _cell(payload, mapping.level_column)
        label = level_cell or label
        max_cell = _cell(payload, mapping.max_column)
        max_score = None
        if percent:
            max_score = 100.0
        elif max_cell is not None:
            if not NUMBER.match(max_cell):
                raise AdapterRejected(f"The max score {max_cell!r} is not a number.")
            max_score = float(max_cell.replace(",", "."))
            if max_score <= 0:
                raise AdapterRejected(
                    f"The max score {max_cell!r} must be greater than 0."
                )
        normalized = normalize_score(
            settings.score,
            raw=number,
            min_score=0.0 if percent else None,
            max_score=max_score,
            level_label=label,
            success=success,
        )
        if (
            normalized.score is None
            and number is None
            and label is None
            and success is None
        ):
            return []  # a row without any result (e.g. not attempted)

        date = _cell(payload, mapping.date_column)
        hints_cell = _cell(payload, mapping.competency_column)
        hints = [h for h in HINT_SEPARATORS.split(hints_cell or "") if h]
        return [
            Observation(
                learner=learner,
                activity_id=activity_id,
                observed_at=_parse_date(date, mapping.date_format) if date else None,
                score=normalized.score,
                raw_score=normalized.raw,
                min_score=normalized.min,
                max_score=normalized.max,
                success=success,
                level_label=normalized.level_label,
                kind=settings.evidence.kind_for(activity_id),
                dok=settings.evidence.dok,
                weight=settings.evidence.weight,
                hints=unique(hints),
                learner_name=_cell(payload, mapping.name_column),
            )
        ]

    def voids(self, payload: Mapping[str, Any]) -> str | None:
        """A CSV row retracts nothing."""
        return None
