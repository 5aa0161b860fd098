"""Merkle hashing, the stored-hash tree, proofs, and the RFC 9162 verification algorithms."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from liuhen.tlog import merkle

from ._vectors import require_vectors, vectors_dir


def _b64(value: str) -> bytes:
    return base64.b64decode(value) if value else b""


def _reference_mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1 MTH written as the recursive definition, to check the fast code against."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return merkle.node_hash(_reference_mth(leaves[:k]), _reference_mth(leaves[k:]))


def _leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(f"entry {i}".encode()) for i in range(n)]


def _vector_files(kind: str) -> list:
    root = vectors_dir() / "rfc9162" / kind
    return sorted(root.rglob("*.json")) if root.exists() else []


def test_given_rfc_prefixes_when_hashing_then_leaf_and_node_use_0x00_and_0x01():
    assert merkle.leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert merkle.node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()


def test_given_appends_one_by_one_when_asking_roots_then_every_prefix_matches_the_recursive_definition():
    leaves = _leaves(70)
    store = merkle.MemoryHashStore()
    for n, leaf in enumerate(leaves):
        assert merkle.tree_root(store, n) == _reference_mth(leaves[:n])
        store.append_leaf(leaf)
    assert merkle.root_from_leaves(leaves) == _reference_mth(leaves)
    bulk = merkle.MemoryHashStore.from_leaf_hashes(leaves)
    assert bulk.levels == store.levels


def test_given_one_append_when_computing_new_nodes_then_only_completed_subtrees_are_written():
    store = merkle.MemoryHashStore.from_leaf_hashes(_leaves(7))
    new = merkle.append(store, 7, merkle.leaf_hash(b"x"))
    assert sorted(new) == [(0, 7), (1, 3), (2, 1), (3, 0)]
    assert sorted(merkle.append(store, 8, merkle.leaf_hash(b"y"))) == [(0, 8)]


def test_given_every_index_and_size_up_to_33_when_proving_then_proofs_verify_and_tampering_fails():
    leaves = _leaves(33)
    store = merkle.MemoryHashStore.from_leaf_hashes(leaves)
    for size in range(1, 34):
        root = merkle.tree_root(store, size)
        for index in range(size):
            proof = merkle.inclusion_proof(store, index, size)
            merkle.verify_inclusion(leaf=leaves[index], index=index, size=size, proof=proof, root=root)
            if proof:
                bad = [proof[0][:-1] + bytes([proof[0][-1] ^ 1]), *proof[1:]]
                with pytest.raises(merkle.ProofError):
                    merkle.verify_inclusion(leaf=leaves[index], index=index, size=size, proof=bad, root=root)


def test_given_all_size_pairs_up_to_33_when_proving_consistency_then_proofs_verify_and_wrong_roots_fail():
    store = merkle.MemoryHashStore.from_leaf_hashes(_leaves(33))
    roots = [merkle.tree_root(store, n) for n in range(34)]
    forked = merkle.MemoryHashStore.from_leaf_hashes([merkle.leaf_hash(b"forged"), *_leaves(33)[1:]])
    for new in range(1, 34):
        for old in range(1, new + 1):
            proof = merkle.consistency_proof(store, old, new)
            merkle.verify_consistency(old=old, new=new, old_root=roots[old], new_root=roots[new], proof=proof)
            fork_root = merkle.tree_root(forked, new)
            with pytest.raises(merkle.ProofError):
                merkle.verify_consistency(
                    old=old, new=new, old_root=roots[old], new_root=fork_root, proof=proof
                )


def test_given_impossible_requests_when_proving_then_a_proof_error_is_raised():
    store = merkle.MemoryHashStore.from_leaf_hashes(_leaves(4))
    with pytest.raises(merkle.ProofError):
        merkle.inclusion_proof(store, 4, 4)
    with pytest.raises(merkle.ProofError):
        merkle.consistency_proof(store, 3, 2)
    with pytest.raises(KeyError):
        merkle.tree_root(store, 5)


@pytest.mark.parametrize("path", _vector_files("inclusion"), ids=lambda p: str(p.relative_to(p.parents[2])))
def test_given_rfc9162_inclusion_vector_when_verifying_then_outcome_matches_want_err(path):
    vector = json.loads(path.read_text())
    kwargs = dict(
        leaf=_b64(vector["leafHash"]),
        index=vector["leafIdx"],
        size=vector["treeSize"],
        proof=[_b64(p) for p in vector["proof"] or []],
        root=_b64(vector["root"]),
    )
    if vector["wantErr"]:
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(**kwargs)
    else:
        merkle.verify_inclusion(**kwargs)


@pytest.mark.parametrize("path", _vector_files("consistency"), ids=lambda p: str(p.relative_to(p.parents[2])))
def test_given_rfc9162_consistency_vector_when_verifying_then_outcome_matches_want_err(path):
    vector = json.loads(path.read_text())
    kwargs = dict(
        old=vector["size1"],
        new=vector["size2"],
        old_root=_b64(vector["root1"]),
        new_root=_b64(vector["root2"]),
        proof=[_b64(p) for p in vector["proof"] or []],
    )
    if vector["wantErr"]:
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(**kwargs)
    else:
        merkle.verify_consistency(**kwargs)


def test_given_the_vector_folder_when_counting_then_both_kinds_are_present():
    """GIVEN the shared vectors WHEN collected THEN none of the two families silently vanished."""
    require_vectors("rfc9162")
    assert len(_vector_files("inclusion")) > 50
    assert len(_vector_files("consistency")) > 50
