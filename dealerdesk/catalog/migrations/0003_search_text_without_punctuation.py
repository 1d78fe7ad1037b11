"""Recompute Product.search_text without punctuation (see core.text.normalize_search_text).

The search index is dropped first, so the update does not re-index row by row; the
post-migrate hook (catalog.search.ensure_search_index) builds it again from the table.
"""

import re
import unicodedata

from django.db import migrations

BATCH = 5000
_WHITESPACE = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]|_")


def _fold(text):
    folded = text.casefold().replace("ё", "е")
    return "".join(
        char
        for char in folded
        if not (unicodedata.category(char)[0] == "C" and not char.isspace())
    )


def _search_text(code, name):
    return _WHITESPACE.sub(" ", _PUNCTUATION.sub("", _fold(f"{code} {name}"))).strip()


def recompute(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS catalog_product_fts_{trigger}")
            cursor.execute("DROP TABLE IF EXISTS catalog_product_fts")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS catalog_product_search_trgm")
        last_id = 0
        while True:
            cursor.execute(
                "SELECT id, code, name, search_text FROM catalog_product WHERE id > %s "
                "ORDER BY id LIMIT %s",
                [last_id, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            changes = [
                (new, row_id)
                for row_id, code, name, old in rows
                if (new := _search_text(code, name)) != old
            ]
            if changes:
                cursor.executemany(
                    "UPDATE catalog_product SET search_text = %s WHERE id = %s", changes
                )
            last_id = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_trigram_extension")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
