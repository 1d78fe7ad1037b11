"""Finance downloads: the receivables workbook and the reconciliation statement (акт сверки)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from dealerdesk.companies.models import LegalEntity, SupplierSettings
from dealerdesk.core.words import amount_in_words
from dealerdesk.core.xlsx import Sheet, xlsx_workbook_response
from dealerdesk.documents.pdf import render_pdf
from dealerdesk.finance.ledger import AgeingBucket
from dealerdesk.finance.models import CreditTerms
from dealerdesk.finance.selectors import Receivables, Statement


def ageing_label(bucket: AgeingBucket) -> str:
    return {
        AgeingBucket.NOT_DUE: _("Not yet due"),
        AgeingBucket.DAYS_1_30: _("1–30 days overdue"),
        AgeingBucket.DAYS_31_60: _("31–60 days overdue"),
        AgeingBucket.DAYS_61_90: _("61–90 days overdue"),
        AgeingBucket.OVER_90: _("Over 90 days overdue"),
    }[bucket]


def receivables_workbook(summary: Receivables, statement: Statement) -> HttpResponse:
    """Three sheets: balances per legal entity, open debts per order, the settlement records."""
    entities = Sheet(
        title=_("Summary"),
        header=[
            _("Legal entity"),
            _("INN"),
            _("Payment deferral, days"),
            _("Credit limit"),
            _("Balance"),
            _("Overdue"),
            _("Available credit"),
            *(ageing_label(bucket) for bucket in AgeingBucket),
        ],
        rows=[
            [
                item.legal_entity.name,
                item.legal_entity.inn,
                item.terms.payment_days if item.terms else None,
                item.credit_limit,
                item.ledger.balance,
                item.ledger.overdue,
                item.available_credit,
                *item.ledger.ageing().values(),
            ]
            for item in summary.entities
        ],
        widths=[34, 14, 12, 14, 14, 14, 14, 14, 14, 14, 14, 14],
    )
    debts = Sheet(
        title=_("Open debts"),
        header=[
            _("Order"),
            _("ERP number"),
            _("Legal entity"),
            _("Shipped"),
            _("Amount shipped"),
            _("Paid"),
            _("Owed"),
            _("Due date"),
            _("Days overdue"),
        ],
        rows=[
            [
                row.order.number if row.order else _("without an order"),
                row.order.erp_number if row.order else "",
                row.legal_entity.name,
                row.debt.first_shipped,
                row.debt.shipped,
                row.debt.paid,
                row.debt.remaining,
                row.debt.next_due_date,
                row.debt.days_overdue,
            ]
            for row in summary.open_orders
        ],
        widths=[16, 14, 30, 12, 14, 14, 14, 12, 10],
    )
    records = Sheet(
        title=_("Settlements"),
        header=[
            _("Date"),
            _("Document"),
            _("Number"),
            _("Order"),
            _("Legal entity"),
            _("Debit"),
            _("Credit"),
            _("Balance"),
            _("Due date"),
        ],
        rows=[
            [
                statement.date_from,
                _("Opening balance"),
                "",
                "",
                "",
                None,
                None,
                statement.opening_balance,
                None,
            ],
            *(
                [
                    row.date,
                    row.kind_label,
                    row.number,
                    row.order_number,
                    row.legal_entity_name,
                    row.debit or None,
                    row.credit or None,
                    row.balance,
                    row.due_date,
                ]
                for row in statement.rows
            ),
            [
                statement.date_to,
                _("Closing balance"),
                "",
                "",
                "",
                statement.total_debit,
                statement.total_credit,
                statement.closing_balance,
                None,
            ],
        ],
        widths=[12, 18, 16, 16, 30, 14, 14, 14, 12],
    )
    return xlsx_workbook_response(
        file_name=f"receivables-{summary.as_of:%Y-%m-%d}.xlsx", sheets=[entities, debts, records]
    )


def reconciliation_pdf(
    *, entity: LegalEntity, statement: Statement, supplier: SupplierSettings
) -> bytes:
    """The reconciliation statement for one legal entity and period, the supplier's side
    filled in and the dealer's side left for the dealer's accountant."""
    try:
        terms: CreditTerms | None = entity.credit_terms
    except CreditTerms.DoesNotExist:
        terms = None
    closing = statement.closing_balance
    # A Russian accounting document whatever language the dealer reads in.
    with translation.override("ru"):
        return render_pdf(
            "finance/reconciliation_pdf.html",
            {
                "entity": entity,
                "terms": terms,
                "statement": statement,
                "supplier": supplier,
                "opening_credit": -statement.opening_balance,
                "closing_credit": -closing,
                "closing_words": amount_in_words(abs(closing)),
            },
        )
