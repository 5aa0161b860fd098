"""Agencies with their own certificate (PKCS#12), a config that is wrong, and a real RFC 3161 TSA."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from liuhen.signing.config import SigningConfigError
from liuhen.signing.embed import SealingFailed, asn1_certificate
from liuhen.signing.pades import seal_pdf
from liuhen.signing.verify import trust_roots_pem, verify_pdf_signatures
from tests.signing.conftest import make_cert, pem, write_config


@pytest.fixture
def own_certificate(tmp_path, monkeypatch):
    """An agency certificate from an outside CA, in a .p12 with a passphrase from the environment."""
    root, root_key = make_cert("外部测试根证书")
    leaf, leaf_key = make_cert("龙江市城市管理综合行政执法局", issuer=(root, root_key))
    p12 = pkcs12.serialize_key_and_certificates(
        b"seal", leaf_key, leaf, [root], serialization.BestAvailableEncryption(b"s3cret")
    )
    (tmp_path / "seal.p12").write_bytes(p12)
    monkeypatch.setenv("TEST_P12_PASSPHRASE", "s3cret")
    return root


def _p12_config(settings, tmp_path, extra: str = "") -> None:
    write_config(
        settings,
        tmp_path,
        f'{extra}[agency.longjiang-cg]\nkind = "pkcs12"\nfile = "{tmp_path / "seal.p12"}"\n'
        'passphrase_env = "TEST_P12_PASSPHRASE"\n',
    )


def test_given_a_pkcs12_agency_then_it_seals_and_is_trusted_only_once_its_root_is_listed(
    settings, tmp_path, small_pdf, agency, own_certificate
):
    _p12_config(settings, tmp_path)
    sealed = seal_pdf(small_pdf, agency=agency, reason="行政处罚决定书")
    [report] = verify_pdf_signatures(sealed)
    assert report.intact and report.valid and not report.trusted

    (tmp_path / "roots.pem").write_bytes(pem(own_certificate))
    _p12_config(settings, tmp_path, extra=f'trust_roots = "{tmp_path / "roots.pem"}"\n')
    [report] = verify_pdf_signatures(sealed)
    assert report.ok and report.trusted
    assert pem(own_certificate) in trust_roots_pem()


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('kind = "pkcs12"\nfile = "/nonexistent.p12"\n', "file"),
        ('kind = "pkcs12"\nfile = "{p12}"\npassphrase_env = "NO_SUCH_VARIABLE_SET"\n', "passphrase_env"),
        ('kind = "pkcs12"\nfile = "{p12}"\npassfrase_env = "X"\n', "passfrase_env"),
        ('kind = "sm2-ofd"\n', "kind"),
    ],
)
def test_given_a_bad_config_when_sealing_then_one_line_names_the_agency_and_the_key(
    settings, tmp_path, small_pdf, agency, own_certificate, table, key
):
    write_config(settings, tmp_path, "[agency.longjiang-cg]\n" + table.format(p12=tmp_path / "seal.p12"))
    with pytest.raises(SigningConfigError) as caught:
        seal_pdf(small_pdf, agency=agency, reason="行政处罚决定书")
    message = caught.value.message
    assert "\n" not in message and "longjiang-cg" in message and f" {key}：" in message


@pytest.fixture
def tsa_url(settings, tmp_path):
    """A real RFC 3161 timestamp authority over HTTP on 127.0.0.1, with its own test CA."""
    root, root_key = make_cert("测试时间戳根证书", rsa_key=True)
    cert, key = make_cert("测试时间戳服务", issuer=(root, root_key), rsa_key=True, tsa=True)
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    stamper = DummyTimeStamper(asn1_certificate(cert), asn1_keys.PrivateKeyInfo.load(der))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    (tmp_path / "roots.pem").write_bytes(pem(root))
    write_config(settings, tmp_path, f'trust_roots = "{tmp_path / "roots.pem"}"\n')
    settings.LIUHEN_TSA_URL = f"http://127.0.0.1:{server.server_port}/"
    yield settings.LIUHEN_TSA_URL
    server.shutdown()


def test_given_a_timestamp_authority_when_sealing_then_the_seal_is_b_t_with_its_time(
    tsa_url, small_pdf, agency
):
    [report] = verify_pdf_signatures(seal_pdf(small_pdf, agency=agency, reason="行政处罚决定书"))
    assert report.ok, report.problems
    assert report.level == "B-T" and report.timestamp_present and report.timestamp_time is not None


def test_given_an_unreachable_timestamp_authority_then_sealing_fails_with_one_line(
    settings, small_pdf, agency
):
    settings.LIUHEN_TSA_URL = "http://127.0.0.1:9/"
    with pytest.raises(SealingFailed, match="时间戳服务"):
        seal_pdf(small_pdf, agency=agency, reason="行政处罚决定书")
