"""Keys, checkpoints, proofs and key rotation, through the services and the ``liuhen ledger`` commands."""

from __future__ import annotations

import base64
import io
import os
import stat

import pytest
from django.conf import settings
from django.core.management import call_command

from liuhen.ledger import keys
from liuhen.ledger.checkpoints import checkpoint_issue, checkpoint_latest
from liuhen.ledger.models import LedgerCheckpoint
from liuhen.ledger.tree import tree_size
from liuhen.tlog import merkle, note, proof
from liuhen.tlog.checkpoint import open_checkpoint
from tests.ledger.helpers import append_n

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_given_a_fresh_install_when_the_key_is_first_used_then_it_is_private_and_listed():
    """GIVEN no key WHEN the log needs one THEN it is created mode 0600 and its verifier key is listed."""
    signer = keys.ensure_signer()
    path = keys.key_dir() / keys.SIGNER_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert keys.verifier_keys() == [signer.verifier().vkey()]
    assert run("ledger", "public-key").strip() == signer.verifier().vkey()
    assert signer.name == settings.LIUHEN_LOG_ORIGIN


def test_given_new_entries_when_checkpoint_requested_then_a_signed_note_covers_them_and_all_are_kept():
    """GIVEN entries WHEN `liuhen ledger checkpoint` runs twice around more appends
    THEN each prints a note signed by the log key over the current size; both rows are kept."""
    append_n(5)
    first = run("ledger", "checkpoint")
    cp, _ = open_checkpoint(first, keys.verifiers(), origin=settings.LIUHEN_LOG_ORIGIN)
    assert cp.size == tree_size()
    assert run("ledger", "checkpoint") == first  # nothing new: same checkpoint
    append_n(3)
    second = run("ledger", "checkpoint")
    assert open_checkpoint(second, keys.verifiers())[0].size == cp.size + 3
    assert list(LedgerCheckpoint.objects.order_by("id").values_list("note", flat=True))[-2:] == [
        first,
        second,
    ]


def test_given_an_entry_when_proven_by_cli_then_the_proof_and_entry_verify_with_the_public_key():
    """GIVEN entries WHEN `entry` and `prove-inclusion` run THEN the base64 entry verifies under the proof."""
    append_n(20)
    entry = base64.b64decode(run("ledger", "entry", "--index", "7").strip())
    text = run("ledger", "prove-inclusion", "--index", "7")
    assert text.startswith("c2sp.org/tlog-proof@v1\nindex 7\n")
    verifier = note.parse_verifier_key(run("ledger", "public-key").strip())
    checkpoint, _ = proof.verify_proof(text, entry=entry, verifiers=[verifier])
    assert checkpoint.size == tree_size()
    with pytest.raises(merkle.ProofError):
        proof.verify_proof(text, entry=entry + b" ", verifiers=[verifier])


def test_given_two_sizes_when_consistency_proven_by_cli_then_hashes_link_the_two_roots():
    """GIVEN checkpoints at two sizes WHEN `prove-consistency --old S1` runs THEN its hashes verify."""
    append_n(11)
    old = checkpoint_issue()
    append_n(30)
    new = checkpoint_issue()
    lines = run("ledger", "prove-consistency", "--old", str(old.size)).split()
    hashes = [base64.b64decode(line) for line in lines]
    merkle.verify_consistency(
        old=old.size, new=new.size, old_root=bytes(old.root_hash), new_root=bytes(new.root_hash), proof=hashes
    )
    explicit = run("ledger", "prove-consistency", "--old", str(old.size), "--new", str(new.size)).split()
    assert explicit == lines


def test_given_a_rotation_when_the_key_changes_then_old_checkpoints_still_verify_and_the_bridge_has_both():
    """GIVEN checkpoints under key A WHEN the key is rotated to B
    THEN A stays a listed verifier, the bridging checkpoint carries both signatures, new ones only B's."""
    append_n(4)
    before = checkpoint_issue()
    old_vkey = keys.current_verifier_key()
    new_vkey = run("ledger", "rotate-key").strip()
    assert new_vkey != old_vkey and keys.verifier_keys() == [old_vkey, new_vkey]
    old_v, new_v = note.parse_verifier_key(old_vkey), note.parse_verifier_key(new_vkey)
    open_checkpoint(before.note, [old_v])
    bridge = checkpoint_latest()
    assert open_checkpoint(bridge.note, [old_v])[0] == open_checkpoint(bridge.note, [new_v])[0]
    append_n(1)
    later = checkpoint_issue()
    with pytest.raises(note.NoteError):
        open_checkpoint(later.note, [old_v])
    open_checkpoint(later.note, keys.verifiers())
