"""Canonical JSON: the bytes the ledger hashes must be deterministic."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liuhen.core.canonical import NotCanonicalizable, canonical_bytes, canonical_loads

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


def test_given_keys_in_any_order_when_encoded_then_sorted_compact_utf8():
    assert canonical_bytes({"b": 1, "a": "留痕"}) == '{"a":"留痕","b":1}'.encode()


def test_given_a_float_when_encoded_then_refused_with_its_path():
    with pytest.raises(NotCanonicalizable, match=r"\$\.fine"):
        canonical_bytes({"fine": 1.5})


def test_given_non_canonical_bytes_when_loaded_then_refused():
    with pytest.raises(NotCanonicalizable):
        canonical_loads(b'{"b":1, "a":2}')


@given(json_values)
def test_given_any_json_value_when_round_tripped_then_bytes_are_identical(value):
    data = canonical_bytes(value)
    assert canonical_bytes(canonical_loads(data)) == data
