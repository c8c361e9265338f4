"""A hostile LTI platform built on PyJWT + cryptography (testing-peers.md section 2).

It signs whatever id_token a test asks for, serves its JWKS (and a token endpoint) from a real
local HTTP server, and can rotate keys, so the launch checks meet what a well-behaved platform
library would never send.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from jwt.algorithms import RSAAlgorithm
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from gateway.lti.platforms import NewRegistration, Registration, add_registration
from gateway.store import Store

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
ISSUER = "https://evil-platform.example"
CLIENT_ID = "tessera-client"
DEPLOYMENT = "dep-1"
BASE = "http://127.0.0.1:8000"  # the test settings' base URL
LAUNCH_URL = f"{BASE}/lti/launch"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return jwk | {"kid": kid, "alg": "RS256", "use": "sig"}


@dataclass
class EvilPlatform:
    """Keys, a JWKS on a real HTTP server, and an id_token factory."""

    server: HTTPServer
    key: rsa.RSAPrivateKey = field(default_factory=new_key)
    kid: str = "evil-1"
    published: list[tuple[rsa.RSAPrivateKey, str]] = field(default_factory=list)
    jwks_hits: int = 0

    def __post_init__(self) -> None:
        self.published = [(self.key, self.kid)]
        self.server.expect_request("/jwks").respond_with_handler(self._jwks)

    def _jwks(self, request: Request) -> Response:
        self.jwks_hits += 1
        body = {"keys": [public_jwk(k, kid) for k, kid in self.published]}
        return Response(
            json.dumps(body),
            content_type="application/json",
            headers={"Cache-Control": "max-age=300"},
        )

    def rotate(self) -> None:
        """A new signing key; only the new one is published from now on."""
        self.key, self.kid = new_key(), f"evil-{uuid.uuid4().hex[:6]}"
        self.published = [(self.key, self.kid)]

    def register(
        self, store: Store, *, policy: str = "accept", deployments: tuple[str, ...] = ()
    ) -> Registration:
        return add_registration(
            store,
            NewRegistration(
                issuer=ISSUER,
                client_id=CLIENT_ID,
                auth_login_url=f"{ISSUER}/auth",
                auth_token_url=self.server.url_for("/token"),
                jwks_url=self.server.url_for("/jwks"),
                deployment_ids=deployments or (DEPLOYMENT,),
                deployment_policy=policy,
            ),
            allow_private=True,
        )

    def claims(self, nonce: str, /, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "user-1",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": "Ada Lovelace",
            "email": "Ada@Example.edu",
            LTI + "version": "1.3.0",
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "deployment_id": DEPLOYMENT,
            LTI + "target_link_uri": LAUNCH_URL,
            LTI + "resource_link": {"id": "link-1"},
            LTI + "roles": [LEARNER],
            LTI + "context": {"id": "course-1", "label": "MATH3", "title": "Math 3"},
            LTI + "lis": {"person_sourcedid": "SIS-001"},
        }
        for name, value in overrides.items():
            key = name.replace("lti_", LTI, 1) if name.startswith("lti_") else name
            if value is DROP:
                claims.pop(key, None)
            else:
                claims[key] = value
        return claims

    def sign(
        self,
        claims: dict[str, Any],
        *,
        alg: str = "RS256",
        kid: str | None | object = None,
        key: Any = None,
    ) -> str:
        headers: dict[str, Any] = {}
        if kid is not DROP:
            headers["kid"] = self.kid if kid is None else kid
        signing_key = key if key is not None else self.key
        return jwt.encode(claims, signing_key, algorithm=alg, headers=headers)


DROP = object()


@dataclass(frozen=True)
class Login:
    state: str
    nonce: str
    location: str


def login(client: FlaskClient, **params: str) -> Login:
    """Start a login as the platform's browser would; return state and nonce we were sent."""
    query = {
        "iss": ISSUER,
        "login_hint": "user-1",
        "target_link_uri": LAUNCH_URL,
        "client_id": CLIENT_ID,
        "lti_message_hint": "hint-1",
    } | params
    response = client.get("/lti/login", query_string=query)
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    sent = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    return Login(sent["state"], sent["nonce"], location)


def launch(client: FlaskClient, id_token: str, state: str, **extra: str) -> Any:
    return client.post(
        "/lti/launch", data={"id_token": id_token, "state": state} | extra
    )
