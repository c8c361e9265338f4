"""JSON-LD processing that never touches the network: bundled contexts and RDF canonicalization.

Every ``@context`` Tessera emits is bundled in ``contexts/`` (copied from the standards bodies,
see ``SOURCES.md`` there); any other remote context is refused with :class:`UnknownContext`
rather than fetched, so canonicalizing a document can neither leak what is being checked nor be
steered by whoever serves a context. Canonicalization is RDFC-1.0 (pyld names it URDNA2015; the
output is the same) in "safe mode": a property or type the contexts do not define would be
dropped silently from the signed dataset, so it is an error instead (VC Data Integrity 1.0
section 4.1, "safe mode" of the reference implementations).
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from pyld import jsonld  # type: ignore[import-untyped]

from gateway.errors import InvalidPayload, UndefinedTerm, UnknownContext

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CLR_V2P0 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
# In DID documents only (plain JSON to Tessera; never canonicalized here).
DID_V1 = "https://www.w3.org/ns/did/v1"
JWK_V1 = "https://w3id.org/security/jwk/v1"

# URL -> file in gateway/records/contexts (provenance in SOURCES.md there).
BUNDLED_CONTEXTS: Mapping[str, str] = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OB_V3P0: "ob-v3p0-context-3.0.3.json",
    OB_EXTENSIONS: "ob-v3p0-extensions.json",
    CLR_V2P0: "clr-v2p0-context-2.0.1.json",
    MULTIKEY_V1: "multikey-v1.jsonld",
}


@functools.cache
def bundled_context(url: str) -> dict[str, Any]:
    """The bundled document for context ``url``; :class:`UnknownContext` for any other URL."""
    name = BUNDLED_CONTEXTS.get(url)
    if name is None:
        raise UnknownContext(
            f"The JSON-LD context {url} is not one Tessera bundles, and remote contexts are "
            f"never fetched; the accepted contexts are {', '.join(BUNDLED_CONTEXTS)}."
        )
    text = (
        resources.files("gateway.records").joinpath("contexts", name).read_text("utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def load_document(url: str, _options: Any = None) -> dict[str, Any]:
    """A pyld document loader over the bundled contexts only."""
    return {
        "contextUrl": None,
        "documentUrl": url,
        # pyld may annotate what it is given; each caller gets its own copy.
        "document": copy.deepcopy(bundled_context(url)),
    }


def _refuse_dropped(name: str, *_details: Any) -> None:
    raise UndefinedTerm(
        f"{name!r} is not defined by the document's JSON-LD contexts, so a proof would not "
        "cover it; define it or leave it out."
    )


def canonicalize(document: Mapping[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads of ``document``, with bundled contexts only (safe mode)."""
    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    try:
        result: str = processor.normalize(
            dict(document),
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": load_document,
            },
        )
    except jsonld.JsonLdError as exc:
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, InvalidPayload):
                raise cause from None
            details = getattr(cause, "details", None)
            nested = details.get("cause") if isinstance(details, dict) else None
            cause = cause.__cause__ or nested
        raise InvalidPayload(
            f"The document is not valid JSON-LD: {str(exc).splitlines()[0][:200]}"
        ) from None
    return result
