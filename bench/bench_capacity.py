"""Capacity of the scale-out path: 1 and 2 web processes (`tessera run`) on one PostgreSQL.

Two figures per process count, over real HTTP on loopback:
- statements/s through ``POST /xapi/statements``, one statement per request and 100 per
  request (the load generator of :mod:`bench.load`, 4 clients);
- launches/s: each client runs whole LTI launches, the OIDC login (``GET /lti/login``), an
  id_token signed as the platform would (RS256, on the client's CPU), and ``POST
  /lti/launch`` with the state cookie, as a browser does.
The load generator shares the machine's cores with the server; docs/deploy.md turns these
figures into the capacity table.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.bench_lti import LTI, _jwks_server
from bench.bench_xapi import make_statement
from bench.load import run_load
from bench.server import cli, database, serve

SECONDS = 8.0
CLIENTS = 4
THREADS = 1  # per process: as bench_xapi, one thread per process suits these 2 cores
TARGET = "http://127.0.0.1:8000/lti/launch"  # the default TESSERA_BASE_URL's launch URL


def register_platform(env: dict[str, str], jwks_url: str) -> None:
    """The benchmarks' LMS: issuer https://lms.example, client c1, deployment d1."""
    cli(
        env,
        "platform",
        "add",
        "--issuer",
        "https://lms.example",
        "--client-id",
        "c1",
        "--auth-login-url",
        "https://lms.example/auth",
        "--auth-token-url",
        "https://lms.example/token",
        "--jwks-url",
        jwks_url,
        "--deployment-id",
        "d1",
    )


def browser_launch(
    session: requests.Session,
    base: str,
    key: rsa.RSAPrivateKey,
    *,
    sub: str,
    context: str,
) -> requests.Response:
    """A whole launch as a browser makes it: login, the platform's id_token, the POST."""
    started = session.get(
        f"{base}/lti/login",
        params={
            "iss": "https://lms.example",
            "login_hint": sub,
            "target_link_uri": TARGET,
            "client_id": "c1",
        },
        allow_redirects=False,
        timeout=30,
    )
    sent = parse_qs(urlsplit(started.headers.get("Location", "")).query)
    cookie = started.headers.get("Set-Cookie", "").split(";", 1)[0]
    now = int(time.time())
    token = jwt.encode(
        {
            "iss": "https://lms.example",
            "aud": "c1",
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": sent.get("nonce", [""])[0],
            "name": f"User {sub}",
            LTI + "version": "1.3.0",
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "deployment_id": "d1",
            LTI + "target_link_uri": TARGET,
            LTI + "resource_link": {"id": "r1"},
            LTI + "roles": [
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
            ],
            LTI + "context": {"id": context, "title": "Course"},
        },
        key,
        algorithm="RS256",
        headers={"kid": "k1"},
    )
    return session.post(
        f"{base}/lti/launch",
        data={"id_token": token, "state": sent.get("state", [""])[0]},
        headers={"Cookie": cookie},
        allow_redirects=False,
        timeout=30,
    )


def _launches(base: str, key: rsa.RSAPrivateKey, seconds: float) -> tuple[float, int]:
    """Whole launches per second from ``CLIENTS`` browsers, and how many failed."""
    done = [0] * CLIENTS
    failed = [0] * CLIENTS
    deadline = time.perf_counter() + seconds

    def browser(slot: int) -> None:
        session = requests.Session()
        n = 0
        while time.perf_counter() < deadline:
            n += 1
            landed = browser_launch(
                session, base, key, sub=f"u{slot}-{n % 50}", context=f"course-{slot}"
            )
            if landed.status_code == 303:
                done[slot] += 1
            else:
                failed[slot] += 1

    began = time.perf_counter()
    threads = [threading.Thread(target=browser, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - began), sum(failed)


def main() -> list[str]:
    rows = []
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks, jwks_url = _jwks_server(key)
    try:
        with database("postgresql") as env:
            env = env | {"TESSERA_ALLOW_PRIVATE_URLS": "1"}
            cli(env, "init")
            creds = json.loads(cli(env, "vendor", "add", "acme", "--json"))["xapi"]
            basic = base64.b64encode(f"{creds['key']}:{creds['secret']}".encode())
            headers = {
                "Authorization": f"Basic {basic.decode()}",
                "Content-Type": "application/json",
                "X-Experience-API-Version": "2.0.0",
            }
            register_platform(env, jwks_url)
            for processes in (1, 2):
                with serve(env, workers=processes, threads=THREADS) as base:
                    for size in (1, 100):

                        def request(
                            n: int, size: int = size
                        ) -> tuple[str, str, bytes, dict[str, str]]:
                            body = [make_statement(n * size + i) for i in range(size)]
                            data = json.dumps(body[0] if size == 1 else body).encode()
                            return "POST", "/xapi/statements", data, headers

                        run_load(base, request, seconds=1, max_requests=100)  # warm-up
                        result = run_load(
                            base, request, concurrency=CLIENTS, seconds=SECONDS
                        )
                        rows.append(
                            result.row(
                                f"capacity, {processes} web process"
                                f"{'es' if processes > 1 else ''}, postgresql, "
                                f"POST /xapi/statements {size}/request "
                                f"({result.rate * size:,.0f} statements/s)"
                            )
                        )
                    _launches(base, key, 1.0)  # warm-up: JWKS fetched, pools open
                    rate, failed = _launches(base, key, SECONDS)
                    rows.append(
                        f"| capacity, {processes} web process"
                        f"{'es' if processes > 1 else ''}, postgresql, whole LTI "
                        f"launches (login + launch), {CLIENTS} browsers | {rate:,.0f}/s "
                        f"| | | | {failed} |"
                    )
    finally:
        jwks.shutdown()
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
