"""A hand-off (``on_complete``) that keeps failing: recorded, retried with growing pauses, then held."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from liuhen.uploads import TusServer
from liuhen.uploads.state import HandoffPolicy, NotAwaitingHandoff, UploadLocked, error_line

DATA = bytes(range(256)) * 4


class Refusing:
    """An ``on_complete`` that raises until ``ok`` is set, then records like the fixture's callback."""

    def __init__(self, record, message: str = "案件 测1罚〔2026〕1号 已归档，不能再添加记录") -> None:
        self.record, self.message, self.ok, self.calls = record, message, False, 0

    def __call__(self, upload_id, path, sha256_hex, metadata) -> None:
        self.calls += 1
        if not self.ok:
            raise RuntimeError(self.message)
        self.record(upload_id, path, sha256_hex, metadata)


def _failed_upload(tus, **server_args) -> tuple[str, Refusing]:
    """A fully received upload whose first hand-off (at the last PATCH) failed."""
    refusing = Refusing(tus.completed)
    tus.server.on_complete = refusing
    for name, value in server_args.items():
        setattr(tus.server, name, value)
    uid = tus.upload_id(tus.create(len(DATA)))
    assert tus.patch(uid, DATA, 0).status == 500
    return uid, refusing


def _upkeep_until_held(tus, uid: str, *, step: timedelta = timedelta(days=1), runs: int = 30) -> int:
    """Run the upkeep once a ``step`` until the upload is held; return how many runs that took."""
    for run in range(1, runs + 1):
        tus.clock.now += step
        tus.server.finalize_pending()
        if tus.server.files.load(uid).state == "held":
            return run
    raise AssertionError(f"upload {uid} not held after {runs} runs")


def test_given_hand_off_fails_when_last_patch_arrives_then_attempt_error_and_time_are_recorded(tus):
    """GIVEN a callback that raises WHEN the last byte arrives THEN the upload stays complete with one
    attempt, the error on one line and the time of the attempt."""
    uid, _ = _failed_upload(tus)

    info = tus.server.files.load(uid)
    assert (info.state, info.handoff_attempts) == ("complete", 1)
    assert info.last_error == "RuntimeError: 案件 测1罚〔2026〕1号 已归档，不能再添加记录"
    assert info.last_attempt_at == tus.clock.now.isoformat()


def test_given_a_failed_hand_off_when_upkeep_runs_every_minute_then_retries_wait_longer_each_time(tus):
    """GIVEN a failing hand-off and a 10-minute first pause WHEN the upkeep runs every minute for 3 h
    THEN it retries at its first run, then only after 10, 20, 40, 80 more minutes (not every run)."""
    uid, refusing = _failed_upload(tus, handoff=HandoffPolicy(first_delay=timedelta(minutes=10)))
    start, tried_at = tus.clock.now, []
    for minute in range(1, 181):
        tus.clock.now = start + timedelta(minutes=minute)
        before = refusing.calls
        tus.server.finalize_pending()
        if refusing.calls > before:
            tried_at.append(minute)

    assert tried_at == [1, 11, 31, 71, 151]
    assert tus.server.files.load(uid).handoff_attempts == 6


def test_given_a_permanent_failure_when_attempts_run_out_then_held_and_never_retried_or_swept(tus):
    """GIVEN a hand-off that always fails and at most 4 attempts WHEN the upkeep keeps running THEN the
    upload is held after the 4th attempt, is not tried again, and sweep_expired keeps it for a year."""
    uid, refusing = _failed_upload(tus, handoff=HandoffPolicy(max_attempts=4))

    assert _upkeep_until_held(tus, uid) == 3
    held = tus.server.files.load(uid)
    assert (held.handoff_attempts, refusing.calls) == (4, 4)
    for _ in range(12):
        tus.clock.now += timedelta(days=30)
        assert tus.server.finalize_pending() == []
        assert tus.server.sweep_expired() == []
    assert refusing.calls == 4
    assert tus.server.files.part_path(uid).read_bytes() == DATA
    assert [i.id for i in tus.server.files.infos("held")] == [uid]


def test_given_a_held_upload_when_a_person_retries_after_the_fix_then_finalized_with_its_bytes(tus):
    """GIVEN a held upload WHEN retried while the cause persists THEN still held with one more attempt;
    WHEN retried after the cause is fixed THEN finalized, handed the original bytes, part file gone."""
    uid, refusing = _failed_upload(tus, handoff=HandoffPolicy(max_attempts=2))
    _upkeep_until_held(tus, uid)

    again = tus.server.retry_handoff(uid)
    assert (again.state, again.handoff_attempts) == ("held", 3)
    refusing.ok = True
    done = tus.server.retry_handoff(uid)

    assert done.state == "finalized"
    assert tus.completed.calls[-1][:2] == (uid, DATA)
    assert not tus.server.files.part_path(uid).exists()
    with pytest.raises(NotAwaitingHandoff):
        tus.server.retry_handoff(uid)


def test_given_a_failed_hand_off_when_a_person_retries_then_no_waiting_for_the_pause(tus):
    """GIVEN a hand-off that failed twice, the upkeep now pausing WHEN a person retries THEN it is
    attempted at once."""
    uid, refusing = _failed_upload(tus)
    assert tus.patch(uid, b"", len(DATA)).status == 500
    refusing.ok = True

    assert tus.server.finalize_pending() == []  # the upkeep waits for the pause
    assert tus.server.retry_handoff(uid).state == "finalized"


