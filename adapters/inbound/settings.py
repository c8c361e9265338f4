"""Per-vendor adapter settings: data, not code (how scores scale, where ids are, ...).

A vendor's settings come from a TOML file in ``config/vendors/`` or from the admin API as JSON.
Both arrive here as a mapping and are checked once by :func:`parse_vendor_settings`; every
mistake raises :class:`~gateway.errors.InvalidPayload` with a sentence naming the key and the
accepted values. An empty mapping is valid and means "standard xAPI / Caliper": scores as the
payload defines them, no extra identity rule, no rewriting. The sections::

    adapter = "standard"           # or the name of a plug-in (entry point)
    protocol = "xapi"              # xapi | caliper | csv (optional; documents intent)

    [score]     scale, points_min, points_max, levels, pass_value, fail_value,
                negative, level_extension
    [learner]   group, identity {source, kind, home_page, identifier_type, pattern}, rewrite[]
    [activity]  rewrite[]          # [{pattern, replacement}], applied in order
    [evidence]  kind, dok, weight, kind_by_activity[] {pattern, kind},
                kind_by_verb {xAPI verb IRI or Caliper event type: kind}
    [filter]    verbs, ignore_verbs, event_types, ignore_activity_types
    [hints]     prefixes, extension_keys, trust
    [csv]       delimiter, learner_columns {column: kind}, activity_column, score_column,
                max_column, date_column, date_format, level_column, competency_column,
                name_column, max_bytes, max_rows

Competency trust is not here: alignment decides whether to believe a payload's hints.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gateway.errors import InvalidPayload
from gateway.intake.model import EVIDENCE_KINDS, LEARNER_ID_KINDS

PROTOCOLS = ("xapi", "caliper", "csv")

# How a payload's number becomes 0..1 when the payload itself does not say (see scoring.py).
SCALES = ("auto", "scaled", "percent", "points", "levels", "pass_fail")

# Where the vendor's identity rule reads the extra identifier from.
IDENTITY_SOURCES = (
    "account_name",  # xAPI actor.account.name (optionally only for one homePage)
    "email",  # xAPI actor.mbox address
    "openid",  # xAPI actor.openid
    "actor_id",  # Caliper learner IRI (use `pattern` to cut the id out of it)
    "other_identifier",  # Caliper 1.2 Person.otherIdentifiers[identifierType]
)
IDENTITY_KINDS = ("sis", "vendor")

ADL = "http://adlnet.gov/expapi/verbs/"
ADL_W3ID = "https://w3id.org/xapi/adl/verbs/"

# Verbs that never carry evidence: session lifecycle (cmi5 §9.3: launched, initialized,
# terminated, abandoned, waived, satisfied), SCORM suspend/resume, and voiding (handled by
# `voids`, not as an observation).
DEFAULT_IGNORED_VERBS = frozenset(
    {
        ADL + "initialized",
        ADL + "launched",
        ADL + "terminated",
        ADL + "suspended",
        ADL + "resumed",
        ADL + "voided",
        ADL_W3ID + "abandoned",
        ADL_W3ID + "waived",
        ADL_W3ID + "satisfied",
    }
)

# Caliper event types read by default (caliper.md §5): grades, and assessment submissions.
# AssessmentItemEvent (one per item, never a score) is opt-in.
DEFAULT_EVENT_TYPES = frozenset({"GradeEvent", "OutcomeEvent", "AssessmentEvent"})

# xAPI Video Profile: `completed` there is engagement, not proficiency (xapi.md §12).
DEFAULT_IGNORED_ACTIVITY_TYPES = frozenset(
    {"https://w3id.org/xapi/video/activity-type/video"}
)


@dataclass(frozen=True, slots=True)
class RewriteRule:
    """A regex substitution applied to an id (``re.sub`` semantics, all occurrences)."""

    pattern: re.Pattern[str]
    replacement: str
    kinds: tuple[str, ...] = ()  # learner-id kinds it applies to; empty: every kind

    def apply(self, value: str, kind: str | None = None) -> str:
        """``value`` rewritten, when the rule applies to ``kind``."""
        if kind is not None and self.kinds and kind not in self.kinds:
            return value
        return self.pattern.sub(self.replacement, value)


def apply_rewrites(
    rules: Iterable[RewriteRule], value: str, kind: str | None = None
) -> str:
    """``value`` passed through every rule in order."""
    for rule in rules:
        value = rule.apply(value, kind)
    return value


@dataclass(frozen=True, slots=True)
class ScoreSettings:
    """How the vendor's numbers become 0..1 when the payload does not say."""

    scale: str = "auto"
    points_min: float = 0.0
    points_max: float | None = None
    levels: tuple[tuple[str, float], ...] = ()
    pass_value: float = 1.0
    fail_value: float = 0.0
    negative: str = "clamp"  # xAPI scaled < 0: "clamp" to 0 (xapi.md §12) or "reject"
    level_extension: str | None = (
        None  # extension key holding a level label (xAPI/Caliper)
    )

    def level_value(self, label: str) -> float | None:
        """The value of a level label (exact, then case-insensitive), or ``None``."""
        for name, value in self.levels:
            if name == label:
                return value
        folded = label.strip().casefold()
        for name, value in self.levels:
            if name.casefold() == folded:
                return value
        return None


