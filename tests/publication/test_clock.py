"""The publication clock on the holiday calendar, without the database: deadlines across a holiday,
the credit-platform deadline, an unknown calendar, and every state including late publication."""

from __future__ import annotations

from datetime import date

from liuhen.publication.clock import credit_state_of, deadlines, decision_date, state_of


def test_given_a_decision_before_national_day_then_7_working_days_skip_the_holiday_and_count_the_swap_saturday():
    """GIVEN a decision on Tue 2026-09-29 (国庆 off 10-01..10-07, Sat 10-10 a 调休 working day) WHEN the
    deadlines are computed THEN publication is due Wed 10-14 (9-30, 10-08, 10-09, 10-10, 10-12, 10-13,
    10-14) and the credit platform on Mon 11-02 (20 working days), not provisional."""
    found = deadlines(date(2026, 9, 29), 7, 20)
    assert found.due_on == date(2026, 10, 14)
    assert found.credit_due_on == date(2026, 11, 2)
    assert not found.provisional


def test_given_an_ordinary_week_then_7_working_days_are_9_calendar_days():
    """GIVEN a decision on Mon 2026-03-02 WHEN computed THEN due Wed 03-11; no credit deadline asked."""
    found = deadlines(date(2026, 3, 2), 7, None)
    assert (found.due_on, found.credit_due_on) == (date(2026, 3, 11), None)


def test_given_a_year_without_a_calendar_then_the_deadline_is_unknown_never_guessed():
    """GIVEN a decision in 2031 (no cn-2031.toml) WHEN computed THEN no deadline at all."""
    found = deadlines(date(2031, 6, 2), 7, 20)
    assert (found.due_on, found.credit_due_on) == (None, None)


def test_given_the_decision_fields_then_the_date_is_read_in_beijing_time():
    """GIVEN 简易程序's 处罚时间 at 00:30 Beijing (16:30 UTC the day before) THEN the Beijing date."""
    assert decision_date("summary_decision", {"decided_at": "2026-03-04T16:30:00+00:00"}) == date(2026, 3, 5)
    assert decision_date("penalty_decision", {"decided_on": "2026-03-30"}) == date(2026, 3, 30)
    assert decision_date("penalty_decision", {"decided_on": "not a date"}) is None


def test_states_pending_overdue_published_late_withdrawn():
    """GIVEN a deadline of 10-14 THEN: unpublished on the day → 待公示, the day after → 逾期未公示,
    published on the day → 已公示, published after → 逾期公示, taken down and not republished → 已撤下."""
    due = date(2026, 10, 14)
    assert state_of(due_on=due, published_on=None, withdrawn=False, on=due) == "pending"
    assert state_of(due_on=due, published_on=None, withdrawn=False, on=date(2026, 10, 15)) == "overdue"
    assert state_of(due_on=due, published_on=due, withdrawn=False, on=date(2026, 12, 1)) == "published"
    assert state_of(due_on=due, published_on=date(2026, 10, 15), withdrawn=False, on=due) == "late"
    assert state_of(due_on=due, published_on=None, withdrawn=True, on=date(2026, 12, 1)) == "withdrawn"
    assert state_of(due_on=None, published_on=None, withdrawn=False, on=date(2099, 1, 1)) == "pending"


def test_credit_states():
    """GIVEN a credit deadline of 11-02 THEN exempt, pending, overdue, done and late are told apart."""
    due = date(2026, 11, 2)
    kw = {"credit_due_on": due, "exempt": False}
    assert credit_state_of(credit_published_on=None, on=due, **kw) == "pending"
    assert credit_state_of(credit_published_on=None, on=date(2026, 11, 3), **kw) == "overdue"
    assert credit_state_of(credit_published_on=due, on=date(2026, 11, 3), **kw) == "done"
    assert credit_state_of(credit_published_on=date(2026, 11, 3), on=due, **kw) == "late"
    assert credit_state_of(credit_due_on=None, credit_published_on=None, exempt=True, on=due) == "exempt"
    assert credit_state_of(credit_due_on=None, credit_published_on=None, exempt=False, on=due) == ""


def test_given_a_deadline_in_a_provisional_year_then_it_is_flagged_provisional():
    """GIVEN a decision on Mon 2026-12-28 whose 7 working days run into 2027 (whose calendar is
    provisional: the State Council's notice is not out) THEN the deadline is flagged provisional."""
    found = deadlines(date(2026, 12, 28), 7, None)
    assert found.due_on is not None and found.due_on.year == 2027
    assert found.provisional
    assert not deadlines(date(2026, 12, 1), 7, None).provisional
