"""Leave room in every page of pricing_baseprice on PostgreSQL (a no-op on SQLite).

The ERP replaces whole price lists (up to a million rows of one price type per batch), changing
only the amount and the time. With free space in the page, PostgreSQL writes the new row version
beside the old one and touches none of the table's four indexes (a HOT update); on full pages
every changed price also inserts into every index, which makes a million-row import about seven
times slower (57 s instead of 8 s measured for the UPDATE alone). 60% leaves room for a full
list of one price type when a page holds the prices of two or more types of the same products,
as the ERP sends them. Pages written before this migration gain the room as they are rewritten
(`VACUUM FULL pricing_baseprice` gives it to all of them at once, under an exclusive lock).
"""

from django.db import migrations

FILLFACTOR = 60


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE pricing_baseprice SET (fillfactor = {FILLFACTOR})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE pricing_baseprice RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("pricing", "0001_initial")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor, elidable=False)]
