"""``liuhen devices``: the recording-device registry at the console (R4)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from liuhen.accounts.models import User
from liuhen.cli.acting import acting_user, add_acting_argument
from liuhen.core.errors import DomainError
from liuhen.evidence.device_states import DEVICE_EVENT_LABELS
from liuhen.evidence.models import Device
from liuhen.evidence.selectors import device_list
from liuhen.evidence.services.devices import device_event, device_register

EVENTS = [e for e in DEVICE_EVENT_LABELS if e != "registered"]


class Command(BaseCommand):
    help = "List, register and record events of recording devices (every change is a ledger entry)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list")
        listing.add_argument("--agency", help="agency code")
        add_acting_argument(listing)
        reg = sub.add_parser("register")
        reg.add_argument("number")
        reg.add_argument("--kind", default="body_camera", choices=Device.Kind.values)
        reg.add_argument("--model", default="")
        reg.add_argument("--by", required=True, help="acting user (device custodian)")
        event = sub.add_parser("event")
        event.add_argument("number")
        event.add_argument("kind", choices=EVENTS)
        event.add_argument("--by", required=True, help="acting user")
        event.add_argument("--holder", help="username receiving the device (handed_out)")
        event.add_argument("--battery", type=int)
        event.add_argument("--free-mb", type=int)
        event.add_argument("--note", default="")

    def handle(self, *args, **o):
        if o["action"] == "list":
            return self._list(acting_user(o["acting_user"]), o.get("agency"))
        by = _user(o["by"])
        try:
            if o["action"] == "register":
                added = device_register(by=by, number=o["number"], kind=o["kind"], model_name=o["model"])
                self.stdout.write(f"registered {added.number} ({added.get_kind_display()})")
                return
            device = Device.objects.filter(agency=by.agency, number=o["number"]).first()
            if device is None:
                raise CommandError(f"no device {o['number']!r} in {by.agency}")
            done = device_event(
                device=device,
                by=by,
                kind=o["kind"],
                holder=_user(o["holder"]) if o["holder"] else None,
                battery_percent=o["battery"],
                free_storage_mb=o["free_mb"],
                note=o["note"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        passed = (
            "" if done.check_passed is None else (" check passed" if done.check_passed else " CHECK FAILED")
        )
        self.stdout.write(f"{device.number}: {done.kind} → {done.status_after}{passed}")

    def _list(self, user: User, agency: str | None) -> None:
        qs = device_list(user=user).select_related("agency").order_by("agency__code", "number")
        if agency:
            qs = qs.filter(agency__code=agency)
        for d in qs:
            holder = d.holder.display_name if d.holder else "—"
            self.stdout.write(f"{d.agency.code:16} {d.number:16} {d.kind:12} {d.status:10} {holder}")


def _user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).select_related("agency").first()
    if user is None:
        raise CommandError(f"no active user {username!r}")
    return user
