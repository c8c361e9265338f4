"""Inbound adapters: a vendor's payload (xAPI statement, Caliper event, CSV row) to observations.

An adapter is small: :class:`InboundAdapter` has two methods. Most vendors need no code, only
settings (see ``adapters.inbound.settings``); a vendor that does registers a Python adapter
under the ``tessera.inbound_adapters`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from adapters.inbound.settings import VendorSettings
    from gateway.intake.model import Observation


class InboundAdapter(Protocol):
    """Reads observations out of one payload of one protocol."""

    def observe(
        self, payload: Mapping[str, Any], settings: VendorSettings
    ) -> list[Observation]:
        """The observations in ``payload``; raise ``AdapterRejected`` for unusable scores."""
        ...

    def voids(self, payload: Mapping[str, Any]) -> str | None:
        """The external id of an earlier payload this one retracts (xAPI voiding), if any."""
        ...
