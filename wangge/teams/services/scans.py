"""A signed responsibility letter's scan: a PDF, checked by its first bytes and its size, or a
photo, which `core.photos.photo_clean` judges by its content and stores without its metadata."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from wangge.core.photos import photo_clean
from wangge.core.sheet_limits import human_size

PDF_MAGIC = b"%PDF-"
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
HEIF_BRANDS = {b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"}


@dataclass(frozen=True)
class Scan:
    content: bytes
    content_type: str
    extension: str


def scan_clean(upload: UploadedFile) -> Scan:
    """The scan to store, or a bilingual ValidationError naming the file."""
    name = upload.name or ""
    limit = settings.WANGGE["PHOTO_MAX_BYTES"]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise ValidationError(
                f"文件“{name}”超过{human_size(limit)} / '{name}' is larger than {human_size(limit)}"
            )
        return Scan(data, "application/pdf", ".pdf")
    if head.startswith(IMAGE_MAGIC) or head[4:12] in HEIF_BRANDS:
        photo = photo_clean(upload)
        return Scan(photo.content, photo.content_type, photo.extension)
    raise ValidationError(
        f"“{name}”不是PDF或图片，请上传签字盖章的扫描件或照片 / "
        f"'{name}' is not a PDF or an image: upload the signed scan or a photo of it"
    )
