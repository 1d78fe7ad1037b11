"""The receivables arithmetic, without a database."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dealerdesk.finance.ledger import AgeingBucket, Allocation, Entry, build_ledger

D = Decimal
_ids = itertools.count(1)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def debit(date: str, amount: str, *, order: int | None = None, due: str | None = None) -> Entry:
    return Entry(
        id=next(_ids),
        legal_entity_id=1,
        kind="shipment",
        date=day(date),
        number=f"Р-{date}",
        debit=D(amount),
        credit=D(0),
        due_date=day(due) if due else None,
        order_id=order,
    )


def credit(date: str, amount: str) -> Entry:
    return Entry(
        id=next(_ids),
        legal_entity_id=1,
        kind="payment",
        date=day(date),
        number=f"П-{date}",
        debit=D(0),
        credit=D(amount),
        due_date=None,
        order_id=None,
    )


def test_payments_settle_the_oldest_debts_first() -> None:
    # given two shipments and one payment smaller than both
    first = debit("2026-01-10", "1000.00", order=1)
    second = debit("2026-02-10", "500.00", order=2)
    payment = credit("2026-02-20", "1200.00")
    # when
    ledger = build_ledger([first, second, payment], [], as_of=day("2026-03-31"), payment_days=30)
    # then the first shipment is paid in full, the second only in part
    debts = {debt.entry.id: debt for debt in ledger.debts}
    assert debts[first.id].remaining == D(0)
    assert debts[second.id].remaining == D("300.00")
    assert ledger.balance == D("300.00")
    # due 2026-03-12, unpaid at the end of March: 19 days overdue
    assert debts[second.id].due_date == day("2026-03-12")
    assert debts[second.id].days_overdue(day("2026-03-31")) == 19
    assert ledger.overdue == D("300.00")


def test_an_erp_allocation_overrides_the_oldest_first_rule() -> None:
    first = debit("2026-01-10", "1000.00", order=1)
    second = debit("2026-02-10", "500.00", order=2)
    payment = credit("2026-02-20", "500.00")
    ledger = build_ledger(
        [first, second, payment],
        [Allocation(credit_id=payment.id, debit_id=second.id, amount=D("500.00"))],
        as_of=day("2026-03-31"),
        payment_days=30,
    )
    debts = {debt.entry.id: debt for debt in ledger.debts}
    assert debts[second.id].remaining == D(0)
    assert debts[second.id].payments[0].allocated_by_erp is True
    assert debts[first.id].remaining == D("1000.00")


def test_an_allocation_larger_than_the_debt_leaves_the_rest_for_the_oldest_debt() -> None:
    first = debit("2026-01-10", "1000.00")
    second = debit("2026-02-10", "300.00")
    payment = credit("2026-02-20", "800.00")
    ledger = build_ledger(
        [first, second, payment],
        [Allocation(credit_id=payment.id, debit_id=second.id, amount=D("800.00"))],
        as_of=day("2026-03-31"),
        payment_days=0,
    )
    debts = {debt.entry.id: debt for debt in ledger.debts}
    assert debts[second.id].remaining == D(0)
    assert debts[first.id].remaining == D("500.00")
    assert ledger.unapplied_credit == D(0)


def test_a_prepayment_covers_the_next_shipment_and_the_rest_stays_unapplied() -> None:
    advance = credit("2026-01-05", "1500.00")
    shipment = debit("2026-01-10", "1000.00")
    ledger = build_ledger([advance, shipment], [], as_of=day("2026-01-31"), payment_days=10)
    assert ledger.debts[0].remaining == D(0)
    # paid when the goods were shipped, not before: the payment date is the later of the two
    assert ledger.debts[0].payments[0].date == day("2026-01-10")
    assert ledger.unapplied_credit == D("500.00")
    assert ledger.balance == D("-500.00")
    assert ledger.overdue == D(0)


def test_records_after_the_date_are_ignored() -> None:
    shipment = debit("2026-01-10", "1000.00")
    late_payment = credit("2026-04-01", "1000.00")
    as_of_march = build_ledger(
        [shipment, late_payment], [], as_of=day("2026-03-31"), payment_days=30
    )
    as_of_april = build_ledger(
        [shipment, late_payment], [], as_of=day("2026-04-30"), payment_days=30
    )
    assert as_of_march.overdue == D("1000.00")
    assert as_of_march.debts[0].days_overdue(day("2026-03-31")) == 50
    assert as_of_april.overdue == D(0)
    # paid on 1 April, due 9 February: 51 days late
    assert as_of_april.debts[0].paid_late_days == 51


def test_a_due_date_sent_by_the_erp_wins_over_the_payment_days() -> None:
    shipment = debit("2026-01-10", "100.00", due="2026-01-15")
    ledger = build_ledger([shipment], [], as_of=day("2026-01-20"), payment_days=60)
    assert ledger.debts[0].due_date == day("2026-01-15")
    assert ledger.debts[0].days_overdue(day("2026-01-20")) == 5


def test_ageing_buckets_split_open_debt_by_days_past_due() -> None:
    as_of = day("2026-06-30")
    entries = [
        debit("2026-06-25", "10.00", due="2026-07-05"),  # not due
        debit("2026-06-01", "20.00", due="2026-06-29"),  # 1 day
        debit("2026-05-01", "30.00", due="2026-05-31"),  # 30 days
        debit("2026-04-01", "40.00", due="2026-05-30"),  # 31 days
        debit("2026-03-01", "50.00", due="2026-04-01"),  # 90 days
        debit("2026-01-01", "60.00", due="2026-03-31"),  # 91 days
    ]
    ageing = build_ledger(entries, [], as_of=as_of, payment_days=0).ageing()
    assert ageing == {
        AgeingBucket.NOT_DUE: D("10.00"),
        AgeingBucket.DAYS_1_30: D("50.00"),
        AgeingBucket.DAYS_31_60: D("40.00"),
        AgeingBucket.DAYS_61_90: D("50.00"),
        AgeingBucket.OVER_90: D("60.00"),
    }


def test_debts_are_grouped_per_order_with_their_overdue_part() -> None:
    entries = [
        debit("2026-01-10", "1000.00", order=7),
        debit("2026-01-20", "500.00", order=7),
        debit("2026-02-15", "200.00", order=8),
        credit("2026-02-01", "1100.00"),
    ]
    ledger = build_ledger(entries, [], as_of=day("2026-02-25"), payment_days=20)
    by_order = {order.order_id: order for order in ledger.by_order()}
    assert by_order[7].shipped == D("1500.00")
    assert by_order[7].paid == D("1100.00")
    assert by_order[7].remaining == D("400.00")
    # the second shipment of order 7 was due 9 February: 16 days late
    assert by_order[7].days_overdue == 16
    assert by_order[7].overdue == D("400.00")
    assert by_order[7].next_due_date == day("2026-02-09")
    assert by_order[8].overdue == D(0)
    assert by_order[8].days_overdue == 0


amounts = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)


@given(
    debits=st.lists(st.tuples(st.integers(0, 200), amounts), min_size=1, max_size=30),
    credits=st.lists(st.tuples(st.integers(0, 200), amounts), max_size=30),
)
def test_the_ledger_balances_whatever_the_records(
    debits: list[tuple[int, Decimal]], credits: list[tuple[int, Decimal]]
) -> None:
    start = day("2026-01-01")
    entries = [
        debit((start + datetime.timedelta(days=offset)).isoformat(), str(amount))
        for offset, amount in debits
    ] + [
        credit((start + datetime.timedelta(days=offset)).isoformat(), str(amount))
        for offset, amount in credits
    ]
    entries.sort(key=lambda entry: (entry.date, entry.id))
    ledger = build_ledger(entries, [], as_of=day("2026-12-31"), payment_days=15)
    open_debt = sum((debt.remaining for debt in ledger.debts), D(0))
    # what is owed on the debts less what was paid beyond them is the balance
    assert open_debt - ledger.unapplied_credit == ledger.balance
    assert all(D(0) <= debt.remaining <= debt.entry.debit for debt in ledger.debts)
    # credits are applied before any is left unapplied: never both open debt and spare credit
    assert open_debt == 0 or ledger.unapplied_credit == 0
    assert sum(ledger.ageing().values(), D(0)) == open_debt
