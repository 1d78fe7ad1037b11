"""CommerceML figures (issue 7): a 1C catalog export of 100,000 products with two price types and
stock at three warehouses imported THROUGH THE PROTOCOL, as 1C drives it: `checkauth` with the
ERP client's login and key, `init`, the upload in `file_limit` chunks (one zip when the portal
answers `zip=yes`, else the two XML files), then `import` repeated until `success` for
import.xml and offers.xml. The requests go through Django's whole stack (test client against
the real views) into the benchmark database, next to its 1,000,000-product catalog: the
CommerceML products have their own ERP ids, so they are added. Afterwards they are removed
again (`remove_exchange_data`), so every run measures the same first full exchange and the data
set keeps the product count bench/run.py checks.

Peak memory: the same exchange for 10,000 and for 100,000 products, each in a fresh process
(`python -m bench.cml --child-peak N`) on the same database; the figure is how far the peak
resident set size (VmHWM) of the import (`import` until success: unzip, parse, write) rises
over the resident size after Django is set up and the exchange code is imported. The upload
before it is measured apart and only printed (UPLOAD_PEAK_MB): the server streams each chunk
to disk in 1 MB blocks, and that figure is mostly the test client's own copies of a
`file_limit`-sized chunk, which a real 1C does not put in the portal's memory.

The files are generated once per size into var/bench/cml/ (bench/cml_generate.py, fixed seed)
and reused; writing them and zipping them is the ERP's work and is not timed.

    python -m bench.cml --products 2000 --peak-sizes 2000 20000   # a quick run on DATABASE_URL
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import gc
import hashlib
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import cml_generate
from bench.cml_generate import export_ids, write_catalog

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "var" / "bench" / "cml"
PRODUCTS = 100_000
PEAK_SIZES = (10_000, 100_000)
WAREHOUSES = 3
CLIENT_NAME = "bench: 1C exchange"
# 1C gives up on a file after this many `progress` answers; so does the benchmark.
MAX_IMPORT_STEPS = 10_000
COMPLETE_MARK = ".complete"


class ExchangeFailed(SystemExit):
    """Ends the benchmark with the portal's answer: a figure of a failed exchange means nothing."""


@dataclass(frozen=True)
class ExportFiles:
    """One size's export: the two XML files, and the zip 1C would upload instead."""

    catalog: Path
    offers: Path

    @property
    def xml(self) -> tuple[Path, Path]:
        return self.catalog, self.offers

    def archive(self) -> Path:
        """The zip of both files, written once (1C zips the export before the upload)."""
        path = self.catalog.parent / "export.zip"
        mark = path.with_name(path.name + COMPLETE_MARK)
        if not mark.exists():
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for source in self.xml:
                    archive.write(source, arcname=source.name)
            mark.touch()
        return path


def export_files(products: int) -> ExportFiles:
    """The generated export of `products` products; written on first use, then reused until
    the generator changes (its source's hash names the folder; older folders are removed)."""
    digest = hashlib.sha256(Path(cml_generate.__file__).read_bytes()).hexdigest()[:12]
    for stale in DATA_DIR.glob("*") if DATA_DIR.exists() else []:
        if stale.is_dir() and stale.name != digest:
            shutil.rmtree(stale, ignore_errors=True)
    directory = DATA_DIR / digest / f"products-{products}-warehouses-{WAREHOUSES}"
    mark = directory / COMPLETE_MARK
    if not mark.exists():
        write_catalog(directory, products, warehouses=WAREHOUSES)
        mark.touch()
    return ExportFiles(directory / "import.xml", directory / "offers.xml")


def exchange_credentials() -> tuple[str, str]:
    """The benchmark ERP client's login and a fresh key (a key is shown only when issued)."""
    from dealerdesk.erp.models import ErpClient
    from dealerdesk.erp.services import erp_client_create, erp_client_rotate_key

    client = ErpClient.objects.filter(name=CLIENT_NAME).first()
    issued = erp_client_rotate_key(client=client) if client else erp_client_create(name=CLIENT_NAME)
    return issued.client.login, issued.key


class CatalogExchange:
    """1C's side of a `type=catalog` exchange, spoken to the portal's views."""

    def __init__(self, login: str, key: str) -> None:
        from django.conf import settings
        from django.test import Client

        self.http = Client(raise_request_exception=True)
        self.url = "/" + str(settings.EXCHANGE_1C_PATH).strip("/") + "/"
        self.credentials = base64.b64encode(f"{login}:{key}".encode()).decode("ascii")
        self.sessid: str | None = None
        self.requests = 0

    def _answer(self, response: Any, mode: str) -> list[str]:
        self.requests += 1
        if response.status_code != 200:
            raise ExchangeFailed(f"bench: mode={mode} answered HTTP {response.status_code}")
        text = response.content.decode(response.charset or "utf-8")
        lines = [line.strip() for line in text.splitlines()]
        # `init` answers its parameters with no status word; anything else starts with one.
        if mode == "init" and lines and lines[0].startswith("zip="):
            return lines
        if not lines or lines[0] not in {"success", "progress"}:
            raise ExchangeFailed(f"bench: mode={mode} failed: {' / '.join(lines)}")
        return lines

    def _query(self, mode: str, **params: str) -> dict[str, str]:
        query = {"type": "catalog", "mode": mode, **params}
        if self.sessid:
            query["sessid"] = self.sessid
        return query

    def get(self, mode: str, **params: str) -> list[str]:
        response = self.http.get(self.url, self._query(mode, **params), secure=True)
        return self._answer(response, mode)

    def checkauth(self) -> None:
        response = self.http.get(
            self.url,
            {"type": "catalog", "mode": "checkauth"},
            secure=True,  # 1C sends the key in Basic auth: the exchange runs over https only
            HTTP_AUTHORIZATION=f"Basic {self.credentials}",
        )
        lines = self._answer(response, "checkauth")
        if len(lines) < 3:
            raise ExchangeFailed(f"bench: checkauth gave no cookie: {lines}")
        # 1C sends back only the cookie named in the answer, not what Set-Cookie headers said.
        self.http.cookies = SimpleCookie()
        self.http.cookies[lines[1]] = lines[2]
        for line in lines[3:]:
            if line.startswith("sessid="):
                self.sessid = line.removeprefix("sessid=")

    def init(self) -> tuple[bool, int]:
        settings = dict(
            line.split("=", 1) for line in self.get("init", version="2.08") if "=" in line
        )
        return settings.get("zip") == "yes", int(settings.get("file_limit", "0"))

    def upload(self, path: Path, limit: int) -> None:
        url = f"{self.url}?{urlencode(self._query('file', filename=path.name))}"
        with path.open("rb") as source:
            while chunk := source.read(limit or path.stat().st_size):
                response = self.http.post(
                    url, data=chunk, content_type="application/octet-stream", secure=True
                )
                self._answer(response, "file")

    def import_file(self, name: str) -> str:
        for _ in range(MAX_IMPORT_STEPS):
            lines = self.get("import", filename=name)
            if lines[0] == "success":
                return " ".join(lines[1:])
        raise ExchangeFailed(f"bench: {name} still in progress after {MAX_IMPORT_STEPS} steps")

    def send(self, export: ExportFiles) -> None:
        """checkauth, init and the upload: the archive if the portal takes zip, else the files."""
        self.checkauth()
        zipped, limit = self.init()
        for path in [export.archive()] if zipped else export.xml:
            self.upload(path, limit)

    def load(self, export: ExportFiles) -> None:
        """import until success, catalog first, then offers; then complete."""
        for path in export.xml:
            self.import_file(path.name)
        self.get("complete")

    def run(self, export: ExportFiles) -> None:
        self.send(export)
        self.load(export)


def _leaf_categories() -> list[str]:
    return [
        erp_id
        for path, erp_id in export_ids(warehouses=WAREHOUSES).groups.items()
        if len(path) == 3
    ]


def _check_imported(products: int) -> None:
    """The figure counts only if the data landed: every product in its category, both prices
    of every product and a stock row per product and warehouse."""
    from dealerdesk.catalog.models import Product, Stock
    from dealerdesk.pricing.models import BasePrice

    ids = export_ids(warehouses=WAREHOUSES)
    stored = (
        Product.objects.filter(category__erp_id__in=_leaf_categories(), is_active=True).count(),
        BasePrice.objects.filter(price_type__erp_id__in=ids.price_types).count(),
        Stock.objects.filter(warehouse__erp_id__in=ids.warehouses).count(),
    )
    expected = (products, products * len(ids.price_types), products * len(ids.warehouses))
    if stored != expected:
        raise ExchangeFailed(
            f"bench: after the exchange (products, prices, stock rows) = {stored}, not {expected}"
        )


def remove_exchange_data() -> None:
    """Put the data set back as it was before the exchange.

    bench/run.py rebuilds a data set whose product count is not the one asked for, and every
    run should measure the same thing: 100,000 products created next to the 1,000,000 of the
    catalog. Removed: the exported products (found by their categories) with their prices and
    stock, the exported categories, price types and warehouses, the benchmark client's journal
    and uploads. Brands stay; a later run finds them again."""
    from dealerdesk.catalog.models import Category, Product, Warehouse
    from dealerdesk.erp.models import ErpBatch, ExchangeSession
    from dealerdesk.pricing.models import PriceType

    remove_uploads()
    ids = export_ids(warehouses=WAREHOUSES)
    product_ids = list(
        Product.objects.filter(category__erp_id__in=_leaf_categories()).values_list("id", flat=True)
    )
    for start in range(0, len(product_ids), 900):  # SQLite: at most 999 parameters
        Product.objects.filter(id__in=product_ids[start : start + 900]).delete()
    PriceType.objects.filter(erp_id__in=ids.price_types).delete()
    Warehouse.objects.filter(erp_id__in=ids.warehouses).delete()
    # Children before parents: a category with subcategories cannot be deleted.
    for _path, erp_id in sorted(ids.groups.items(), key=lambda item: -len(item[0])):
        Category.objects.filter(erp_id=erp_id).delete()
    ErpBatch.objects.filter(client__name=CLIENT_NAME).delete()
    ExchangeSession.objects.filter(client__name=CLIENT_NAME).delete()