@dataclass(frozen=True, slots=True)
class IdentityRule:
    """The vendor's rule for one extra learner identifier (a SIS id or a vendor id)."""

    source: str
    kind: str = "sis"
    home_page: str | None = None
    identifier_type: str | None = None
    pattern: re.Pattern[str] | None = None

    def extract(self, value: str) -> str | None:
        """The id cut out of ``value`` by ``pattern`` (group 1 if any), or ``value`` itself."""
        if self.pattern is None:
            return value or None
        match = self.pattern.search(value)
        if match is None:
            return None
        found = match.group(1) if self.pattern.groups else match.group(0)
        return found or None


@dataclass(frozen=True, slots=True)
class LearnerSettings:
    """Where learners are and how their ids are rewritten."""

    identity: IdentityRule | None = None
    group: str = "skip"  # xAPI Group actors: "skip" or credit each of the "members"
    rewrite: tuple[RewriteRule, ...] = ()


@dataclass(frozen=True, slots=True)
class KindRule:
    """Activities whose id matches ``pattern`` (``re.search``) are of evidence ``kind``."""

    pattern: re.Pattern[str]
    kind: str


@dataclass(frozen=True, slots=True)
class EvidenceSettings:
    """Defaults that alignment may refine: evidence kind, depth of knowledge, weight."""

    kind: str | None = None
    dok: int | None = None
    weight: float | None = None
    kind_by_activity: tuple[KindRule, ...] = ()
    kind_by_verb: tuple[tuple[str, str], ...] = ()

    def kind_for(self, activity_id: str, verb: str | None = None) -> str | None:
        """The evidence kind: first matching activity pattern, then verb, then default."""
        for rule in self.kind_by_activity:
            if rule.pattern.search(activity_id):
                return rule.kind
        if verb is not None:
            for name, kind in self.kind_by_verb:
                if name == verb:
                    return kind
        return self.kind


@dataclass(frozen=True, slots=True)
class FilterSettings:
    """Which verbs (xAPI) and event types (Caliper) count."""

    verbs: frozenset[str] = frozenset()  # empty: every verb not ignored
    ignore_verbs: frozenset[str] = DEFAULT_IGNORED_VERBS
    event_types: frozenset[str] = DEFAULT_EVENT_TYPES
    ignore_activity_types: frozenset[str] = DEFAULT_IGNORED_ACTIVITY_TYPES

    def counts_verb(self, verb: str) -> bool:
        """Whether statements with this verb IRI may make an observation."""
        if verb in self.ignore_verbs:
            return False
        return not self.verbs or verb in self.verbs


@dataclass(frozen=True, slots=True)
class HintSettings:
    """Where competency hints (CASE item URIs or identifiers) are found in payloads."""

    prefixes: tuple[str, ...] = ()
    extension_keys: tuple[str, ...] = ()
    # Whether alignment may use the hints as alignments (an admin's rule always wins).
    trust: bool = True

    def is_case_uri(self, value: str) -> bool:
        """A CASE item URI: contains ``/CFItems/`` (CASE 1.0 §6) or starts with a prefix."""
        return "/CFItems/" in value or any(value.startswith(p) for p in self.prefixes)


