"""``liuhen archive queue | build CASE_NO [--pdf OUT] | package CASE_NO DEST | disc CASE_NO DEST.iso |
check PATH | dispose --list|--propose|--approve ID|--execute ID | supplement CASE_NO FILE --title …
--reason … | approve-supplement ID`` — the archivist's work at the console, as a real user (``--as``) for everything that
reads the database; ``check`` reads a package folder, a mounted disc or an ``.iso`` and nothing else.
A failing command exits non-zero with a one-line reason."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.archive import outputs, selectors
from liuhen.archive.models import CaseFile, DiscCopy
from liuhen.cli.acting import acting_user, add_acting_argument
from liuhen.core import clock
from liuhen.core.errors import DomainError


class Command(BaseCommand):
    help = "The case file (案卷): queue, build, package, disc image, check (as a user: --as USERNAME)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        queue = sub.add_parser("queue", help="cases waiting to be archived, overdue first")
        build = sub.add_parser("build", help="the case file's catalogue; --pdf writes the whole file as PDF")
        build.add_argument("case_no")
        build.add_argument("--pdf", default="", help="write the signed-off case file as one PDF here")
        package = sub.add_parser("package", help="write the archive package (a folder that must not exist)")
        package.add_argument("case_no")
        package.add_argument("dest")
        disc = sub.add_parser("disc", help="write the package as an ISO 9660/UDF image and record the disc")
        disc.add_argument("case_no")
        disc.add_argument("dest")
        disc.add_argument("--carrier-no", default="", help="载体编号 (default: the 档号 and the disc number)")
        disc.add_argument(
            "--carrier-type", default="dvd-r", choices=DiscCopy.CarrierType.values, help="载体类型"
        )
        check = sub.add_parser(
            "check",
            help="check a package folder, a mounted disc or an .iso (DA/T 70); with --as, also against "
            "the disc's record",
        )
        check.add_argument("path")
        check.add_argument("--as", dest="acting_user", default=None, help="compare with the disc records")
        dispose = sub.add_parser("dispose", help="销毁清册: candidates, propose, approve, execute")
        mode = dispose.add_mutually_exclusive_group(required=True)
        mode.add_argument("--list", action="store_true", help="case files whose period ended, no hold")
        mode.add_argument("--propose", action="store_true", help="list them (or --case ARCHIVE_NO …)")
        mode.add_argument("--approve", type=int, metavar="ID", help="approve list ID in your role")
        mode.add_argument("--execute", type=int, metavar="ID", help="destroy the approved list ID")
        dispose.add_argument("--case", action="append", default=[], metavar="ARCHIVE_NO")
        dispose.add_argument("--reason", default="", help="销毁理由 (with --propose)")
        dispose.add_argument("--opinion", default="", help="审批意见 (with --approve)")
        from liuhen.cli.archive_supplement import add_parsers

        for command in (queue, build, package, disc, dispose, *add_parsers(sub)):
            add_acting_argument(command)

    def handle(self, *args, **o):
        try:
            if o["action"] == "check":
                self._check(Path(o["path"]), o["acting_user"])
                return
            user = acting_user(o["acting_user"])
            if o["action"] == "dispose":
                from liuhen.cli.archive_dispose import dispose

                dispose(user, o, self.stdout.write)
                return
            if o["action"] in ("supplement", "approve-supplement"):
                from liuhen.cli import archive_supplement

                getattr(archive_supplement, o["action"].replace("-", "_"))(user, o, self.stdout.write)
                return
            if not user.can(Permission.CASE_ARCHIVE):
                raise CommandError(f"{user.username} may not archive case files (needs case.archive)")
            getattr(self, f"_{o['action']}")(user, o)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        except OSError as exc:
            raise CommandError(f"{exc.strerror or exc}: {exc.filename or ''}".strip()) from None

    def _queue(self, user: User, o):
        for row in selectors.archive_queue(user=user):
            due = row.due_at.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d")
            late = f"逾期{row.overdue_days}天" if row.overdue else f"剩{row.days_left}天"
            self.stdout.write(f"{row.case.case_no}\t{due}\t{late}\t{row.status}\t{row.cause}")

    def _build(self, user: User, o):
        case = selectors.archiving_case(user=user, case_no=o["case_no"])
        view = selectors.assembly_view(user=user, case_id=case.pk)
        head = view.case_file.archive_no if view.case_file else "（未签署）"
        self.stdout.write(
            f"{case.case_no}  档号 {head}  保管期限 {view.retention}（依据{view.retention_basis}）"
        )
        for hold in view.holds:
            self.stdout.write(f"长期保存：{hold.shown}")
        for item in view.items:
            pages = f"{item.first_page}-{item.last_page}" if item.pages else "—"
            self.stdout.write(
                f"{item.piece_no}\t{item.volume_label}\t{item.stage_label}\t{item.title}\t{pages}"
            )
        if o["pdf"]:
            name, pdf = outputs.whole_file_pdf(user=user, case_id=case.pk)
            Path(o["pdf"]).write_bytes(pdf)
            self.stdout.write(f"{o['pdf']}: {len(pdf)} bytes ({name})")

    def _case_file(self, user: User, case_no: str) -> CaseFile:
        return selectors.case_file_get(user=user, case_no=case_no)

    def _package(self, user: User, o):
        root = outputs.package_write(case_file=self._case_file(user, o["case_no"]), dest=Path(o["dest"]))
        self.stdout.write(str(root))

    def _disc(self, user: User, o):
        from liuhen.archive.discs import disc_copy_make

        disc = disc_copy_make(
            user=user,
            case_no=o["case_no"],
            dest=Path(o["dest"]),
            carrier_no=o["carrier_no"],
            carrier_type=o["carrier_type"],
        )
        self.stdout.write(
            f"{o['dest']}\t载体编号 {disc.carrier_no}\tsha256 {disc.image_sha256}\t{disc.image_size} bytes"
        )

    def _check(self, path: Path, acting: str | None):
        """The DA/T 70 checks of what is at ``path``; given a user (``--as``), also whether the package
        on it is one recorded as a disc copy of its case file."""
        from liuhen.archive.disc import DiscError, check_disc, extract_iso, package_in

        if not path.exists():
            raise CommandError(f"{path}: no such package, disc or image")
        with tempfile.TemporaryDirectory(prefix="liuhen-disc-") as folder:
            if path.is_file():
                extract_iso(path, Path(folder))
                path = Path(folder)
            report = check_disc(path)
            for item in report.items:
                status = {"pass": "通过", "fail": "未通过", "not_run": "未检测"}.get(item.status, item.status)
                self.stdout.write(f"{item.number}\t{item.category}\t{item.name}\t{status}\t{item.message}")
            if not report.ok:
                raise CommandError(f"package check failed: {', '.join(report.failed)}")
            if acting is not None:
                try:
                    self._against_record(acting_user(acting), package_in(path))
                except DiscError as exc:
                    raise CommandError(exc.message) from None

    def _against_record(self, user: User, package: Path):
        from liuhen.archive.discs import disc_record_for

        archive_no, disc = disc_record_for(user=user, package_root=package)
        if disc is None:
            raise CommandError(f"{archive_no}: the package on this disc matches no recorded disc copy")
        made = disc.made_at.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(
            f"载体登记\t{disc.carrier_no}\t{disc.get_carrier_type_display()}\t{made}\t"
            f"{disc.made_by.display_name}\t信息包摘要一致"
        )
