"""/log/ per C2SP tlog-tiles, and the witness client following it (rollback and fork caught)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from liuhen.accounts.services import token_issue
from liuhen.ledger import keys
from liuhen.ledger.checkpoints import checkpoint_issue
from liuhen.ledger.models import LedgerEntry
from liuhen.ledger.tree import tree_size
from liuhen.ledger.witnessing import witness_step
from liuhen.tlog import merkle, tiles, witness
from tests.factories import make_agency, make_user
from tests.ledger.helpers import append_n

pytestmark = pytest.mark.django_db


def fetcher(client: Client):
    def fetch(path: str) -> bytes:
        response = client.get("/log/" + path)
        if response.status_code != 200:
            raise OSError(f"HTTP {response.status_code} for {path}")
        return response.content

    return fetch


def test_given_a_log_when_read_through_public_tiles_then_roots_match_the_signed_checkpoint(client):
    """GIVEN 600 entries and a checkpoint WHEN a client reads only /log/checkpoint and hash tiles
    THEN the tree it rebuilds has the signed root and every full tile is served immutable."""
    append_n(600)
    cp = checkpoint_issue()
    reader = tiles.TileReader(fetcher(client), cp.size)
    assert merkle.tree_root(reader, cp.size) == bytes(cp.root_hash)
    full = client.get("/log/" + tiles.tile_path(0, 0))
    assert full.status_code == 200 and len(full.content) == 256 * 32
    assert "immutable" in full["Cache-Control"]
    width = cp.size % 256
    assert client.get("/log/" + tiles.tile_path(0, cp.size // 256, width)).status_code == 200
    assert client.get("/log/" + tiles.tile_path(0, cp.size // 256 + 1)).status_code == 404
    assert client.get("/log/checkpoint").content.decode() == cp.note


def test_given_entry_bundles_when_fetched_then_only_auditors_get_them():
    """GIVEN entry bundles (they name people) WHEN fetched anonymously, by an officer, by an admin token
    THEN 401, 403, and the exact entries."""
    append_n(300)
    agency = make_agency()
    officer, admin = make_user(agency, ["officer"]), make_user(agency, ["admin"])
    path = "/log/" + tiles.entries_path(0)
    assert Client().get(path).status_code == 401
    officer_client = Client()
    officer_client.force_login(officer)
    assert officer_client.get(path).status_code == 403
    response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token_issue(user=admin)}")
    assert response.status_code == 200
    bodies = [bytes(b) for b in LedgerEntry.objects.order_by("index").values_list("body", flat=True)[:256]]
    assert tiles.decode_entry_bundle(response.content) == bodies


def test_given_a_witness_when_the_log_grows_then_it_accepts_and_cosigns(client, tmp_path):
    """GIVEN a witness with state WHEN the log grows THEN it checks consistency from tiles, stores the
    new checkpoint and co-signs it."""
    state = tmp_path / "witness.state"
    append_n(10)
    checkpoint_issue()
    first = witness_step(fetch=fetcher(client), state_path=state, verifier_keys=keys.verifier_keys())
    assert first.old_size is None
    append_n(300)
    checkpoint_issue()
    from liuhen.tlog import note

    cosigner = note.generate_signer("witness.justice.example", sig_type=note.TYPE_COSIGNATURE_V1)
    second = witness_step(
        fetch=fetcher(client), state_path=state, verifier_keys=keys.verifier_keys(), cosigner=cosigner
    )
    assert (second.old_size, second.new_size) == (first.new_size, tree_size())
    assert state.read_text() == client.get("/log/checkpoint").content.decode()
    note.open_note(second.cosigned, [cosigner.verifier()])


def test_given_a_database_restored_from_an_old_backup_when_witnessed_then_rollback_then_fork(
    client, tmp_path
):
    """GIVEN a witness saw checkpoint N WHEN the database is restored to a backup from before N
    THEN the witness reports a rollback; once new entries overtake N, a fork. Its state never moves back."""
    state = tmp_path / "witness.state"
    append_n(20)
    checkpoint_issue()
    with pytest.raises(RuntimeError), transaction.atomic():  # everything inside is "lost" by the restore
        append_n(50)
        checkpoint_issue()
        seen = witness_step(fetch=fetcher(client), state_path=state, verifier_keys=keys.verifier_keys())
        raise RuntimeError("restore the old backup")
    with pytest.raises(witness.WitnessError) as rollback:
        witness_step(fetch=fetcher(client), state_path=state, verifier_keys=keys.verifier_keys())
    assert rollback.value.kind == "rollback"
    append_n(60, action="test.rewritten")
    checkpoint_issue()
    with pytest.raises(witness.WitnessError) as fork:
        witness_step(fetch=fetcher(client), state_path=state, verifier_keys=keys.verifier_keys())
    assert fork.value.kind == "fork"
    assert state.read_text().split("\n")[1] == str(seen.new_size)
