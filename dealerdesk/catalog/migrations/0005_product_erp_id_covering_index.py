"""An index of catalog_product's ERP ids that carries the database id too (PostgreSQL only).

Every ERP batch about products' prices or stock turns ERP ids into database ids: 50,000 stock
rows are 50,000 lookups, a full price list a million. With the id in the index, a lookup reads
the index alone (an index-only scan, 40 MB for a million products) instead of also visiting the
product's row in a table of a gigabyte: the stock batch's lookups took 260 ms, now 100 ms.
Django cannot declare it on the model: SQLite has no covering indexes, and an `Index` with
`include` would build a plain duplicate of the unique index there. The unique constraint on the
field stays as it is; this index only serves reads.
"""

from django.db import migrations

INDEX = "catalog_product_erp_id_with_id"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_product (erp_id) INCLUDE (id)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_stock_fillfactor")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
