"""The id_token checks of an LTI 1.3 launch, as pure functions (no Flask, SQL or HTTP).

The order and the rules follow LTI Core 1.3 section 5, the 1EdTech Security Framework 1.0
section 5.1.3 and the LTI Advantage certification guide section 6.1 (see
``shared/standards/lti13.md`` section 2). Each failure raises a :class:`LaunchRejected` whose
``check`` names the rule, whose ``detail`` says what failed and whose ``admin_hint`` says what
to look at. pylti1p3's gaps (no azp check, exp/iat optional, aud[0] only, alg from the JWKS)
are closed here.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from gateway.errors import LaunchRejected, LaunchUnauthorized

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_SERVICE = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
LTI_VERSION = "1.3.0"
RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"
SUBMISSION_REVIEW = "LtiSubmissionReviewRequest"
MESSAGE_TYPES = frozenset({RESOURCE_LINK, DEEP_LINKING, SUBMISSION_REVIEW})
LEEWAY_SECONDS = 60  # clock skew tolerated on exp and iat
MAX_AGE_SECONDS = 600  # an id_token issued longer ago than this is refused
MAX_ID_LENGTH = 255

_LEARNER_ROLES = ("#Learner", "/Learner", "#Student")
_INSTRUCTOR_ROLES = (
    "#Instructor",
    "#Administrator",
    "#TeachingAssistant",
    "#ContentDeveloper",
    "#Mentor",
    "#Faculty",
)

KeyLookup = Callable[[str], RSAPublicKey | None]


@dataclass(frozen=True, slots=True)
class Launch:
    """What a verified id_token says, in the names Tessera uses."""

    issuer: str
    client_id: str
    deployment_id: str
    message_type: str
    sub: str
    roles: tuple[str, ...]
    target_link_uri: str
    context: Mapping[str, Any] | None = None
    resource_link_id: str | None = None
    name: str | None = None
    email: str | None = None
    sis_id: str | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)
    ags: Mapping[str, Any] | None = None
    nrps_url: str | None = None
    deep_linking: Mapping[str, Any] | None = None
    return_url: str | None = None

    @property
    def is_learner(self) -> bool:
        """Whether any role is a learner role."""
        return has_learner_role(self.roles)

    def service_claims(self) -> dict[str, Any]:
        """The parts later pages and services need, kept with the launch."""
        return {
            "ags": dict(self.ags) if self.ags else None,
            "nrps_url": self.nrps_url,
            "deep_linking": dict(self.deep_linking) if self.deep_linking else None,
            "custom": dict(self.custom),
            "resource_link_id": self.resource_link_id,
            "context": dict(self.context) if self.context else None,
            "return_url": self.return_url,
            "name": self.name,
        }


def has_learner_role(roles: Sequence[str]) -> bool:
    """Whether any role is a learner role (context or institution, full URI or short name)."""
    return any(r == "Learner" or r.endswith(_LEARNER_ROLES) for r in roles)


def has_instructor_role(roles: Sequence[str]) -> bool:
    """Whether any role lets the person see the whole class (unknown roles do not)."""
    return any(
        r in ("Instructor", "Administrator") or r.endswith(_INSTRUCTOR_ROLES)
        for r in roles
    )


def read_header(id_token: str) -> str:
    """The ``kid`` of an id_token whose header is acceptable (RS256 only, kid present)."""
    if not isinstance(id_token, str) or id_token.count(".") != 2:
        raise LaunchRejected(
            "The id_token is not a signed JWT (three dot-separated parts).",
            check="jwt",
            admin_hint="The platform did not send an LTI 1.3 id_token; check that the "
            "tool is configured as LTI 1.3 (not 1.1) in the LMS.",
        )
    try:
        # The header alone (PyJWT's get_unverified_header decodes the whole token).
        segment = id_token.split(".", 1)[0]
        header = json.loads(
            base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        )
        if not isinstance(header, dict):
            raise ValueError("header is not an object")
    except (ValueError, binascii.Error):
        raise LaunchRejected(
            "The id_token's header cannot be read.",
            check="jwt",
            admin_hint="The platform sent a malformed id_token.",
        ) from None
    alg = header.get("alg")
    if alg != "RS256":
        raise LaunchUnauthorized(
            f"The id_token is signed with {alg!r}; LTI 1.3 allows only RS256.",
            check="alg",
            admin_hint="LTI Security Framework 1.0 section 5.1.3 requires RS256; a "
            "platform signing otherwise is misconfigured, or someone forged this launch.",
        )
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise LaunchUnauthorized(
            "The id_token's header names no key (kid).",
            check="kid",
            admin_hint="The platform must name its signing key; without a kid Tessera "
            "cannot pick the key from the platform's JWKS.",
        )
    return kid


def verify_signature(id_token: str, key: RSAPublicKey) -> dict[str, Any]:
    """The payload of ``id_token`` once its RS256 signature holds (claims checked later)."""
    try:
        payload: dict[str, Any] = jwt.decode(
            id_token,
            key,
            algorithms=["RS256"],
            options={
                "verify_signature": True,
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_aud": False,
                "verify_iss": False,
                "verify_sub": False,
                "verify_jti": False,
            },
        )
    except jwt.InvalidSignatureError:
        raise LaunchUnauthorized(
            "The id_token's signature does not match the platform's key.",
            check="signature",
            admin_hint="Check that the JWKS URL registered for this platform is the one "
            "it signs with; otherwise the launch was tampered with.",
        ) from None
    except jwt.PyJWTError as exc:
        raise LaunchRejected(
            f"The id_token cannot be decoded ({exc}).",
            check="jwt",
            admin_hint="The platform sent a malformed id_token.",
        ) from None
    return payload


def check_claims(
    claims: Mapping[str, Any],
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    target_link_uri: str,
    now: float,
    leeway: int = LEEWAY_SECONDS,
    max_age: int = MAX_AGE_SECONDS,
) -> Launch:
    """Check a signature-verified payload against the registration and the login."""
    if claims.get("iss") != issuer:
        raise LaunchUnauthorized(
            f"The id_token's issuer {claims.get('iss')!r} is not the platform the login "
            f"started with ({issuer}).",
            check="iss",
            admin_hint="Check the issuer registered for this platform (`tessera platform "
            "list`); it must equal the platform's iss exactly.",
        )
    _check_audience(claims, client_id)
    _check_times(claims, now=now, leeway=leeway, max_age=max_age)
    if claims.get("nonce") != nonce:
        raise LaunchUnauthorized(
            "The id_token's nonce is not the one issued for this login.",
            check="nonce",
            admin_hint="A nonce is good for one launch of the login that issued it; this "
            "looks like a replayed or forged launch.",
        )
    version = claims.get(LTI + "version")
    if version != LTI_VERSION:
        raise LaunchRejected(
            f"The LTI version is {version!r}; Tessera speaks {LTI_VERSION}.",
            check="version",
            admin_hint="Configure the tool as LTI 1.3 in the LMS.",
        )
    message_type = claims.get(LTI + "message_type")
    if message_type not in MESSAGE_TYPES:
        raise LaunchRejected(
            f"The message type {message_type!r} is not one Tessera handles "
            f"({', '.join(sorted(MESSAGE_TYPES))}).",
            check="message_type",
            admin_hint="Check the placement configured for Tessera in the LMS.",
        )
    deployment_id = claims.get(LTI + "deployment_id")
    if (
        not isinstance(deployment_id, str)
        or not deployment_id
        or len(deployment_id) > MAX_ID_LENGTH
        or not deployment_id.isascii()
    ):
        raise LaunchRejected(
            "The launch has no valid deployment_id claim.",
            check="deployment_id",
            admin_hint="LTI Core 1.3 section 5.3.3 requires a deployment id of at most "
            "255 ASCII characters.",
        )
    claimed_target = claims.get(LTI + "target_link_uri")
    if claimed_target != target_link_uri:
        raise LaunchRejected(
            f"The launch's target_link_uri {claimed_target!r} is not the one the login "
            f"asked for ({target_link_uri}).",
            check="target_link_uri",
            admin_hint="The platform must launch the target it named at login.",
        )
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > MAX_ID_LENGTH:
        raise LaunchRejected(
            "The launch names no user (sub must be a string of 1 to 255 characters).",
            check="sub",
            admin_hint="Tessera needs the user id to show a learner their evidence; "
            "anonymous launches are not supported.",
        )
    roles = claims.get(LTI + "roles")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise LaunchRejected(
            "The launch has no roles claim (a list, possibly empty).",
            check="roles",
            admin_hint="LTI Core 1.3 section 5.3.7 requires the roles claim.",
        )
    link = claims.get(LTI + "resource_link")
    link_id = link.get("id") if isinstance(link, Mapping) else None
    if message_type == RESOURCE_LINK and (not isinstance(link_id, str) or not link_id):
        raise LaunchRejected(
            "The resource link launch has no resource_link id.",
            check="resource_link",
            admin_hint="LTI Core 1.3 section 5.3.5 requires resource_link.id.",
        )
    dl = claims.get(DL + "deep_linking_settings")
    if message_type == DEEP_LINKING and (
        not isinstance(dl, Mapping)
        or not isinstance(dl.get("deep_link_return_url"), str)
    ):
        raise LaunchRejected(
            "The deep linking request has no deep_linking_settings with a return URL.",
            check="deep_linking_settings",
            admin_hint="LTI Deep Linking 2.0 section 4.4.1 requires it.",
        )
    return _launch(
        claims,
        issuer=issuer,
        client_id=client_id,
        deployment_id=deployment_id,
        message_type=str(message_type),
        sub=sub,
        roles=tuple(roles),
        target_link_uri=target_link_uri,
        resource_link_id=link_id if isinstance(link_id, str) else None,
        deep_linking=dl if isinstance(dl, Mapping) else None,
    )


def _check_audience(claims: Mapping[str, Any], client_id: str) -> None:
    """Security Framework 1.0 section 5.1.3 steps 3-5: aud contains us; azp with several."""
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud
    if not isinstance(audiences, list) or client_id not in audiences:
        raise LaunchUnauthorized(
            f"The id_token's audience {aud!r} does not include Tessera's client id "
            f"{client_id}.",
            check="aud",
            admin_hint="Check the client id registered for this platform.",
        )
    azp = claims.get("azp")
    if len(audiences) > 1:
        if azp != client_id:
            raise LaunchUnauthorized(
                "The id_token has several audiences and its authorized party (azp) is "
                f"{azp!r}, not Tessera's client id {client_id}.",
                check="azp",
                admin_hint="With several audiences the Security Framework requires azp "
                "to be the tool's client id.",
            )
        others = [a for a in audiences if a != client_id]
        raise LaunchUnauthorized(
            f"The id_token is also addressed to {', '.join(map(str, others))}, which "
            "Tessera does not trust.",
            check="aud",
            admin_hint="A launch meant for Tessera should name only Tessera's client id.",
        )
    if azp is not None and azp != client_id:
        raise LaunchUnauthorized(
            f"The id_token's authorized party (azp) {azp!r} is not Tessera's client id.",
            check="azp",
            admin_hint="Check the client id registered for this platform.",
        )


def _check_times(
    claims: Mapping[str, Any], *, now: float, leeway: int, max_age: int
) -> None:
    exp, iat = claims.get("exp"), claims.get("iat")
    for name, value in (("exp", exp), ("iat", iat)):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise LaunchUnauthorized(
                f"The id_token has no {name} time; Tessera requires both exp and iat.",
                check=name,
                admin_hint="The platform must state when the token was issued and when "
                "it expires (OpenID Connect Core 2).",
            )
    assert isinstance(exp, int | float) and isinstance(iat, int | float)  # noqa: S101
    if exp <= now - leeway:
        raise LaunchUnauthorized(
            f"The id_token expired {int(now - exp)} seconds ago.",
            check="exp",
            admin_hint="Check that the platform's and Tessera's clocks are right (NTP), "
            "then launch again.",
        )
    if iat > now + leeway:
        raise LaunchUnauthorized(
            f"The id_token was issued {int(iat - now)} seconds in the future.",
            check="iat",
            admin_hint="Check that the platform's and Tessera's clocks are right (NTP).",
        )
    if iat < now - max_age - leeway:
        raise LaunchUnauthorized(
            f"The id_token was issued {int(now - iat)} seconds ago; Tessera accepts "
            f"tokens up to {max_age} seconds old.",
            check="iat",
            admin_hint="Check the clocks, or launch again.",
        )


def _launch(claims: Mapping[str, Any], **known: Any) -> Launch:
    context = claims.get(LTI + "context")
    lis = claims.get(LTI + "lis")
    custom = claims.get(LTI + "custom")
    ags = claims.get(AGS_ENDPOINT)
    nrps = claims.get(NRPS_SERVICE)
    presentation = claims.get(LTI + "launch_presentation")
    name = claims.get("name") or " ".join(
        str(p) for p in (claims.get("given_name"), claims.get("family_name")) if p
    )
    email = claims.get("email")
    sis = lis.get("person_sourcedid") if isinstance(lis, Mapping) else None
    return Launch(
        context=context
        if isinstance(context, Mapping) and isinstance(context.get("id"), str)
        else None,
        name=str(name) if name else None,
        email=email.strip().lower() if isinstance(email, str) and email else None,
        sis_id=sis if isinstance(sis, str) and sis else None,
        custom=custom if isinstance(custom, Mapping) else {},
        ags=ags if isinstance(ags, Mapping) else None,
        nrps_url=nrps.get("context_memberships_url")
        if isinstance(nrps, Mapping)
        and isinstance(nrps.get("context_memberships_url"), str)
        else None,
        return_url=presentation.get("return_url")
        if isinstance(presentation, Mapping)
        else None,
        **known,
    )


def verify_id_token(
    id_token: str,
    *,
    keys: KeyLookup,
    issuer: str,
    client_id: str,
    nonce: str,
    target_link_uri: str,
    now: float,
) -> Launch:
    """Header, key by kid, RS256 signature, then every claim check, in the checklist order."""
    kid = read_header(id_token)
    key = keys(kid)
    if key is None:
        raise LaunchUnauthorized(
            f"The platform's key set has no key {kid!r}, even after fetching it again.",
            check="kid",
            admin_hint="Check the JWKS URL registered for this platform; the platform "
            "signed with a key it does not publish there.",
        )
    claims = verify_signature(id_token, key)
    return check_claims(
        claims,
        issuer=issuer,
        client_id=client_id,
        nonce=nonce,
        target_link_uri=target_link_uri,
        now=now,
    )
