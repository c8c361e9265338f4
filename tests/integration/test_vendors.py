from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from gateway.errors import Conflict, InvalidPayload, NotFound
from gateway.store import Store
from gateway.store.tables import metadata, utcnow, vendor_credentials
from gateway.vendors import (
    add_vendor,
    authenticate,
    get_vendor,
    list_vendors,
    remove_vendor,
    rotate_credentials,
    update_vendor,
)
from gateway.vendors.credentials import CredentialKind, NewCredential

XAPI, CALIPER = CredentialKind.XAPI_BASIC, CredentialKind.CALIPER_BEARER


def _by_kind(creds: list[NewCredential], kind: CredentialKind) -> NewCredential:
    return next(c for c in creds if c.kind is kind)


def _auth(store: Store, cred: NewCredential) -> str | None:
    with store.read() as conn:
        p = authenticate(conn, cred.kind, cred.key, cred.secret)
    return p.vendor_name if p else None


def test_add_issues_one_credential_per_protocol(store: Store) -> None:
    vendor, creds = add_vendor(store, "acme", display_name="Acme Learning")
    assert {c.kind for c in creds} == {XAPI, CALIPER}
    assert vendor.display_name == "Acme Learning"
    assert [c.kind for c in vendor.credentials] == ["caliper_bearer", "xapi_basic"]
    for cred in creds:
        assert _auth(store, cred) == "acme"


def test_secrets_are_stored_only_as_digests(store: Store) -> None:
    _, creds = add_vendor(store, "acme")
    with store.read() as conn:
        dump = ""
        for table in metadata.sorted_tables:
            dump += repr(conn.execute(select(table)).all())
    for cred in creds:
        assert cred.secret not in dump
        assert cred.secret_sha256 in dump


def test_wrong_secret_wrong_kind_and_unknown_key_fail(store: Store) -> None:
    _, creds = add_vendor(store, "acme")
    x = _by_kind(creds, XAPI)
    with store.read() as conn:
        assert authenticate(conn, XAPI, x.key, x.secret + "x") is None
        assert authenticate(conn, CALIPER, x.key, x.secret) is None
        assert authenticate(conn, XAPI, "tx_unknown", x.secret) is None


def test_duplicate_and_invalid_names_are_refused(store: Store) -> None:
    add_vendor(store, "acme")
    with pytest.raises(Conflict, match="already exists"):
        add_vendor(store, "acme")
    with pytest.raises(InvalidPayload, match="lower-case letters"):
        add_vendor(store, "Acme Learning!")
    assert [v.name for v in list_vendors(store)] == ["acme"]


def test_rotate_without_grace_revokes_at_once(store: Store) -> None:
    _, old = add_vendor(store, "acme")
    _, new = rotate_credentials(store, "acme")
    assert all(_auth(store, c) is None for c in old)
    assert all(_auth(store, c) == "acme" for c in new)


def test_rotate_with_grace_keeps_old_credentials_until_expiry(store: Store) -> None:
    _, old = add_vendor(store, "acme")
    vendor, new = rotate_credentials(store, "acme", grace=timedelta(hours=1))
    assert all(_auth(store, c) == "acme" for c in old + new)
    assert len(vendor.credentials) == 4
    with store.write() as conn:  # let the grace period run out
        conn.execute(
            update(vendor_credentials)
            .where(vendor_credentials.c.expires_at.is_not(None))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert all(_auth(store, c) is None for c in old)
    assert all(_auth(store, c) == "acme" for c in new)


def test_remove_revokes_and_frees_the_name_but_keeps_the_row(store: Store) -> None:
    first, creds = add_vendor(store, "acme")
    remove_vendor(store, "acme")
    assert all(_auth(store, c) is None for c in creds)
    assert list_vendors(store) == []
    with pytest.raises(NotFound, match="No vendor is named 'acme'"):
        get_vendor(store, "acme")
    second, _ = add_vendor(store, "acme")
    assert second.id != first.id
    with store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM vendors")).scalar() == 2


def test_unknown_vendor_operations_say_what_to_do(store: Store) -> None:
    with pytest.raises(NotFound, match="tessera vendor list"):
        rotate_credentials(store, "ghost")
    with pytest.raises(NotFound):
        remove_vendor(store, "ghost")


def test_update_changes_only_what_is_given(store: Store) -> None:
    add_vendor(
        store, "acme", display_name="Acme", settings={"score": {"scale": "percent"}}
    )
    changed = update_vendor(store, "acme", adapter="mathia")
    assert (changed.display_name, changed.adapter, changed.settings) == (
        "Acme",
        "mathia",
        {"score": {"scale": "percent"}},
    )
    changed = update_vendor(
        store, "acme", settings={"score": {"scale": "scaled"}}, display_name="A"
    )
    assert get_vendor(store, "acme") == changed
    assert (changed.display_name, changed.settings) == (
        "A",
        {"score": {"scale": "scaled"}},
    )
    assert update_vendor(store, "acme") == changed
    with pytest.raises(NotFound):
        update_vendor(store, "ghost", display_name="G")


def test_list_reads_one_page_after_a_name(store: Store) -> None:
    for name in ["c", "a", "d", "b"]:
        add_vendor(store, name)
    remove_vendor(store, "c")
    assert [v.name for v in list_vendors(store)] == ["a", "b", "d"]
    assert [v.name for v in list_vendors(store, limit=2)] == ["a", "b"]
    assert [v.name for v in list_vendors(store, after="b", limit=2)] == ["d"]
    assert list_vendors(store, after="d") == []


def test_cached_credential_checks(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from gateway.vendors import check_credentials

    _, creds = add_vendor(store, "acme", settings={"score": {"scale": "percent"}})
    x = _by_kind(creds, XAPI)
    first = check_credentials(store, XAPI, x.key, x.secret, cache_seconds=60)
    assert first is not None and first.settings == {"score": {"scale": "percent"}}
    assert (
        check_credentials(store, XAPI, x.key, x.secret + "!", cache_seconds=60) is None
    )

    # Revoked behind this process's back (another node): remembered until the TTL ends.
    with store.write() as conn:
        conn.execute(text("DELETE FROM vendor_credentials"))
    assert check_credentials(store, XAPI, x.key, x.secret, cache_seconds=60) == first
    later = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert check_credentials(store, XAPI, x.key, x.secret, cache_seconds=60) is None


def test_rotation_in_this_process_forgets_cached_checks(store: Store) -> None:
    from gateway.vendors import check_credentials

    _, creds = add_vendor(store, "acme")
    x = _by_kind(creds, XAPI)
    assert check_credentials(store, XAPI, x.key, x.secret, cache_seconds=60) is not None
    rotate_credentials(store, "acme")
    assert check_credentials(store, XAPI, x.key, x.secret, cache_seconds=60) is None
