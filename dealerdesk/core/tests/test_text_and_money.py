from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from dealerdesk.core.money import apply_discount, round_money
from dealerdesk.core.templatetags.dealerdesk import highlight, money, quantity
from dealerdesk.core.text import (
    fold,
    normalize_code,
    normalize_search_text,
    switch_keyboard_layout,
)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        (" mva25-3-016-c ", "mva25-3-016-c"),
        ("MVA25 3-016-C", "mva253-016-c"),
        ("ВА47\u00a029", "ва4729"),  # a non-breaking space pasted from Excel
        ("Ёлка\u200b1", "елка1"),  # a zero-width space from a web page
    ],
)
def test_codes_are_matched_by_a_folded_key_without_spaces(typed: str, key: str) -> None:
    assert normalize_code(typed) == key


def test_search_text_folds_case_and_yo() -> None:
    assert normalize_search_text("  Лампа  ЁЛОЧНАЯ\tT8 ") == "лампа елочная t8"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("dfkm", "валь"), ("ва47", "df47"), ("rf,tkm", "кабель"), ("12345", None)],
)
def test_keyboard_layout_switch(typed: str, meant: str | None) -> None:
    assert switch_keyboard_layout(typed) == meant


@given(st.text())
def test_fold_is_idempotent_and_never_keeps_control_characters(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert "\x00" not in folded


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-0.005", "-0.01")],
)
def test_money_rounds_half_up_to_kopecks(amount: str, rounded: str) -> None:
    assert round_money(Decimal(amount)) == Decimal(rounded)


def test_discount_is_applied_per_unit_and_rounded() -> None:
    assert apply_discount(Decimal("1234.56"), Decimal("12.5")) == Decimal("1080.24")


def test_money_is_formatted_for_the_language() -> None:
    with translation.override("ru"):
        assert money(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50\u00a0₽"
    with translation.override("en"):
        assert money(Decimal("1234567.5")) == "1,234,567.50\u00a0₽"
    assert money(None) == "—"


def test_quantity_drops_trailing_zeros() -> None:
    with translation.override("ru"):
        assert quantity(Decimal("12.000")) == "12"
        assert quantity(Decimal("2.500")) == "2,5"


def test_highlight_marks_matches_and_escapes_the_rest() -> None:
    assert (
        highlight("Кабель <ВВГ> Ёлка", "вВг елк")
        == "Кабель &lt;<mark>ВВГ</mark>&gt; <mark>Ёлк</mark>а"
    )
    assert highlight("<b>", "") == "&lt;b&gt;"


@given(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=3),
    st.sampled_from(["ru", "en"]),
    st.sampled_from([None, 2]),
)
def test_fast_number_formatting_agrees_with_django(
    value: Decimal, language: str, places: int | None
) -> None:
    from django.utils.formats import number_format

    from dealerdesk.core.formatting import format_number

    if places is not None:
        value = value.quantize(Decimal("0.01"))  # money is rounded to kopecks before display
    with translation.override(language):
        expected_value = value
        if places is None:
            expected_value = (
                value.to_integral_value()
                if value == value.to_integral_value()
                else value.normalize()
            )
        expected = number_format(
            expected_value, decimal_pos=places, use_l10n=True, force_grouping=True
        ).replace(" ", "\u00a0")
        assert format_number(value, places) == expected
