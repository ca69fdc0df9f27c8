"""An uploaded spreadsheet as a temporary file for the importers, which read paths."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile


@contextmanager
def upload_path(upload: UploadedFile) -> Iterator[str]:
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name or "").suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        yield handle.name
