"""One module per group of resources; each registers its resources when imported."""

from __future__ import annotations

import importlib

MODULES = ["catalog", "pricing", "companies", "finance", "orders"]


def load() -> None:
    for module in MODULES:
        importlib.import_module(f"{__name__}.{module}")
