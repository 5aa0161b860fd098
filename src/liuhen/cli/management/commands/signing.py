"""``liuhen signing``: the seal keys at the console — status, rotation, the trust roots for receivers."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from liuhen.accounts.models import Agency
from liuhen.core.errors import DomainError
from liuhen.signing import ca
from liuhen.signing.config import load_config
from liuhen.signing.rotation import rotate_agency_seal, rotate_ca_seal
from liuhen.signing.signers import SealerInfo, sealer_for, subject_line
from liuhen.signing.verify import trust_roots_pem


class Command(BaseCommand):
    help = "Document seals: CA and agency certificates, rotation, trust roots for receivers."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="the CA and each agency's sealer: kind, subject, fingerprint, expiry")
        rotate = sub.add_parser("rotate", help="new key and certificate; what was sealed before stays valid")
        which = rotate.add_mutually_exclusive_group(required=True)
        which.add_argument("--agency", help="agency code")
        which.add_argument("--ca", action="store_true", help="the installation CA")
        sub.add_parser("export-roots", help="every trust root as one PEM file").add_argument("out")

    def handle(self, *args, **o):
        try:
            if o["action"] == "status":
                self._status()
            elif o["action"] == "rotate":
                self._rotate(o["agency"], o["ca"])
            else:
                Path(o["out"]).write_bytes(trust_roots_pem())
                self.stdout.write(f"wrote {o['out']}")
        except DomainError as exc:
            raise CommandError(exc.message) from None
        except OSError as exc:
            raise CommandError(f"{exc.filename}: {exc.strerror}") from None

    def _status(self) -> None:
        root = ca.ca_credentials().certificate
        self._line(
            "CA", SealerInfo("local-ca", subject_line(root), ca.fingerprint(root), root.not_valid_after_utc)
        )
        for agency in Agency.objects.order_by("code"):
            self._line(agency.code, sealer_for(agency).describe())

    def _line(self, name: str, info: SealerInfo) -> None:
        until = info.not_after.date().isoformat()
        self.stdout.write(f"{name:16} {info.kind:9} {info.fingerprint[:16]}  {until}  {info.subject}")

    def _rotate(self, code: str | None, whole_ca: bool) -> None:
        if whole_ca:
            new = rotate_ca_seal()
            self.stdout.write(f"CA rotated: {new.fingerprint[:16]} (agency certificates are reissued on use)")
            return
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(f"没有代码为 {code!r} 的机关")
        kind = load_config().entry(agency.code).kind
        if kind != "local-ca":
            raise CommandError(f"机关 {code} 使用 {kind} 签章，证书由机关自行管理，不能在此轮换")
        new = rotate_agency_seal(agency)
        self.stdout.write(f"{code} rotated: {new.fingerprint[:16]}")
