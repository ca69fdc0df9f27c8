"""Attachments and photos on tasks and feedback: what a file may be, checked by its first bytes as
well as its name, and how large (settings.WANGGE["TASK_ATTACHMENT_MAX_BYTES"])."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

# extension → (content type, how the file starts)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".webp": ("image/webp", (b"RIFF",)),
    ".heic": ("image/heic", (b"",)),
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
}


def _looks_like(head: bytes, extension: str) -> bool:
    if extension == ".heic":
        return head[4:12] in {b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"}
    if extension == ".webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return any(head.startswith(magic) for magic in ALLOWED[extension][1])


def checked_upload(upload: UploadedFile) -> str:
    """The upload's content type, or a bilingual ValidationError saying what is wrong with it."""
    name = upload.name or ""
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED:
        allowed = "、".join(sorted({e.lstrip(".") for e in ALLOWED}))
        raise ValidationError(
            f"不支持的附件类型“{name}”，可上传：{allowed} / file type of '{name}' is not "
            f"allowed; allowed: {allowed.replace('、', ', ')}"
        )
    limit = settings.WANGGE["TASK_ATTACHMENT_MAX_BYTES"]
    if upload.size > limit:
        megabytes = limit // (1024 * 1024)
        raise ValidationError(
            f"附件“{name}”超过{megabytes}MB / '{name}' is larger than {megabytes} MB"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _looks_like(head, extension):
        raise ValidationError(
            f"附件“{name}”的内容与扩展名不符 / the content of '{name}' does not match its type"
        )
    return ALLOWED[extension][0]
