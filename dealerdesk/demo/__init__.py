"""Demo and benchmark data: `load_demo` fills the database once and reuses it afterwards."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dealerdesk.demo.services import DemoResult, load_demo

__all__ = ["DemoResult", "load_demo"]


def __getattr__(name: str) -> Any:
    # This package is a Django app: it is imported while the app registry is still being
    # populated, before models may be. The service (and the models it needs) loads on first use.
    if name in __all__:
        from dealerdesk.demo import services

        return getattr(services, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
