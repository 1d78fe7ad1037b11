from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dealerdesk.erp.models import ErpClient
from dealerdesk.erp.services import erp_client_revoke


class Command(BaseCommand):
    help = "Revoke an ERP client's key: its requests are refused from now on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        client = ErpClient.objects.filter(name=options["name"]).first()
        if client is None:
            raise CommandError(f"no ERP client named {options['name']!r}")
        erp_client_revoke(client=client)
        self.stdout.write(f"ERP client {client.name!r} revoked.")
