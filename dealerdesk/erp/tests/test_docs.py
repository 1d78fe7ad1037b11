"""The integration guide's resource section is generated from the registry and kept current."""

from __future__ import annotations

from dealerdesk.erp.docgen import GUIDE, guide_with_resources
from dealerdesk.erp.registry import RESOURCES


def test_the_guide_describes_every_resource_as_the_api_does() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    # After changing a resource: python -m dealerdesk.erp.docgen
    assert guide == guide_with_resources(guide)
    for resource in RESOURCES.values():
        assert f"### `POST /api/erp/v1/{resource.path}`" in guide
        assert f'curl -X POST "$DD/{resource.path}"' in guide
