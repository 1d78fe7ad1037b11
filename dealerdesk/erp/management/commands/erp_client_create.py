from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError

from dealerdesk.erp.services import erp_client_create


class Command(BaseCommand):
    help = (
        "Create an ERP client and print its login (for the 1C exchange) and its API key once: "
        "LOGIN <login>, then KEY <key> as the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="A name for the ERP installation, e.g. '1C UT main'.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            issued = erp_client_create(name=options["name"])
        except (ValueError, IntegrityError) as error:
            message = (
                "an ERP client with this name exists"
                if isinstance(error, IntegrityError)
                else str(error)
            )
            raise CommandError(message) from error
        self.stdout.write(f"ERP client #{issued.client.id} {issued.client.name!r} created.")
        self.stdout.write(
            "The key is shown only now; store it in the ERP's exchange settings. In 1C's "
            "exchange with a website the login is the user name and the key the password."
        )
        self.stdout.write(f"LOGIN {issued.client.login}")
        self.stdout.write(f"KEY {issued.key}")
