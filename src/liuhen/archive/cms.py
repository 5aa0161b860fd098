"""Check a detached CMS SignedData (RFC 5652) made with ECDSA P-256 / SHA-256, standard library only.

The package's 电子签名块 carries such a signature over the canonical bytes of each 被签名对象. A receiving
archive may check it with ``openssl cms -verify``; the standalone checker checks it here, without
OpenSSL's Python bindings: a minimal DER reader, the message-digest binding, the ECDSA signature over
the signed attributes (FIPS 186-4 verification on the NIST P-256 curve) and the signer certificate's
signature by the CA certificate carried with it. Trust in that CA is the reader's decision: the checker
reports its SHA-256 fingerprint to compare with the one the agency publishes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# --- DER --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tlv:
    tag: int
    value: bytes
    raw: bytes  # the whole encoding, header included


def _read(data: bytes, offset: int) -> tuple[Tlv, int]:
    tag = data[offset]
    length = data[offset + 1]
    start = offset + 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4:
            raise ValueError("unsupported DER length")
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise ValueError("truncated DER")
    return Tlv(tag, data[start:end], data[offset:end]), end


def parse(data: bytes) -> Tlv:
    tlv, end = _read(data, 0)
    if end != len(data):
        raise ValueError("trailing bytes after DER value")
    return tlv


def children(tlv: Tlv) -> list[Tlv]:
    out, offset = [], 0
    while offset < len(tlv.value):
        child, offset = _read(tlv.value, offset)
        out.append(child)
    return out


def oid(tlv: Tlv) -> str:
    if tlv.tag != 0x06:
        raise ValueError("not an OBJECT IDENTIFIER")
    first, arcs, value = tlv.value[0], [], 0
    arcs = [first // 40, first % 40] if first < 80 else [2, first - 80]
    for byte in tlv.value[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    return ".".join(map(str, arcs))


# --- P-256 ECDSA ------------------------------------------------------------------------------------

_P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
_A = _P - 3
_B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_G = (
    0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
    0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
)
Point = tuple[int, int] | None


def _add(p: Point, q: Point) -> Point:
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0]:
        if (p[1] + q[1]) % _P == 0:
            return None
        slope = (3 * p[0] * p[0] + _A) * pow(2 * p[1], -1, _P)
    else:
        slope = (q[1] - p[1]) * pow(q[0] - p[0], -1, _P)
    x = (slope * slope - p[0] - q[0]) % _P
    return x, (slope * (p[0] - x) - p[1]) % _P


def _mul2(k1: int, p1: Point, k2: int, p2: Point) -> Point:
    """k1·p1 + k2·p2 (Shamir's trick)."""
    both = _add(p1, p2)
    result: Point = None
    for bit in range(max(k1.bit_length(), k2.bit_length()) - 1, -1, -1):
        result = _add(result, result)
        pick = ((k1 >> bit) & 1, (k2 >> bit) & 1)
        if pick == (1, 1):
            result = _add(result, both)
        elif pick == (1, 0):
            result = _add(result, p1)
        elif pick == (0, 1):
            result = _add(result, p2)
    return result


def _on_curve(x: int, y: int) -> bool:
    return 0 <= x < _P and 0 <= y < _P and (y * y - (x * x * x + _A * x + _B)) % _P == 0


def ecdsa_p256_verify(public_point: bytes, signature_der: bytes, message: bytes) -> bool:
    """FIPS 186-4 §6.4 verification with SHA-256; ``public_point`` is the uncompressed 0x04‖X‖Y."""
    if len(public_point) != 65 or public_point[0] != 4:
        return False
    qx, qy = int.from_bytes(public_point[1:33], "big"), int.from_bytes(public_point[33:], "big")
    if not _on_curve(qx, qy):
        return False
    try:
        r_tlv, s_tlv = children(parse(signature_der))
    except ValueError:
        return False
    r, s = int.from_bytes(r_tlv.value, "big"), int.from_bytes(s_tlv.value, "big")
    if not (0 < r < _N and 0 < s < _N):
        return False
    e = int.from_bytes(hashlib.sha256(message).digest(), "big")
    w = pow(s, -1, _N)
    point = _mul2(e * w % _N, _G, r * w % _N, (qx, qy))
    return point is not None and point[0] % _N == r


# --- certificates and CMS ---------------------------------------------------------------------------

ECDSA_SHA256 = "1.2.840.10045.4.3.2"
_SIGNED_DATA = "1.2.840.113549.1.7.2"
_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
_SHA256 = "2.16.840.1.101.3.4.2.1"


@dataclass(frozen=True)
class Certificate:
    der: bytes
    tbs: bytes
    serial: int
    issuer: bytes
    subject: bytes
    public_point: bytes
    signature: bytes

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.der).hexdigest()

    def signed_by(self, issuer: Certificate) -> bool:
        return self.issuer == issuer.subject and ecdsa_p256_verify(
            issuer.public_point, self.signature, self.tbs
        )


