"""The installation CA: files, modes, creation races, rotation bookkeeping."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

from cryptography import x509

from liuhen.signing import ca


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_given_first_use_when_an_agency_needs_a_seal_then_keys_are_0600_in_0700_directories(settings, agency):
    creds = ca.agency_credentials(agency)
    folder = settings.LIUHEN_SIGNING_DIR
    assert _mode(folder) == 0o700
    for path in folder.rglob("*"):
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
    assert (folder / "ca.pem").exists() and (folder / "agencies" / "longjiang-cg.pem").exists()
    subject = creds.certificate.subject
    assert subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == agency.name
    assert subject.get_attributes_for_oid(x509.NameOID.COUNTRY_NAME)[0].value == "CN"
    usage = creds.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign


def test_given_no_keys_when_many_threads_ask_at_once_then_all_get_the_same_key(agency):
    with ThreadPoolExecutor(max_workers=8) as pool:
        prints = set(pool.map(lambda _: ca.agency_credentials(agency).fingerprint, range(16)))
    assert len(prints) == 1
    assert len(ca.trust_certificates()) == 1


def test_given_an_agency_key_when_rotated_then_a_new_key_and_the_old_certificate_is_retired(agency):
    old = ca.agency_credentials(agency)
    new = ca.rotate_agency(agency)
    assert new.fingerprint != old.fingerprint
    assert ca.agency_credentials(agency).fingerprint == new.fingerprint
    assert old.fingerprint in {ca.fingerprint(c) for c in ca.retired_certificates()}


def test_given_a_ca_rotation_then_every_ca_stays_a_trust_root_and_agencies_are_reissued(agency):
    old_ca = ca.ca_credentials()
    old_agency = ca.agency_credentials(agency)
    new_ca = ca.rotate_ca()
    reissued = ca.agency_credentials(agency)
    roots = [ca.fingerprint(c) for c in ca.trust_certificates()]
    assert sorted(roots) == sorted([old_ca.fingerprint, new_ca.fingerprint])
    assert reissued.fingerprint != old_agency.fingerprint
    assert reissued.certificate.issuer == new_ca.certificate.subject


def test_given_an_officer_when_asked_then_the_certificate_names_them_and_their_certificate_number(agency):
    officer = SimpleNamespace(
        username="zhang3", full_name="张三", certificate_no="23010012345", agency=agency
    )
    subject = ca.officer_credentials(officer).certificate.subject
    assert subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "张三"
    assert subject.get_attributes_for_oid(x509.NameOID.SERIAL_NUMBER)[0].value == "23010012345"


def test_the_crl_is_signed_by_the_current_ca_and_empty():
    crl = ca.current_crl()
    assert crl.is_signature_valid(ca.ca_credentials().key.public_key())
    assert len(crl) == 0
