"""The checker's own cryptography, standard library only: SM3 (GB/T 32905) and ECDSA P-256 over a
detached CMS, each compared with a reference implementation (OpenSSL via hashlib / pyca cryptography)."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from liuhen.archive import cms
from liuhen.archive.sm3 import PureSm3, sm3_hex
from liuhen.issuing.services import sm3_hex as openssl_sm3


def test_given_the_gbt_32905_vectors_then_pure_sm3_gives_the_standards_digests():
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300), st.integers(min_value=1, max_value=97))
def test_given_any_bytes_fed_in_any_chunks_then_pure_sm3_equals_openssls(data, step):
    hasher = PureSm3()
    for offset in range(0, len(data), step):
        hasher.update(data[offset : offset + step])
    assert hasher.hexdigest() == openssl_sm3(data)


def _certificate(subject: str, key, issuer: str, issuer_key) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2040, 1, 1, tzinfo=UTC))
        .sign(issuer_key, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def seal():
    ca_key = ec.generate_private_key(ec.SECP256R1())
    root = _certificate("测试根证书", ca_key, "测试根证书", ca_key)
    key = ec.generate_private_key(ec.SECP256R1())
    return key, _certificate("测试执法局", key, "测试根证书", ca_key), root


def _sign(seal, data: bytes) -> bytes:
    key, cert, root = seal
    options = [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(cert, key, hashes.SHA256())
    return builder.add_certificate(root).sign(serialization.Encoding.DER, options)


def test_given_a_cms_made_by_cryptography_then_the_stdlib_checker_verifies_digest_signature_and_chain(seal):
    data = "<被签名对象>…</被签名对象>".encode()
    result = cms.verify_detached(_sign(seal, data), data)
    assert (result.digest_matches, result.signature_valid, result.chain_valid) == (True, True, True)
    assert result.root is not None and result.root.der == seal[2].public_bytes(serialization.Encoding.DER)


def test_given_other_content_or_a_flipped_signature_byte_then_the_check_fails(seal):
    data = b"signed object"
    signature = _sign(seal, data)
    assert not cms.verify_detached(signature, data + b" changed").digest_matches
    damaged = bytearray(signature)
    damaged[-10] ^= 0x01  # inside the ECDSA value, the last field of the SignerInfo
    assert not cms.verify_detached(bytes(damaged), data).signature_valid
    assert cms.verify_detached(b"\x30\x03\x02\x01\x00", data).problem


def test_given_a_chain_to_another_ca_then_the_chain_does_not_hold(seal):
    key, cert, _root = seal
    stranger_key = ec.generate_private_key(ec.SECP256R1())
    stranger = _certificate("测试根证书", stranger_key, "测试根证书", stranger_key)  # same name, other key
    options = [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]
    builder = pkcs7.PKCS7SignatureBuilder().set_data(b"x").add_signer(cert, key, hashes.SHA256())
    result = cms.verify_detached(
        builder.add_certificate(stranger).sign(serialization.Encoding.DER, options), b"x"
    )
    assert result.signature_valid and not result.chain_valid


def test_given_many_messages_then_pure_ecdsa_agrees_with_cryptography(seal):
    key = seal[0]
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    for size in range(0, 200, 13):
        message = os.urandom(size)
        signature = key.sign(message, ec.ECDSA(hashes.SHA256()))
        assert cms.ecdsa_p256_verify(point, signature, message)
        assert not cms.ecdsa_p256_verify(point, signature, message + b"\x00")
