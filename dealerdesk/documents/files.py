"""Handing stored files to users. Files have no public URL: a view checks access, then
streams the file through this function."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def protected_file_response(
    stored: FieldFile, *, download_name: str = "", content_type: str = ""
) -> FileResponse:
    """Stream a stored file as an attachment; 404 when the storage has lost it."""
    if not stored.name or not stored.storage.exists(stored.name):
        raise Http404
    name = download_name or PurePath(stored.name).name
    guessed = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        stored.storage.open(stored.name, "rb"), as_attachment=True, filename=name
    )
    response["Content-Type"] = guessed
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
