"""Server time of an LTI 1.3 launch (POST /lti/launch) with a warm platform JWKS cache.

In process (Flask test client, so no network or gunicorn in the figure; the time is taken
around the app's WSGI callable, as a server would see it, not the test client's request
building): each round starts a login (not timed), signs an id_token as the platform would,
and times the launch: state and
binding checks, RS256 verification, every claim check, and the one transaction that consumes
the state and writes deployment, identity, context, membership and the launch row. The
platform's JWKS is served by a real local HTTP server and fetched once before timing.
Target: p50 under 3 ms. Each case prints two rows: wall-clock time, and the CPU time of
the serving thread (steadier on a machine whose cores other work shares).
"""

from __future__ import annotations

import json
import logging
import statistics
import threading
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from werkzeug import Request, Response
from werkzeug.serving import make_server

from bench.server import database
from gateway import create_app
from gateway.cli import initialize
from gateway.lti.platforms import NewRegistration, add_registration
from gateway.settings import load_settings
from gateway.store import Store

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
ROUNDS = 400
WARMUP = 30


def _jwks_server(key: rsa.RSAPrivateKey) -> tuple[Any, str]:
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key())) | {
        "kid": "k1",
        "alg": "RS256",
    }
    body = json.dumps({"keys": [jwk]})

    @Request.application  # type: ignore[arg-type]
    def app(request: Request) -> Response:
        return Response(body, content_type="application/json")

    server = make_server("127.0.0.1", 0, app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/jwks"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _row(label: str, values: list[float]) -> str:
    return (
        f"| {label} | {1000 / statistics.mean(values):.0f}/s "
        f"| {statistics.median(values):.2f} | {_percentile(values, 0.95):.2f} "
        f"| {_percentile(values, 0.99):.2f} | 0 |"
    )


def _run(backend: str, same_user: bool) -> list[str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    server, jwks_url = _jwks_server(key)
    try:
        with database(backend) as env:
            settings = load_settings(env, {"allow_private_urls": True})
            store = Store.from_settings(settings)
            initialize(settings, store)
            add_registration(
                store,
                NewRegistration(
                    issuer="https://lms.example",
                    client_id="c1",
                    auth_login_url="https://lms.example/auth",
                    auth_token_url="https://lms.example/token",  # noqa: S106
                    jwks_url=jwks_url,
                    deployment_ids=["d1"],
                ),
                allow_private=True,
            )
            app = create_app(settings, store)
            spent: list[tuple[float, float]] = []
            inner = app.wsgi_app

            def timed(environ: Any, start_response: Any) -> Any:
                t0, c0 = time.perf_counter(), time.thread_time()
                try:
                    return inner(environ, start_response)
                finally:
                    spent.append((time.perf_counter() - t0, time.thread_time() - c0))

            app.wsgi_app = timed  # type: ignore[method-assign]
            client = app.test_client()
            logging.getLogger("gateway").setLevel(logging.WARNING)
            timings, cpu = [], []
            for i in range(WARMUP + ROUNDS):
                started = client.get(
                    "/lti/login",
                    query_string={
                        "iss": "https://lms.example",
                        "login_hint": "u",
                        "target_link_uri": "http://127.0.0.1:8000/lti/launch",
                        "client_id": "c1",
                    },
                )
                sent = parse_qs(urlsplit(started.headers["Location"]).query)
                now = int(time.time())
                sub = "u-1" if same_user else f"u-{i}"
                claims = {
                    "iss": "https://lms.example",
                    "aud": "c1",
                    "sub": sub,
                    "iat": now,
                    "exp": now + 300,
                    "nonce": sent["nonce"][0],
                    "name": f"User {sub}",
                    "email": f"{sub}@example.edu",
                    LTI + "version": "1.3.0",
                    LTI + "message_type": "LtiResourceLinkRequest",
                    LTI + "deployment_id": "d1",
                    LTI + "target_link_uri": "http://127.0.0.1:8000/lti/launch",
                    LTI + "resource_link": {"id": "r1"},
                    LTI + "roles": [
                        "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
                    ],
                    LTI + "context": {"id": "course-1", "title": "Course"},
                }
                token = jwt.encode(
                    claims, key, algorithm="RS256", headers={"kid": "k1"}
                )
                answer = client.post(
                    "/lti/launch", data={"id_token": token, "state": sent["state"][0]}
                )
                elapsed, cpu_ms = (v * 1000 for v in spent[-1])
                assert answer.status_code == 303, answer.get_data(as_text=True)
                if i >= WARMUP:
                    timings.append(elapsed)
                    cpu.append(cpu_ms)
            store.dispose()
    finally:
        server.shutdown()
    who = "returning learner" if same_user else "new learner each time"
    label = f"LTI launch server time, warm JWKS, {who}, {backend}"
    return [_row(label, timings), _row(f"{label}, CPU time", cpu)]


def main() -> list[str]:
    return [
        row
        for backend in ("sqlite", "postgresql")
        for same_user in (True, False)
        for row in _run(backend, same_user)
    ]
