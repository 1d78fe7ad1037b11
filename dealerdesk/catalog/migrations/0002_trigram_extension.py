from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm serves the substring search on PostgreSQL (a no-op on SQLite).

    The index itself is created by catalog.search.ensure_search_index after every migrate.
    """

    dependencies = [("catalog", "0001_initial")]

    operations = [TrigramExtension()]
