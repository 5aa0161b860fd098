"""Fixtures of the web tests: one agency, its officers, a logged-in client; a live server and Chromium."""

from __future__ import annotations

import pytest

from tests.factories import make_agency, make_user
from tests.live_server import chromium, live_server


@pytest.fixture
def agency(settings):  # ``settings`` makes tests/conftest.py give each test its own blob store
    return make_agency(name="大连高新技术产业园区城市管理行政执法局")


@pytest.fixture
def officer(agency):
    return make_user(agency, ["officer", "handler"], username="zhangwei", name="张伟")


@pytest.fixture
def colleague(agency):
    return make_user(agency, ["officer"], username="lina", name="李娜")


@pytest.fixture
def client_in(client, officer):
    client.force_login(officer)
    return client


# --- a real server and Chromium, for the browser tests of this folder (one of each per module) -----


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("liuhen-data")) as running:
        yield running.url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched
