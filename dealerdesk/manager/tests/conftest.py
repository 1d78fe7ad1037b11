from __future__ import annotations

import pytest
from django.conf import LazySettings


@pytest.fixture(autouse=True)
def _english(settings: LazySettings) -> None:
    # The assertions read the English source texts, whatever the default language.
    settings.LANGUAGE_CODE = "en"