@pytest.mark.parametrize("upload_id", ["0" * 32, "../etc/passwd"])
def test_given_no_such_upload_when_retried_then_not_awaiting_and_no_file_made(tus, upload_id):
    """GIVEN an unknown or malformed id WHEN retried THEN NotAwaitingHandoff and no lock file is made."""
    with pytest.raises(NotAwaitingHandoff):
        tus.server.retry_handoff(upload_id)
    assert not any(tus.directory.iterdir())


def test_given_an_upload_still_receiving_when_retried_then_refused_as_not_awaiting(tus):
    """GIVEN an upload with bytes still missing WHEN a hand-off retry is asked THEN NotAwaitingHandoff."""
    uid = tus.upload_id(tus.create(len(DATA)))
    tus.patch(uid, DATA[:10], 0)

    with pytest.raises(NotAwaitingHandoff, match="receiving"):
        tus.server.retry_handoff(uid)


def test_given_a_held_upload_when_the_client_retries_its_patch_then_attempted_but_stays_held(tus):
    """GIVEN a held upload WHEN its client sends the final (empty) PATCH again THEN one attempt is made,
    the answer says it is held for an operator, and it does not leave the held state."""
    uid, refusing = _failed_upload(tus, handoff=HandoffPolicy(max_attempts=2))
    _upkeep_until_held(tus, uid)

    answer = tus.patch(uid, b"", len(DATA))

    assert answer.status == 500 and b"held for an operator" in answer.body
    assert refusing.calls == 3
    assert tus.server.files.load(uid).state == "held"


def test_given_client_retries_in_quick_succession_then_only_the_upkeep_holds_the_upload(tus):
    """GIVEN max 2 attempts WHEN the client's own retries fail 5 times THEN the upload stays complete
    (counted, not held); the next due upkeep attempt that fails holds it."""
    uid, refusing = _failed_upload(tus, handoff=HandoffPolicy(max_attempts=2))
    for _ in range(4):
        assert tus.patch(uid, b"", len(DATA)).status == 500
    assert tus.server.files.load(uid).state == "complete"

    assert _upkeep_until_held(tus, uid) == 1
    assert tus.server.files.load(uid).handoff_attempts == 6


def test_given_an_upload_being_written_when_upkeep_runs_then_it_is_skipped_not_an_error(tus):
    """GIVEN a due retry WHEN another process holds the upload's lock THEN finalize_pending skips it
    (no exception, no attempt) and retries on the next run."""
    uid, refusing = _failed_upload(tus)
    refusing.ok = True
    tus.clock.now += timedelta(hours=1)

    with tus.server.files.locked(uid, timeout=1):
        assert tus.server.finalize_pending() == []
    assert refusing.calls == 1
    assert tus.server.finalize_pending() == [uid]


def test_given_an_info_file_from_before_retries_were_recorded_when_upkeep_runs_then_retried_at_once(tus):
    """GIVEN a complete upload whose .info has no attempt fields (an older version wrote it) WHEN the
    upkeep runs THEN it loads and the hand-off is tried at once."""
    uid, refusing = _failed_upload(tus)
    path = tus.server.files.info_path(uid)
    raw = json.loads(path.read_text("utf-8"))
    for key in ("handoff_attempts", "last_error", "last_attempt_at"):
        del raw[key]
    path.write_text(json.dumps(raw), "utf-8")
    refusing.ok = True

    assert tus.server.files.load(uid).handoff_attempts == 0
    assert tus.server.finalize_pending() == [uid]


def test_given_a_multi_line_error_then_the_recorded_text_is_one_bounded_line():
    """GIVEN an exception whose message spans lines and is long WHEN turned into the error text THEN one
    line, type first, at most the limit, no traceback."""
    text = error_line(ValueError("first line\n  second\tline " + "x" * 1000), limit=80)

    assert text.startswith("ValueError: first line second line xxx") and len(text) == 80
    assert "\n" not in text and text.endswith("…")
    assert error_line(KeyError()) == "KeyError"


def test_given_a_policy_then_pauses_double_up_to_the_cap_and_zero_attempts_are_refused():
    """GIVEN the back-off policy THEN the first failure is retried at once, later pauses double from
    the first delay and stop growing at the cap; a limit below one attempt is refused."""
    policy = HandoffPolicy(first_delay=timedelta(hours=1), max_delay=timedelta(hours=5))
    pauses = [policy.pause(n) for n in (1, 2, 3, 4, 5, 60)]
    assert pauses == [timedelta(hours=h) for h in (0, 1, 2, 4, 5, 5)]
    with pytest.raises(ValueError):
        HandoffPolicy(max_attempts=0)


def test_given_server_arguments_then_the_attempt_limit_defaults_to_8_and_can_be_set(tmp_path):
    """GIVEN a server built without / with max_handoff_attempts=3 THEN its policy's limit is 8 / 3."""
    server = TusServer(tmp_path, max_size=10, expiry=timedelta(hours=1), clock=lambda: None)
    assert server.handoff.max_attempts == 8
    custom = TusServer(
        tmp_path, max_size=10, expiry=timedelta(hours=1), clock=lambda: None, max_handoff_attempts=3
    )
    assert custom.handoff.max_attempts == 3


def test_given_lock_is_held_when_a_person_retries_then_upload_locked(tus):
    """GIVEN a request writing to the upload WHEN a person retries THEN UploadLocked (said, not hung)."""
    uid, _ = _failed_upload(tus)
    tus.server.lock_timeout = 0.05
    with tus.server.files.locked(uid, timeout=1), pytest.raises(UploadLocked):
        tus.server.retry_handoff(uid)