@dataclass(frozen=True, slots=True)
class CsvSettings:
    """Column mapping of a vendor's CSV export."""

    delimiter: str | None = None  # None: sniff among , ; tab |
    learner_columns: tuple[tuple[str, str], ...] = (("learner_id", "vendor"),)
    activity_column: str = "activity_id"
    score_column: str | None = "score"
    max_column: str | None = None
    date_column: str | None = None
    date_format: str = "iso"  # "iso" or a strptime format
    level_column: str | None = None
    competency_column: str | None = None
    name_column: str | None = None
    max_bytes: int = 10_000_000
    max_rows: int = 100_000

    def mapped_columns(self) -> tuple[str, ...]:
        """Every column name the mapping uses."""
        optional = (
            self.score_column,
            self.max_column,
            self.date_column,
            self.level_column,
            self.competency_column,
            self.name_column,
        )
        named = [c for c, _ in self.learner_columns]
        named.append(self.activity_column)
        named.extend(c for c in optional if c)
        return tuple(named)


@dataclass(frozen=True, slots=True)
class VendorSettings:
    """A vendor's parsed adapter settings."""

    vendor_name: str
    adapter: str = "standard"
    protocol: str | None = None
    score: ScoreSettings = field(default_factory=ScoreSettings)
    learner: LearnerSettings = field(default_factory=LearnerSettings)
    activity_rewrite: tuple[RewriteRule, ...] = ()
    evidence: EvidenceSettings = field(default_factory=EvidenceSettings)
    filter: FilterSettings = field(default_factory=FilterSettings)
    hints: HintSettings = field(default_factory=HintSettings)
    csv: CsvSettings = field(default_factory=CsvSettings)


# -- parsing ---------------------------------------------------------------------------------


