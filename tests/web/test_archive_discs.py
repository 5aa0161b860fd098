"""光盘备份 on the signed-off case file's page: the archivist makes a disc image, it is recorded as a
carrier and listed; a carrier number already used is refused in Chinese; other roles get 403."""

from __future__ import annotations

import hashlib

import pytest

from liuhen.archive import services
from liuhen.archive.models import DiscCopy
from tests.archive.test_core_services import closed_case
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def test_the_archivist_makes_a_disc_image_from_the_case_file_page(client):
    agency = make_agency()
    officer, head = make_user(agency), make_user(agency, ["head"])
    compiler, checker = make_user(agency, ["archivist"]), make_user(agency, ["archivist"])
    case = closed_case(officer, head)
    services.case_file_compile(case=case, by=compiler)
    case_file = services.case_file_sign(case=case, by=checker)
    client.force_login(checker)
    page = client.get(f"/archive/cases/{case.pk}/").content.decode()
    assert "光盘备份" in page and "尚未制作光盘备份" in page and "制作并下载映像" in page

    made = client.post(f"/archive/cases/{case.pk}/disc", {"carrier_type": "bd-r", "carrier_no": ""})
    assert made.status_code == 200 and made["Content-Type"] == "application/x-iso9660-image"
    image = b"".join(made.streaming_content)
    disc = DiscCopy.objects.get()
    assert disc.image_sha256 == hashlib.sha256(image).hexdigest() and disc.made_by == checker
    page = client.get(f"/archive/cases/{case.pk}/").content.decode()
    assert f"{case_file.archive_no}-GP01" in page and "BD-R 蓝光光盘" in page

    again = client.post(
        f"/archive/cases/{case.pk}/disc", {"carrier_type": "dvd-r", "carrier_no": disc.carrier_no}
    )
    assert again.status_code == 302 and DiscCopy.objects.count() == 1
    assert "已登记，请换一个编号" in client.get(again["Location"]).content.decode()

    client.force_login(officer)
    assert client.post(f"/archive/cases/{case.pk}/disc", {"carrier_type": "dvd-r"}).status_code == 403
