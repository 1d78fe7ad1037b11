"""Two application processes on one PostgreSQL behave as one portal: a session opened on one
is valid on the other, a change made through one is seen by the other at once, and blocking a
user ends the session on both."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from conftest import Persona, World, build_world
from dealerdesk.accounts.tests.factories import PASSWORD


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def app_server(database_url: str, media_root: Path) -> Iterator[str]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {"DATABASE_URL": database_url, "DEBUG": "1", "MEDIA_ROOT": str(media_root), "HTTPS": "0"}
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "dealerdesk.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base_url}/healthz", timeout=5):  # noqa: S310
                    break
            # A loaded machine may accept the connection before the worker answers in time.
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        else:
            raise AssertionError("the application server did not start")
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


class Browser:
    """A cookie-keeping HTTP client that may talk to several servers with one session."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(url, timeout=10) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode()

    def post(self, url: str, form_page: str, data: dict[str, str]) -> tuple[int, str, str]:
        _, _, page = self.get(form_page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None, "no CSRF token on the form page"
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token.group(1)}).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": form_page})  # noqa: S310
        with self.opener.open(request, timeout=10) as response:
            return response.status, response.geturl(), response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_two_app_processes_on_one_postgresql_agree(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two processes share a database server only on PostgreSQL")
    world: World = build_world()
    db = connection.settings_dict
    database_url = (
        f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    product_url = f"/catalog/products/{world.breaker.id}/"
    with (
        app_server(database_url, tmp_path) as server_a,
        app_server(database_url, tmp_path) as server_b,
    ):
        browser = Browser()
        # Signed in through server A...
        browser.post(
            f"{server_a}/accounts/login/",
            f"{server_a}/accounts/login/",
            {"username": "boss@a.example", "password": PASSWORD},
        )
        # ...the same session works on server B.
        status, _, page = browser.get(f"{server_b}{product_url}")
        assert status == 200
        assert "900,00" in page
        # The legal entity switched on A is the one B prices for.
        browser.post(
            f"{server_a}/scope/legal-entity/",
            f"{server_a}{product_url}",
            {"legal_entity": str(world.a_sub1.id), "next": product_url},
        )
        _, _, page = browser.get(f"{server_b}{product_url}")
        assert "800,00" in page
        # Blocking the user ends the session on every server.
        user = world.user(Persona.SUPERUSER)
        user.is_active = False
        user.save(update_fields=["is_active"])
        _, final_url, _ = browser.get(f"{server_b}{product_url}")
        assert "/accounts/login/" in final_url