def _choices(values: Iterable[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


class _Section:
    """Reads one table of the settings, naming ``path.key`` in every error."""

    def __init__(self, data: Any, path: str, allowed: Iterable[str]) -> None:
        where = f"'{path}'" if path else "the vendor settings"
        if not isinstance(data, Mapping):
            raise InvalidPayload(f"{where} must be a table (a JSON object).")
        allowed = tuple(allowed)
        unknown = sorted(str(k) for k in data if k not in allowed)
        if unknown:
            raise InvalidPayload(
                f"Unknown key {self._name(path, unknown[0])!r} in {where}; "
                f"accepted keys: {_choices(allowed)}."
            )
        self.data = data
        self.path = path

    @staticmethod
    def _name(path: str, key: str) -> str:
        return f"{path}.{key}" if path else key

    def name(self, key: str) -> str:
        return self._name(self.path, key)

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def string(self, key: str, default: str | None = None) -> str | None:
        if not self.has(key):
            return default
        value = self.data[key]
        if not isinstance(value, str):
            raise InvalidPayload(f"'{self.name(key)}' must be a string.")
        return value

    def required_string(self, key: str) -> str:
        value = self.string(key)
        if not value:
            raise InvalidPayload(
                f"'{self.name(key)}' is required and must be a string."
            )
        return value

    def choice(self, key: str, choices: Iterable[str], default: str) -> str:
        choices = tuple(choices)
        value = self.string(key, default)
        if value not in choices:
            raise InvalidPayload(
                f"'{self.name(key)}' must be one of {_choices(choices)}, not {value!r}."
            )
        return value

    def boolean(self, key: str, default: bool) -> bool:
        if not self.has(key):
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            raise InvalidPayload(f"'{self.name(key)}' must be true or false.")
        return value

    def number(self, key: str, default: float | None = None) -> float | None:
        if not self.has(key):
            return default
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidPayload(f"'{self.name(key)}' must be a number.")
        if not math.isfinite(value):
            raise InvalidPayload(f"'{self.name(key)}' must be a finite number.")
        return float(value)

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.data.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not low <= value <= high
        ):
            raise InvalidPayload(
                f"'{self.name(key)}' must be a whole number from {low} to {high}."
            )
        return value

    def strings(self, key: str) -> tuple[str, ...] | None:
        if not self.has(key):
            return None
        value = self.data[key]
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise InvalidPayload(f"'{self.name(key)}' must be a list of strings.")
        if not all(isinstance(v, str) and v for v in value):
            raise InvalidPayload(
                f"'{self.name(key)}' must be a list of non-empty strings."
            )
        return tuple(value)

    def table(self, key: str, allowed: Iterable[str]) -> _Section:
        return _Section(self.data.get(key, {}), self.name(key), allowed)

    def mapping(self, key: str) -> Mapping[str, Any]:
        value = self.data.get(key, {})
        if not isinstance(value, Mapping):
            raise InvalidPayload(f"'{self.name(key)}' must be a table (a JSON object).")
        return value

    def tables(self, key: str) -> list[Any]:
        value = self.data.get(key, [])
        if not isinstance(value, list | tuple):
            raise InvalidPayload(f"'{self.name(key)}' must be a list of tables.")
        return list(value)


def _regex(value: str, name: str) -> re.Pattern[str]:
    try:
        return re.compile(value)
    except re.error as exc:
        raise InvalidPayload(
            f"'{name}' is not a valid regular expression: {exc}."
        ) from None


def _rewrite_rules(
    section: _Section, key: str, *, with_kinds: bool
) -> tuple[RewriteRule, ...]:
    rules = []
    allowed = (
        ("pattern", "replacement", "kinds")
        if with_kinds
        else ("pattern", "replacement")
    )
    for i, item in enumerate(section.tables(key)):
        rule = _Section(item, f"{section.name(key)}[{i}]", allowed)
        pattern = _regex(rule.required_string("pattern"), rule.name("pattern"))
        replacement = rule.string("replacement", "") or ""
        try:
            pattern.sub(replacement, "")
        except (re.error, IndexError) as exc:
            raise InvalidPayload(
                f"'{rule.name('replacement')}' does not fit its pattern: {exc}."
            ) from None
        kinds = rule.strings("kinds") or ()
        for kind in kinds:
            if kind not in LEARNER_ID_KINDS:
                raise InvalidPayload(
                    f"'{rule.name('kinds')}' may hold only {_choices(LEARNER_ID_KINDS)}, "
                    f"not {kind!r}."
                )
        rules.append(RewriteRule(pattern, replacement, kinds))
    return tuple(rules)


def _unit_value(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidPayload(f"'{name}' must be a number from 0 to 1.")
    if not 0.0 <= value <= 1.0:
        raise InvalidPayload(f"'{name}' must be a number from 0 to 1, not {value}.")
    return float(value)


def _parse_score(root: _Section) -> ScoreSettings:
    s = root.table(
        "score",
        (
            "scale",
            "points_min",
            "points_max",
            "levels",
            "pass_value",
            "fail_value",
            "negative",
            "level_extension",
        ),
    )
    scale = s.choice("scale", SCALES, "auto")
    points_min = s.number("points_min") or 0.0
    points_max = s.number("points_max")
    if points_max is not None and points_max <= points_min:
        raise InvalidPayload(
            f"'{s.name('points_max')}' must be greater than 'score.points_min' ({points_min})."
        )
    levels = tuple(
        (str(label), _unit_value(value, f"{s.name('levels')}.{label}"))
        for label, value in s.mapping("levels").items()
    )
    if scale == "levels" and not levels:
        raise InvalidPayload(
            "'score.levels' must map each level label to a value from 0 to 1 when "
            "'score.scale' is \"levels\", e.g. {Mastered = 1.0, Proficient = 0.75}."
        )
    pass_value = _unit_value(s.data.get("pass_value", 1.0), s.name("pass_value"))
    fail_value = _unit_value(s.data.get("fail_value", 0.0), s.name("fail_value"))
    return ScoreSettings(
        scale=scale,
        points_min=points_min,
        points_max=points_max,
        levels=levels,
        pass_value=pass_value,
        fail_value=fail_value,
        negative=s.choice("negative", ("clamp", "reject"), "clamp"),
        level_extension=s.string("level_extension"),
    )


def _parse_learner(root: _Section) -> LearnerSettings:
    s = root.table("learner", ("identity", "group", "rewrite"))
    identity = None
    if s.has("identity"):
        i = s.table(
            "identity", ("source", "kind", "home_page", "identifier_type", "pattern")
        )
        if not i.has("source"):
            raise InvalidPayload(
                f"'{i.name('source')}' is required; accepted values: "
                f"{_choices(IDENTITY_SOURCES)}."
            )
        source = i.choice("source", IDENTITY_SOURCES, "")
        pattern = i.string("pattern")
        identifier_type = i.string("identifier_type")
        if source == "other_identifier" and not identifier_type:
            raise InvalidPayload(
                f"'{i.name('identifier_type')}' is required when the source is "
                '"other_identifier" (a Caliper SystemIdentifier type, e.g. "SisSourcedId").'
            )
        identity = IdentityRule(
            source=source,
            kind=i.choice("kind", IDENTITY_KINDS, "sis"),
            home_page=i.string("home_page"),
            identifier_type=identifier_type,
            pattern=_regex(pattern, i.name("pattern")) if pattern else None,
        )
    return LearnerSettings(
        identity=identity,
        group=s.choice("group", ("skip", "members"), "skip"),
        rewrite=_rewrite_rules(s, "rewrite", with_kinds=True),
    )


def _parse_evidence(root: _Section) -> EvidenceSettings:
    s = root.table(
        "evidence", ("kind", "dok", "weight", "kind_by_activity", "kind_by_verb")
    )

    def kind_of(value: Any, name: str) -> str:
        if value not in EVIDENCE_KINDS:
            raise InvalidPayload(
                f"'{name}' must be one of {_choices(EVIDENCE_KINDS)}, not {value!r}."
            )
        return str(value)

    kind = kind_of(s.data["kind"], s.name("kind")) if s.has("kind") else None
    dok = s.integer("dok", 0, 1, 4) if s.has("dok") else None
    weight = s.number("weight")
    if weight is not None and weight < 0:
        raise InvalidPayload(
            f"'{s.name('weight')}' must be zero or more, not {weight}."
        )
    by_activity = []
    for n, item in enumerate(s.tables("kind_by_activity")):
        rule = _Section(item, f"{s.name('kind_by_activity')}[{n}]", ("pattern", "kind"))
        by_activity.append(
            KindRule(
                _regex(rule.required_string("pattern"), rule.name("pattern")),
                kind_of(rule.data.get("kind"), rule.name("kind")),
            )
        )
    by_verb = tuple(
        (str(verb), kind_of(value, f"{s.name('kind_by_verb')}.{verb}"))
        for verb, value in s.mapping("kind_by_verb").items()
    )
    return EvidenceSettings(kind, dok, weight, tuple(by_activity), by_verb)


def _parse_filter(root: _Section) -> FilterSettings:
    s = root.table(
        "filter", ("verbs", "ignore_verbs", "event_types", "ignore_activity_types")
    )
    verbs = s.strings("verbs")
    ignore = s.strings("ignore_verbs")
    types = s.strings("event_types")
    ignore_types = s.strings("ignore_activity_types")
    return FilterSettings(
        verbs=frozenset(verbs or ()),
        ignore_verbs=DEFAULT_IGNORED_VERBS if ignore is None else frozenset(ignore),
        event_types=DEFAULT_EVENT_TYPES if types is None else frozenset(types),
        ignore_activity_types=(
            DEFAULT_IGNORED_ACTIVITY_TYPES
            if ignore_types is None
            else frozenset(ignore_types)
        ),
    )


def _parse_csv(root: _Section) -> CsvSettings:
    s = root.table(
        "csv",
        (
            "delimiter",
            "learner_columns",
            "activity_column",
            "score_column",
            "max_column",
            "date_column",
            "date_format",
            "level_column",
            "competency_column",
            "name_column",
            "max_bytes",
            "max_rows",
        ),
    )
    defaults = CsvSettings()
    delimiter = s.string("delimiter")
    if delimiter is not None and len(delimiter) != 1:
        raise InvalidPayload(
            f'\'{s.name("delimiter")}\' must be a single character such as "," or ";".'
        )
    learner_columns = defaults.learner_columns
    if s.has("learner_columns"):
        columns = []
        for column, kind in s.mapping("learner_columns").items():
            if kind not in LEARNER_ID_KINDS:
                raise InvalidPayload(
                    f"'{s.name('learner_columns')}.{column}' must be one of "
                    f"{_choices(LEARNER_ID_KINDS)}, not {kind!r}."
                )
            columns.append((str(column), str(kind)))
        if not columns:
            raise InvalidPayload(
                f"'{s.name('learner_columns')}' must name at least one column, "
                'e.g. {student_id = "sis"}.'
            )
        learner_columns = tuple(columns)
    date_format = s.string("date_format", "iso") or "iso"
    if date_format != "iso" and "%" not in date_format:
        raise InvalidPayload(
            f"'{s.name('date_format')}' must be \"iso\" or a strptime format such as "
            '"%m/%d/%Y".'
        )
    return CsvSettings(
        delimiter=delimiter,
        learner_columns=learner_columns,
        activity_column=s.string("activity_column", defaults.activity_column)
        or defaults.activity_column,
        score_column=s.string("score_column", defaults.score_column) or None,
        max_column=s.string("max_column") or None,
        date_column=s.string("date_column") or None,
        date_format=date_format,
        level_column=s.string("level_column") or None,
        competency_column=s.string("competency_column") or None,
        name_column=s.string("name_column") or None,
        max_bytes=s.integer("max_bytes", defaults.max_bytes, 1, 1_000_000_000),
        max_rows=s.integer("max_rows", defaults.max_rows, 1, 10_000_000),
    )


def parse_vendor_settings(
    data: Mapping[str, Any], *, vendor_name: str
) -> VendorSettings:
    """Validate a vendor's settings mapping (TOML or API JSON)."""
    if not vendor_name or "|" in vendor_name:
        raise InvalidPayload(
            f"The vendor name {vendor_name!r} must be non-empty and must not contain '|'."
        )
    root = _Section(
        data,
        "",
        (
            "adapter",
            "protocol",
            "score",
            "learner",
            "activity",
            "evidence",
            "filter",
            "hints",
            "csv",
        ),
    )
    protocol = root.choice("protocol", (*PROTOCOLS, ""), "") or None
    activity = root.table("activity", ("rewrite",))
    hints = root.table("hints", ("prefixes", "extension_keys", "trust"))
    score = _parse_score(root)
    return VendorSettings(
        vendor_name=vendor_name,
        adapter=root.string("adapter", "standard") or "standard",
        protocol=protocol,
        score=score,
        learner=_parse_learner(root),
        activity_rewrite=_rewrite_rules(activity, "rewrite", with_kinds=False),
        evidence=_parse_evidence(root),
        filter=_parse_filter(root),
        hints=HintSettings(
            prefixes=hints.strings("prefixes") or (),
            extension_keys=hints.strings("extension_keys") or (),
            trust=hints.boolean("trust", True),
        ),
        csv=_parse_csv(root),
    )


def load_vendor_settings_file(path: str | Path) -> tuple[str, VendorSettings]:
    """Read ``config/vendors/<name>.toml``: the vendor name is the file's stem."""
    path = Path(path)
    vendor_name = path.stem
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidPayload(f"{path.name} is not valid TOML: {exc}.") from None
    except OSError as exc:
        raise InvalidPayload(f"{path} cannot be read: {exc.strerror}.") from None
    try:
        return vendor_name, parse_vendor_settings(data, vendor_name=vendor_name)
    except InvalidPayload as exc:
        raise InvalidPayload(f"{path.name}: {exc.detail}") from None


def load_vendor_settings_dir(folder: str | Path) -> dict[str, VendorSettings]:
    """Every ``*.toml`` in ``folder`` (e.g. ``config/vendors``), by vendor name."""
    return dict(
        load_vendor_settings_file(path) for path in sorted(Path(folder).glob("*.toml"))
    )
