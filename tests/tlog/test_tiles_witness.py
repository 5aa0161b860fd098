"""Tiles (paths, bytes, entry bundles, a tile-backed reader) and the witness core."""

from __future__ import annotations

import pytest

from liuhen.tlog import merkle, note, tiles, witness
from liuhen.tlog.checkpoint import Checkpoint, sign_checkpoint


@pytest.mark.parametrize(
    ("args", "path"),
    [
        ((0, 5), "tile/0/005"),
        ((0, 1234067), "tile/0/x001/x234/067"),
        ((1, 1234067, 8), "tile/1/x001/x234/067.p/8"),
        ((2, 1000), "tile/2/x001/000"),
    ],
)
def test_given_tile_coordinates_when_encoding_the_path_then_the_c2sp_form_is_used(args, path):
    assert tiles.tile_path(*args) == path


def test_given_an_entry_bundle_when_encoding_then_length_prefixes_round_trip():
    assert tiles.entries_path(1234067, 3) == "tile/entries/x001/x234/067.p/3"
    data = tiles.encode_entry_bundle([b"a", b"", b"xyz"])
    assert data == b"\x00\x01a\x00\x00\x00\x03xyz"
    assert tiles.decode_entry_bundle(data) == [b"a", b"", b"xyz"]
    with pytest.raises(ValueError):
        tiles.decode_entry_bundle(data[:-1])


def _store(n: int) -> tuple[merkle.MemoryHashStore, list[bytes]]:
    leaves = [merkle.leaf_hash(b"%d" % i) for i in range(n)]
    return merkle.MemoryHashStore.from_leaf_hashes(leaves), leaves


def test_given_tiles_served_from_the_store_when_a_client_computes_proofs_then_they_match_the_log():
    size = 70_000  # three tile levels, partial tiles at each
    store, leaves = _store(size)
    published = {
        tiles.tile_path(level, n, w): tiles.tile_bytes(store, level, n, w)
        for level, n, w in tiles.tiles_for_size(size)
    }
    fetched: list[str] = []
    reader = tiles.TileReader(lambda p: fetched.append(p) or published[p], size)
    root = merkle.tree_root(store, size)
    assert merkle.tree_root(reader, size) == root
    for index in (0, 255, 256, 65_535, 69_999):
        proof = merkle.inclusion_proof(reader, index, size)
        assert proof == merkle.inclusion_proof(store, index, size)
        merkle.verify_inclusion(leaf=leaves[index], index=index, size=size, proof=proof, root=root)
    assert merkle.consistency_proof(reader, 300, size) == merkle.consistency_proof(store, 300, size)
    assert "tile/0/273.p/112" in fetched and len(fetched) < 20


def _signed(store, size, signer):
    return sign_checkpoint(Checkpoint("log.example", size, merkle.tree_root(store, size)), signer)


def test_given_a_growing_log_when_the_witness_updates_then_state_advances_and_forks_are_refused():
    log = note.generate_signer("log.example")
    store, _ = _store(40)
    keys = [log.verifier()]
    state = witness.update(state=None, new_note=_signed(store, 10, log), proof=[], verifiers=keys)
    state = witness.update(
        state=state,
        new_note=_signed(store, 40, log),
        proof=merkle.consistency_proof(store, 10, 40),
        verifiers=keys,
    )
    assert "\n40\n" in state
    with pytest.raises(witness.WitnessError) as rollback:
        witness.update(state=state, new_note=_signed(store, 30, log), proof=[], verifiers=keys)
    assert rollback.value.kind == "rollback"
    forked, _ = _store(41)
    forked.levels[0][3] = merkle.leaf_hash(b"changed")
    forked = merkle.MemoryHashStore.from_leaf_hashes(forked.levels[0])
    with pytest.raises(witness.WitnessError) as fork:
        witness.update(
            state=state,
            new_note=_signed(forked, 41, log),
            proof=merkle.consistency_proof(forked, 40, 41),
            verifiers=keys,
        )
    assert fork.value.kind == "fork"
    with pytest.raises(witness.WitnessError) as bad:
        witness.update(
            state=state,
            new_note=_signed(store, 40, note.generate_signer("log.example")),
            proof=[],
            verifiers=keys,
        )
    assert bad.value.kind == "bad signature"


def test_given_an_accepted_checkpoint_when_cosigned_then_the_cosignature_verifies():
    log = note.generate_signer("log.example")
    w = note.generate_signer("witness.example", sig_type=note.TYPE_COSIGNATURE_V1)
    store, _ = _store(3)
    cosigned = witness.cosign(_signed(store, 3, log), w, timestamp=1_800_000_000)
    _, sigs = note.open_note(cosigned, [w.verifier()])
    assert sigs[0].name == "witness.example"


def test_given_a_non_http_url_when_fetching_then_it_is_refused():
    with pytest.raises(ValueError):
        witness.fetch("file:///etc/passwd")
