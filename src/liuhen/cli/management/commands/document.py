"""``liuhen document pdf ID OUT.pdf`` (as a user, scoped and logged like the web and the API) and
``liuhen document verify-pdf FILE`` (what a receiver of the PDF runs: seal, record, log proof)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography import x509
from django.core.management.base import BaseCommand, CommandError

from liuhen.cli.acting import acting_user, add_acting_argument
from liuhen.core.errors import DomainError
from liuhen.issuing.services import document_pdf
from liuhen.issuing.verify import PdfVerification, attached_record, verify_issued_pdf


class Command(BaseCommand):
    help = "Issue a document as a sealed PDF/A, or verify an issued PDF (seal, record, log proof)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        pdf = sub.add_parser("pdf", help="write a document's PDF (issued and sealed on first request)")
        pdf.add_argument("document_id", type=int)
        pdf.add_argument("out", type=Path)
        pdf.add_argument("--version", type=int, help="amendments applied (0: the original; default: current)")
        pdf.add_argument("--copy", choices=("file", "party"), default="file", help="存档联 or 当事人联")
        add_acting_argument(pdf)
        check = sub.add_parser("verify-pdf", help="check an issued PDF: seal, attached record, log inclusion")
        check.add_argument("file", type=Path)
        check.add_argument("--proof", type=Path, help="the verification address's JSON, saved to a file")
        check.add_argument("--key", action="append", default=[], help="trusted log verifier key (repeatable)")
        check.add_argument("--keys", type=Path, help="file of trusted log verifier keys")
        check.add_argument("--roots", type=Path, help="sealing roots to trust (liuhen signing export-roots)")
        check.add_argument(
            "--offline", action="store_true", help="do not read the local ledger for the proof"
        )

    def handle(self, *args, **o):
        if o["action"] == "pdf":
            return self._pdf(o)
        return self._verify(o)

    def _pdf(self, o):
        user = acting_user(o["acting_user"])
        try:
            issued = document_pdf(
                user=user, document_id=o["document_id"], version=o["version"], copy=o["copy"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        try:
            o["out"].write_bytes(issued.content)
        except OSError as exc:
            raise CommandError(f"cannot write {o['out']}: {exc.strerror}") from None
        kind = "viewing copy (personal data masked, not sealed)" if issued.viewing_copy else "issued"
        digest = f" sha256 {issued.issued.sha256} sm3 {issued.issued.sm3}" if issued.issued else ""
        self.stdout.write(f"{o['out']}: {len(issued.content)} bytes, {kind}{digest}")

    def _verify(self, o):
        try:
            pdf = o["file"].read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {o['file']}: {exc.strerror}") from None
        if not pdf.startswith(b"%PDF-"):
            raise CommandError(f"{o['file']} is not a PDF")
        keys = list(o["key"])
        if o["keys"]:
            keys += [line.strip() for line in o["keys"].read_text().splitlines() if line.strip()]
        proof = self._proof(o, pdf, keys)
        report = verify_issued_pdf(pdf, proof=proof, trusted_keys=keys or None, roots=self._roots(o["roots"]))
        self._print(report)
        if not report.ok:
            raise SystemExit(1)

    def _proof(self, o, pdf: bytes, keys: list[str]) -> dict | None:
        """The inclusion proof: from the file given, else (on the server) from the local ledger."""
        if o["proof"]:
            try:
                return json.loads(o["proof"].read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read the proof {o['proof']}: {exc}") from None
        record = attached_record(pdf)
        if o["offline"] or record is None or not os.environ.get("DJANGO_SETTINGS_MODULE"):
            return None
        from liuhen.core.errors import NotFound
        from liuhen.ledger import keys as ledger_keys
        from liuhen.ledger.proofs import leaf_hash_parse, leaf_inclusion

        try:
            found = leaf_inclusion(leaf_hash_parse(str(record.get("record_leaf", ""))))
        except (NotFound, DomainError):
            return None
        if not keys:
            keys.extend(ledger_keys.verifier_keys())  # on the server: the installation's own log keys
        return {"index": found.index, "proof": found.proof, "verifier_keys": found.verifier_keys}

    def _roots(self, path: Path | None) -> list[x509.Certificate] | None:
        """The receiver's trusted sealing roots; none given: the installation's own (on the server)."""
        if path is None:
            return None
        try:
            return x509.load_pem_x509_certificates(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the roots {path}: {exc}") from None

    def _print(self, report: PdfVerification) -> None:
        if report.record is not None:
            doc = report.record.get("document", {})
            self.stdout.write(
                f"记录：{doc.get('case')} {doc.get('title')} {doc.get('number') or ''}（文书 {doc.get('id')}，"
                f"第 {doc.get('version')} 版，{'当事人联' if doc.get('copy') == 'party' else '存档联'}）"
            )
        for passed, line in report.checks:
            self.stdout.write(f"{'✓' if passed else '✗'} {line}")
        self.stdout.write("结论：通过" if report.ok else "结论：未通过")
