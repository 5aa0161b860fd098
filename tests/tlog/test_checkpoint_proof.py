"""Checkpoint bodies and c2sp.org/tlog-proof@v1 proofs."""

from __future__ import annotations

import pytest

from liuhen.tlog import checkpoint, merkle, note, proof

from ._vectors import require_vectors
from .test_note import SUMDB_VKEY


def test_given_a_checkpoint_when_formatting_and_parsing_then_it_round_trips():
    cp = checkpoint.Checkpoint("example.com/log", 20852163, bytes(range(32)), ("ext one",))
    assert checkpoint.parse_checkpoint(cp.text()) == cp
    assert cp.text().splitlines()[1] == "20852163"


@pytest.mark.parametrize(
    "text",
    [
        "example.com/log\n5\n" + "A" * 43 + "=",  # no final newline
        "example.com/log\n05\n" + "A" * 43 + "=\n",  # leading zero
        "example.com/log\n-5\n" + "A" * 43 + "=\n",
        "example.com/log\n5\n" + "A" * 42 + "==\n",  # 31 bytes
        "example.com/log\n5\n" + "A" * 43 + "=\n\n",  # empty extension line
        "\n5\n" + "A" * 43 + "=\n",  # empty origin
        "example.com/log\n5\n",
    ],
)
def test_given_malformed_checkpoint_text_when_parsing_then_it_is_refused(text):
    with pytest.raises(checkpoint.CheckpointError):
        checkpoint.parse_checkpoint(text)


def test_given_the_real_sumdb_proof_when_verifying_the_go_sum_record_then_inclusion_holds():
    """GIVEN sum.golang.org's proof for tessera v1.0.0 WHEN the record's lines (the go.sum lines,
    as sumdb serves them from /lookup) are hashed as an RFC 9162 leaf THEN it is included under the
    signed root."""
    proof_text = require_vectors("c2sp", "sumdb.tlog-proof").read_text()
    record = require_vectors("c2sp", "sumdb.raw").read_bytes()
    verifiers = [note.parse_verifier_key(SUMDB_VKEY)]
    cp, _ = proof.verify_proof(proof_text, entry=record, verifiers=verifiers, origin="go.sum database tree")
    assert cp.size == 58253265 and proof.parse_proof(proof_text).index == 43930254
    with pytest.raises(merkle.ProofError):
        proof.verify_proof(proof_text, entry=record.replace(b"v1.0.0", b"v1.0.1"), verifiers=verifiers)


def test_given_a_local_log_when_formatting_a_proof_then_it_parses_back_and_verifies():
    leaves = [merkle.leaf_hash(b"e%d" % i) for i in range(11)]
    store = merkle.MemoryHashStore.from_leaf_hashes(leaves)
    signer = note.generate_signer("liuhen.example/log")
    cp = checkpoint.Checkpoint("liuhen.example/log", 11, merkle.tree_root(store, 11))
    text = proof.format_proof(
        index=6,
        hashes=merkle.inclusion_proof(store, 6, 11),
        checkpoint_note=checkpoint.sign_checkpoint(cp, signer),
    )
    assert proof.format_proof(**proof.parse_proof(text).__dict__) == text
    proof.verify_proof(text, entry=b"e6", verifiers=[signer.verifier()])
    with pytest.raises(merkle.ProofError):
        proof.verify_proof(text, entry=b"e7", verifiers=[signer.verifier()])
    with pytest.raises(note.NoteError):
        proof.verify_proof(
            text, entry=b"e6", verifiers=[note.generate_signer("liuhen.example/log").verifier()]
        )
    for broken in [
        text.replace("index 6", "index 06"),
        text.replace("c2sp.org", "c2sp.com"),
        text.split("\n\n")[0],
    ]:
        with pytest.raises(proof.ProofFormatError):
            proof.parse_proof(broken)