def certificate(der: bytes) -> Certificate:
    tbs, _alg, signature = children(parse(der))
    fields = children(tbs)
    if fields[0].tag == 0xA0:  # explicit version
        fields = fields[1:]
    serial, _sig_alg, issuer, _validity, subject, spki = fields[:6]
    bit_string = children(spki)[1].value
    return Certificate(
        der=der,
        tbs=tbs.raw,
        serial=int.from_bytes(serial.value, "big"),
        issuer=issuer.raw,
        subject=subject.raw,
        public_point=bit_string[1:],
        signature=signature.value[1:],
    )


@dataclass(frozen=True)
class CmsResult:
    """What a detached signature says: the digest it binds, and whether the signature and chain hold."""

    digest_matches: bool
    signature_valid: bool
    chain_valid: bool
    signer: Certificate | None
    root: Certificate | None
    problem: str = ""


def verify_detached(cms_der: bytes, content: bytes) -> CmsResult:
    """Check a detached SignedData over ``content``; never raises on bad input."""
    try:
        return _verify(cms_der, content)
    except (ValueError, IndexError) as exc:
        return CmsResult(False, False, False, None, None, f"签名数据无法解析：{exc}")


def _verify(cms_der: bytes, content: bytes) -> CmsResult:
    content_type, explicit = children(parse(cms_der))
    if oid(content_type) != _SIGNED_DATA:
        raise ValueError("not a SignedData")
    parts = children(children(explicit)[0])
    certs = [certificate(c.raw) for part in parts if part.tag == 0xA0 for c in children(part)]
    signer_info = children(parts[-1])[0]
    fields = children(signer_info)
    sid_serial = int.from_bytes(children(fields[1])[1].value, "big")
    if oid(children(fields[2])[0]) != _SHA256:
        raise ValueError("digest algorithm is not SHA-256")
    attrs_tlv = fields[3]
    if attrs_tlv.tag != 0xA0:
        raise ValueError("no signed attributes")
    if oid(children(fields[4])[0]) != ECDSA_SHA256:
        raise ValueError("signature algorithm is not ecdsa-with-SHA256")
    digest = _message_digest(attrs_tlv)
    signer = next((c for c in certs if c.serial == sid_serial), None)
    if signer is None:
        return CmsResult(False, False, False, None, None, "签名数据中没有签名人证书")
    signed_attrs = b"\x31" + attrs_tlv.raw[1:]  # RFC 5652 §5.4: signed as a SET OF
    valid = ecdsa_p256_verify(signer.public_point, fields[5].value, signed_attrs)
    root = next((c for c in certs if c is not signer and signer.signed_by(c)), None)
    chain = root is not None and root.signed_by(root)
    return CmsResult(digest == hashlib.sha256(content).digest(), valid, chain, signer, root)


def _message_digest(attrs: Tlv) -> bytes:
    for attribute in children(attrs):
        kind, values = children(attribute)
        if oid(kind) == _MESSAGE_DIGEST:
            return children(values)[0].value
    raise ValueError("no messageDigest attribute")
