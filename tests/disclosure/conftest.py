from __future__ import annotations

import pytest

from liuhen.core import clock
from tests.disclosure.world import RECEIVED, make_world


@pytest.fixture
def frozen_clock():
    """The clock stands at the day of receipt, 10:00 Beijing; tests move it."""
    with clock.frozen(RECEIVED) as move:
        yield move


@pytest.fixture
def world(db, tmp_path, settings, frozen_clock):
    return make_world(tmp_path)
