"""Two processes creating the log's key at once (two `migrate` runs, two test workers) agree on one key."""

from concurrent.futures import ThreadPoolExecutor

from liuhen.ledger import keys


def test_given_no_key_when_many_create_it_at_once_then_all_get_the_same_key_listed_once(settings, tmp_path):
    settings.LIUHEN_KEY_DIR = tmp_path / "keys"
    with ThreadPoolExecutor(max_workers=8) as pool:
        signers = list(pool.map(lambda _: keys.ensure_signer().skey(), range(16)))
    assert len(set(signers)) == 1
    assert keys.verifier_keys() == [keys.current_verifier_key()]
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == [keys.SIGNER_FILE, keys.VERIFIERS_FILE]


def test_given_an_existing_key_when_written_exclusively_then_it_is_kept(settings, tmp_path):
    target = tmp_path / "k"
    target.write_text("first\n")
    assert keys._write_private(target, "second\n", exclusive=True) is False
    assert target.read_text() == "first\n" and [p.name for p in tmp_path.iterdir()] == ["k"]
