"""Leave room in every page of catalog_stock on PostgreSQL (a no-op on SQLite).

The ERP rewrites tens of thousands of stock rows per batch, changing only the quantity and the
time. With free space in the page, PostgreSQL writes the new row version beside the old one
and touches none of the table's indexes (a HOT update); on full pages every update also
inserts into all four indexes, which more than doubles the time of a 50,000-row stock batch.
Pages written before this migration gain the room as they are rewritten or vacuumed.
"""

from django.db import migrations

FILLFACTOR = 80


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE catalog_stock SET (fillfactor = {FILLFACTOR})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE catalog_stock RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_search_text_without_punctuation")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor, elidable=False)]
