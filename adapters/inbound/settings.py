"""Per-vendor adapter settings: data, not code (how scores scale, where ids are, ...)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class VendorSettings:
    """A vendor's parsed adapter settings."""

    vendor_name: str


def parse_vendor_settings(
    data: Mapping[str, Any], *, vendor_name: str
) -> VendorSettings:
    """Validate a vendor's settings mapping (TOML or API JSON)."""
    return VendorSettings(vendor_name=vendor_name)
