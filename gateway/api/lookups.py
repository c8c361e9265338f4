"""Small look-ups the admin API's views share."""

from __future__ import annotations

import gateway.vendors as vendor_service
from gateway.errors import InvalidPayload, NotFound
from gateway.extension import tessera


def vendor_id_named(name: str | None, label: str) -> str | None:
    """The id of the vendor named ``name`` (None for None); a 400 naming ``label`` if none.

    A vendor named in a query or a body is an argument, not the resource of the path, so an
    unknown name is a malformed request (400), not a missing resource (404).
    """
    if name is None:
        return None
    try:
        return vendor_service.get_vendor(tessera().store, name).id
    except NotFound as exc:
        raise InvalidPayload(f"{label}: {exc.detail}") from None
