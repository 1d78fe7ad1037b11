"""`make bench`: build or reuse the benchmark data sets and print `BENCH <name> <value> <unit>`.

SQLite always runs (data set in var/bench/); PostgreSQL runs when DATABASE_URL points at a
server: the data set goes into a separate database on it (`dealerdesk_bench`), never into the
database DATABASE_URL names. Each database is measured in its own process, because Django
reads its settings once.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PG_BENCH_DATABASE = "dealerdesk_bench"


def postgres_bench_url(database_url: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{PG_BENCH_DATABASE}"))


def run_backend(suffix: str, database_url: str, products: int, queries: int) -> int:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "dealerdesk.settings",
        # The notifications of the orders placed are built as in production but kept in
        # memory: the console backend would print a hundred-line e-mail among the figures.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    command = [
        sys.executable,
        "-m",
        "bench.run",
        "--suffix",
        suffix,
        "--products",
        str(products),
        "--queries",
        str(queries),
    ]
    return subprocess.call(command, cwd=ROOT, env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    arguments = parser.parse_args()

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    status = run_backend(
        "sqlite",
        f"sqlite:///{BENCH_DIR / f'bench-{arguments.products}.sqlite3'}",
        arguments.products,
        arguments.queries,
    )
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        status |= run_backend(
            "postgres", postgres_bench_url(database_url), arguments.products, arguments.queries
        )
    else:
        print("bench: DATABASE_URL is not PostgreSQL; PostgreSQL figures skipped", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