def exchange_catalog(export: ExportFiles) -> int:
    """Run the whole exchange; the number of HTTP requests it took."""
    login, key = exchange_credentials()
    exchange = CatalogExchange(login, key)
    exchange.run(export)
    return exchange.requests


def remove_uploads() -> None:
    """The portal keeps an exchange's uploads for support; the benchmark's are 450 MB each."""
    from dealerdesk.erp.commerceml.exchange import session_area
    from dealerdesk.erp.models import ExchangeSession

    for session in ExchangeSession.objects.filter(client__name=CLIENT_NAME):
        shutil.rmtree(session_area(session), ignore_errors=True)


def _label(products: int) -> str:
    return f"{products // 1000}k" if products % 1000 == 0 else str(products)


def _peak_in_child(products: int) -> float:
    """Peak memory of the exchange in a fresh process on this process's database."""
    from django.db import connection

    database = str(connection.settings_dict["NAME"])
    connection.close()  # SQLite: no lock held by this process while the child writes
    result = subprocess.run(
        [sys.executable, "-m", "bench.cml", "--child-peak", str(products)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "dealerdesk.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    if result.returncode != 0 or "PEAK_MB" not in lines:
        raise ExchangeFailed(
            f"bench: the {products}-product peak run failed ({result.returncode}): "
            f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    if lines.get("DATABASE") != database:
        raise ExchangeFailed(
            f"bench: the peak run used database {lines.get('DATABASE')!r}, not {database!r}"
        )
    print(
        f"bench: cml {products} products: upload peak {lines.get('UPLOAD_PEAK_MB')} MB "
        "(mostly the test client's copies of a chunk), import peak "
        f"{lines['PEAK_MB']} MB",
        file=sys.stderr,
    )
    return float(lines["PEAK_MB"])


def measure_cml(
    report: Callable[[str, float, str], None],
    suffix: str,
    *,
    products: int = PRODUCTS,
    peak_sizes: tuple[int, ...] = PEAK_SIZES,
) -> None:
    def name(base: str) -> str:
        return base if suffix == "sqlite" else f"{base}_{suffix}"

    export = export_files(products)
    export.archive()  # built before the clock starts: 1C zips before it connects
    remove_exchange_data()  # what an interrupted run may have left
    started = time.perf_counter()
    exchange_catalog(export)
    elapsed = time.perf_counter() - started
    _check_imported(products)
    remove_exchange_data()
    report(name(f"cml_import_{_label(products)}_s"), elapsed, "s")
    for size in peak_sizes:
        export_files(size).archive()
        report(name(f"cml_peak_mb_{_label(size)}"), _peak_in_child(size), "MB")


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in MB.

    Not `ru_maxrss`: after exec it starts from the peak of the process that spawned this one
    (Linux carries the old address space's high-water mark over), so a child of a 1 GB
    benchmark process would report at least 1 GB whatever it did."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024  # the kernel reports kB
    except OSError:
        pass
    raise ExchangeFailed(f"bench: no {field} in /proc/self/status; the peak needs Linux")


def _reset_peak() -> None:
    # Writing 5 to clear_refs resets VmHWM to the current resident size; where it is not
    # allowed, VmHWM counts from the process start, which only Django's setup preceded.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


def _child_peak(products: int) -> None:
    from django.db import connection
    from django.urls import resolve

    import dealerdesk.erp.commerceml  # noqa: F401 - imported before the baseline is taken
    from dealerdesk.erp.commerceml import exchange  # noqa: F401

    export = export_files(products)
    login, key = exchange_credentials()
    client = CatalogExchange(login, key)
    resolve(client.url)  # imports the views, as a warm server has them
    gc.collect()
    baseline = _status_mb("VmRSS")
    _reset_peak()
    client.send(export)
    upload_peak = _status_mb("VmHWM") - baseline
    gc.collect()
    _reset_peak()
    client.load(export)
    peak = _status_mb("VmHWM") - baseline
    _check_imported(products)
    remove_exchange_data()
    print(f"PEAK_MB {peak:.2f}")
    print(f"UPLOAD_PEAK_MB {upload_peak:.2f}")
    print(f"DATABASE {connection.settings_dict['NAME']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=PRODUCTS)
    parser.add_argument("--peak-sizes", type=int, nargs="*", default=list(PEAK_SIZES))
    parser.add_argument("--suffix", default="sqlite")
    parser.add_argument("--child-peak", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealerdesk.settings")
    import django

    django.setup()
    if arguments.child_peak:
        _child_peak(arguments.child_peak)
        return

    def report(name: str, value: float, unit: str) -> None:
        print(f"BENCH {name} {value:.2f} {unit}", flush=True)

    measure_cml(
        report,
        arguments.suffix,
        products=arguments.products,
        peak_sizes=tuple(arguments.peak_sizes),
    )


if __name__ == "__main__":
    main()
