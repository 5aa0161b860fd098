"""``liuhen ledger …``: keys, checkpoints, entries, proofs, witness, export, key rotation, fixity.

Output contract (other tooling depends on it): ``public-key`` prints the C2SP verifier key line;
``checkpoint`` the latest signed checkpoint note verbatim; ``entry --index N`` the entry's raw bytes
in base64 on one line; ``prove-inclusion --index N`` a c2sp.org/tlog-proof@v1 text;
``prove-consistency --old S1 [--new S2]`` the proof hashes in base64, one per line.
"""

from __future__ import annotations

import base64
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from liuhen.archive.export import ledger_export
from liuhen.archive.fixity import document_digests_fill, fixity_run
from liuhen.core.errors import DomainError
from liuhen.ledger import keys, proofs
from liuhen.ledger.checkpoints import checkpoint_issue, signing_key_rotate
from liuhen.ledger.witnessing import url_fetcher, witness_step
from liuhen.tlog import bundle, note, witness


class Command(BaseCommand):
    help = "The tamper-evident ledger: keys, checkpoints, entries, proofs, witness, export."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("public-key", help="the log's current verifier key")
        sub.add_parser("verifier-keys", help="every verifier key, rotated ones included")
        sub.add_parser("checkpoint", help="the latest signed checkpoint (signed now if the log grew)")
        sub.add_parser("entry", help="an entry's bytes, base64").add_argument(
            "--index", type=int, required=True
        )
        sub.add_parser("prove-inclusion", help="tlog-proof of an entry").add_argument(
            "--index", type=int, required=True
        )
        cons = sub.add_parser("prove-consistency", help="consistency proof hashes, base64")
        cons.add_argument("--old", type=int, required=True)
        cons.add_argument("--new", type=int)
        wit = sub.add_parser("witness", help="witness a log: fail loudly on fork or rollback")
        wit.add_argument("--log", required=True, help="base URL of the log, e.g. https://host/log/")
        wit.add_argument("--state", type=Path, required=True, help="file keeping the last checkpoint seen")
        wit.add_argument("--key", action="append", default=[], help="the log's verifier key (repeatable)")
        wit.add_argument("--keys", type=Path, help="file of the log's verifier keys")
        wit.add_argument("--cosign-key", type=Path, help="this witness's PRIVATE+KEY file (cosignature/v1)")
        exp = sub.add_parser("export", help="write an offline-verifiable bundle")
        scope = exp.add_mutually_exclusive_group(required=True)
        scope.add_argument("--case", dest="case_no")
        scope.add_argument("--all", action="store_true")
        exp.add_argument("dest", type=Path)
        sub.add_parser("rotate-key", help="replace the signing key (old verifier keys stay listed)")
        fix = sub.add_parser("fixity", help="re-hash the next stored files now")
        fix.add_argument("--limit", type=int, default=100)

    def handle(self, *args, **o):
        try:
            getattr(self, "_" + o["action"].replace("-", "_"))(o)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _public_key(self, o):
        self.stdout.write(keys.current_verifier_key())

    def _verifier_keys(self, o):
        for line in keys.verifier_keys():
            self.stdout.write(line)

    def _checkpoint(self, o):
        self.stdout.write(checkpoint_issue().note, ending="")

    def _entry(self, o):
        self.stdout.write(base64.b64encode(bytes(proofs.entry_get(o["index"]).body)).decode())

    def _prove_inclusion(self, o):
        self.stdout.write(proofs.inclusion_proof_text(o["index"]), ending="")

    def _prove_consistency(self, o):
        new = o["new"] if o["new"] is not None else checkpoint_issue().size
        for h in proofs.consistency_hashes(o["old"], new):
            self.stdout.write(base64.b64encode(h).decode())

    def _witness(self, o):
        trusted = list(o["key"]) + (bundle.read_verifier_keys(o["keys"]) if o["keys"] else [])
        if not trusted:
            raise CommandError(
                "give the log's verifier key with --key or --keys (never trust the log for it)"
            )
        cosigner = note.parse_signer_key(o["cosign_key"].read_text()) if o["cosign_key"] else None
        try:
            outcome = witness_step(
                fetch=url_fetcher(o["log"]), state_path=o["state"], verifier_keys=trusted, cosigner=cosigner
            )
        except witness.WitnessError as exc:
            raise CommandError(f"WITNESS ALARM {exc}") from exc
        self.stderr.write(f"OK: log grew from {outcome.old_size} to {outcome.new_size} entries consistently")
        if outcome.cosigned:
            self.stdout.write(outcome.cosigned, ending="")

    def _export(self, o):
        summary = ledger_export(dest=o["dest"], case_no=o["case_no"])
        self.stderr.write(
            f"exported {summary.entries} entries, {summary.checkpoints} checkpoints, {summary.files} files "
            f"to {o['dest']} (check with Python alone: cd {o['dest']}/verifier && "
            f"python3 -m liuhen.tlog.verify .. --key '<verifier key>'; see README.txt there)"
        )

    def _rotate_key(self, o):
        old, new = signing_key_rotate()
        self.stderr.write(f"rotated: {old.split('+')[1]} → {new.split('+')[1]} (old key stays a verifier)")
        self.stdout.write(new)

    def _fixity(self, o):
        document_digests_fill()
        results = fixity_run(limit=o["limit"])
        for r in results:
            if not r.ok:
                self.stdout.write(f"{r.problem}: blob {r.sha256}")
        self.stderr.write(f"fixity: {len(results)} files checked, {sum(not r.ok for r in results)} failed")
        if any(not r.ok for r in results):
            raise SystemExit(1)
