"""Text normalisation shared by search, code lookup and imports.

Dealers type codes in any case, with stray spaces, with `ё` or `е`, and sometimes with the
keyboard in the wrong layout. Everything that compares user text with product data goes
through these functions, so the catalog search, quick add and pasted lists agree.
"""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
# Everything but letters, digits and white space (the underscore counts as punctuation).
_PUNCTUATION = re.compile(r"[^\w\s]|_")

# The ЙЦУКЕН and QWERTY layouts key by key (lower case; search text is case-folded anyway).
_LATIN_KEYS = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./"
_CYRILLIC_KEYS = "ёйцукенгшщзхъфывапролджэячсмитьбю."
_LATIN_TO_CYRILLIC = str.maketrans(_LATIN_KEYS, _CYRILLIC_KEYS)
_CYRILLIC_TO_LATIN = str.maketrans(_CYRILLIC_KEYS, _LATIN_KEYS)


def _is_invisible(char: str) -> bool:
    # Control, format (zero-width spaces from Excel and web pages), surrogate, private and
    # unassigned characters: never part of a code or a name, and NUL breaks SQL strings.
    return unicodedata.category(char)[0] == "C" and not char.isspace()


def fold(text: str) -> str:
    """Case-fold, treat `ё` as `е` the way Russian readers do, drop invisible characters."""
    folded = text.casefold().replace("ё", "е")
    if folded.isprintable():
        return folded
    return "".join(char for char in folded if not _is_invisible(char))


def normalize_search_text(text: str) -> str:
    """What substring search compares: folded, punctuation removed, white space collapsed.

    Dealers type codes and sizes with or without their separators (`3-016-C`, `3016c`;
    `3х2,5`, `3х25`); dropping punctuation on both sides matches them either way. It also keeps
    PostgreSQL's trigram index useful: pg_trgm splits words at punctuation, so `z-0` would give
    it nothing but one-letter fragments that match half the catalog.
    """
    return _WHITESPACE.sub(" ", _PUNCTUATION.sub("", fold(text))).strip()


def normalize_code(code: str) -> str:
    """The key a product code is matched by: folded, with all white space removed.

    `" mva25-3-016-c "`, `"MVA25-3-016-C"` and `"MVA25 3-016-C"`... differ only in how they were
    typed, so they share one key.
    """
    return _WHITESPACE.sub("", fold(code))


def switch_keyboard_layout(text: str) -> str | None:
    """The text as it would read had it been typed in the other layout (`dfkm` -> `валь`).

    Returns None when the text has no letters that a layout switch changes.
    """
    folded = fold(text)
    latin_letters = sum(1 for ch in folded if "a" <= ch <= "z")
    cyrillic_letters = sum(1 for ch in folded if "а" <= ch <= "я")
    if latin_letters > cyrillic_letters:
        switched = folded.translate(_LATIN_TO_CYRILLIC)
    elif cyrillic_letters:
        switched = folded.translate(_CYRILLIC_TO_LATIN)
    else:
        return None
    return switched if switched != folded else None
