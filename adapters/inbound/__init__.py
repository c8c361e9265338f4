"""Inbound adapters: a vendor's payload (xAPI statement, Caliper event, CSV row) to observations.

An adapter is small: :class:`InboundAdapter` has two methods. Most vendors need no code, only
settings (see ``adapters.inbound.settings``); a vendor that does registers a Python adapter
under the ``tessera.inbound_adapters`` entry-point group, and names it in its settings
(``adapter = "<entry point name>"``). :func:`get_adapter` finds either kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol

from gateway.errors import ConfigError

if TYPE_CHECKING:
    from adapters.inbound.settings import VendorSettings
    from gateway.intake.model import Observation

ENTRY_POINT_GROUP = "tessera.inbound_adapters"
STANDARD = "standard"
PROTOCOLS = ("xapi", "caliper", "csv")


class InboundAdapter(Protocol):
    """Reads observations out of one payload of one protocol.

    An adapter whose protocol cannot retract payloads may set ``can_void = False``, sparing
    the pipeline a look-up per batch.
    """

    def observe(
        self, payload: Mapping[str, Any], settings: VendorSettings
    ) -> list[Observation]:
        """The observations in ``payload``; raise ``AdapterRejected`` for unusable scores."""
        ...

    def voids(self, payload: Mapping[str, Any]) -> str | None:
        """The external id of an earlier payload this one retracts (xAPI voiding), if any."""
        ...


def _standard(protocol: str) -> InboundAdapter:
    if protocol == "xapi":
        from adapters.inbound.xapi import XapiAdapter

        return XapiAdapter()
    if protocol == "caliper":
        from adapters.inbound.caliper import CaliperAdapter

        return CaliperAdapter()
    from adapters.inbound.csv import CsvAdapter

    return CsvAdapter()


@cache
def get_adapter(name: str, protocol: str) -> InboundAdapter:
    """The adapter called ``name`` for ``protocol`` (``xapi``, ``caliper`` or ``csv``).

    ``"standard"`` is the built-in adapter of the protocol. Any other name is looked up in the
    ``tessera.inbound_adapters`` entry-point group; the entry point is an adapter class (made
    with no arguments) or a function ``(protocol) -> adapter``. Lookups are cached.
    """
    if protocol not in PROTOCOLS:
        raise ConfigError(
            f"Unknown protocol {protocol!r} for an inbound adapter; "
            f"accepted values: {', '.join(PROTOCOLS)}."
        )
    if name == STANDARD:
        return _standard(protocol)
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not found:
        known = sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})
        raise ConfigError(
            f'No inbound adapter is called {name!r}: use "standard" or a name registered '
            f"under the {ENTRY_POINT_GROUP!r} entry-point group"
            + (f" ({', '.join(known)})." if known else " (none is installed).")
        )
    target = found[0].load()
    adapter = target() if isinstance(target, type) else target(protocol)
    if not callable(getattr(adapter, "observe", None)) or not callable(
        getattr(adapter, "voids", None)
    ):
        raise ConfigError(
            f"The inbound adapter {name!r} ({found[0].value}) has no observe() and voids()."
        )
    return adapter  # type: ignore[no-any-return]
