"""An agency key on a PKCS#11 token (SoftHSM2 stands in for the HSM/UKey)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from liuhen.signing.pades import seal_pdf
from liuhen.signing.signers import sealer_for
from liuhen.signing.verify import verify_pdf_signatures
from tests.signing.conftest import make_cert, pem, write_config

SOFTHSM = next(
    (p for p in ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib64/softhsm/libsofthsm2.so") if Path(p).exists()),
    None,
)
pkcs11 = pytest.importorskip("pkcs11", reason="python-pkcs11 is not installed (test extra)")
pytestmark = pytest.mark.skipif(
    SOFTHSM is None or shutil.which("softhsm2-util") is None,
    reason="SoftHSM2 is not installed (scripts/ensure-system-packages.sh test)",
)


@pytest.fixture
def token(tmp_path, monkeypatch):
    """A fresh SoftHSM token holding an agency key and its certificate (issued by a test root)."""
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    monkeypatch.setenv("TEST_TOKEN_PIN", "123456")
    util = ["softhsm2-util", "--pin", "123456"]
    subprocess.run(
        [*util, "--init-token", "--free", "--label", "liuhen", "--so-pin", "654321"],
        check=True,
        capture_output=True,
    )
    root, root_key = make_cert("HSM 测试根证书")
    cert, key = make_cert("龙江市城市管理综合行政执法局", issuer=(root, root_key), rsa_key=True)
    key_file = tmp_path / "seal.key"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    subprocess.run(
        [*util, "--import", str(key_file), "--token", "liuhen", "--label", "seal", "--id", "01"],
        check=True,
        capture_output=True,
    )
    lib = pkcs11.lib(SOFTHSM)
    with lib.get_token(token_label="liuhen").open(rw=True, user_pin="123456") as session:
        session.create_object(
            {
                pkcs11.Attribute.CLASS: pkcs11.ObjectClass.CERTIFICATE,
                pkcs11.Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                pkcs11.Attribute.TOKEN: True,
                pkcs11.Attribute.LABEL: "seal",
                pkcs11.Attribute.ID: b"\x01",
                pkcs11.Attribute.SUBJECT: cert.subject.public_bytes(),
                pkcs11.Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
    return root


def test_given_a_pkcs11_agency_then_the_token_key_seals_and_verifies(
    settings, tmp_path, small_pdf, agency, token
):
    (tmp_path / "roots.pem").write_bytes(pem(token))
    write_config(
        settings,
        tmp_path,
        f'trust_roots = "{tmp_path / "roots.pem"}"\n[agency.longjiang-cg]\nkind = "pkcs11"\n'
        f'module = "{SOFTHSM}"\ntoken_label = "liuhen"\nkey_label = "seal"\npin_env = "TEST_TOKEN_PIN"\n',
    )
    assert sealer_for(agency).describe().subject == agency.name
    [report] = verify_pdf_signatures(seal_pdf(small_pdf, agency=agency, reason="行政处罚决定书"))
    assert report.ok, report.problems
    assert report.signer_subject == agency.name
