"""A photo upload made safe to keep and to show: judged by its content, stored without its metadata.

`photo_clean(upload)` accepts JPEG, PNG and HEIC/HEIF (what phones take) as Pillow reads them, never
by the file's name: a program or a text renamed `.jpg` is refused, a PNG named `.jpg` is kept as a
PNG. Before anything is decoded the upload is held to `WANGGE["PHOTO_MAX_BYTES"]` and its declared
width × height to `WANGGE["PHOTO_MAX_PIXELS"]`, so a small file that would unpack into gigabytes of
pixels (a decompression bomb) is refused by its header. Then the whole image is decoded, so a
truncated or damaged file is refused too, and encoded again from its pixels alone:

- the EXIF orientation is applied to the pixels (`ImageOps.exif_transpose`), so the photo stands as
  it was taken without the tag;
- EXIF (GPS position, camera, time), XMP, comments and PNG text chunks are dropped; only the colour
  profile (ICC) and a PNG's transparency are kept, since they say how to draw the pixels and nothing
  about who took them or where;
- JPEG is written again at quality 85, PNG again as PNG, and HEIC becomes JPEG: browsers cannot
  show HEIC.

Every refusal is a `ValidationError` saying in Chinese and English what is wrong with which file.
"""

import io
from dataclasses import dataclass
from typing import Any

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageFile, ImageOps

from wangge.core.sheet_limits import human_size

pillow_heif.register_heif_opener()

# The formats Pillow may open an upload as, and what each is stored as (MPO: a JPEG carrying a second
# picture, as some phones write it, which Pillow's JPEG opener returns).
OPENERS = ["JPEG", "PNG", "HEIF"]
STORED_AS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "HEIF": "JPEG"}
CONTENT_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
# What is kept of an image's information: how to draw its pixels, nothing about who took them.
KEPT = ("icc_profile", "transparency")
JPEG_QUALITY = 85


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str  # with its dot, as Path.suffix: ".jpg" or ".png"
    width: int
    height: int


def photo_clean(upload: UploadedFile, *, max_bytes: int | None = None) -> CleanPhoto:
    """The upload re-encoded without metadata, or a bilingual ValidationError naming the file.

    `max_bytes` overrides `WANGGE["PHOTO_MAX_BYTES"]` for a use that needs less.
    """
    name = upload.name or ""
    limit = settings.WANGGE["PHOTO_MAX_BYTES"] if max_bytes is None else max_bytes
    too_large = ValidationError(
        f"照片“{name}”超过{human_size(limit)} / photo '{name}' is larger than {human_size(limit)}"
    )
    if (upload.size or 0) > limit:
        raise too_large
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    image = _opened(data, name)
    stored_as = STORED_AS[image.format or ""]
    try:
        _load_whole(image)
        kept = {key: image.info[key] for key in KEPT if image.info.get(key) not in (None, b"")}
        ImageOps.exif_transpose(image, in_place=True)
        content = _encoded(image, stored_as, kept)
    except Exception as error:
        # Pillow's decoders answer a damaged file with many kinds of error (Django's ImageField
        # catches Exception for the same reason).
        raise ValidationError(
            f"照片“{name}”已损坏或不完整，无法读取 / photo '{name}' is damaged or incomplete "
            "and cannot be read"
        ) from error
    content_type, extension = CONTENT_TYPES[stored_as]
    return CleanPhoto(content, content_type, extension, image.width, image.height)


def _load_whole(image: Image.Image) -> None:
    """Decode every pixel, failing on a truncated file. Pillow's switch for padding truncated files
    is process-wide and WeasyPrint turns it on when imported (core.pdf); it is off while a photo
    decodes, and put back as it was."""
    padding = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = padding


def _opened(data: bytes, name: str) -> Image.Image:
    """The image as Pillow reads its header, refused unless it is an accepted format of sane size."""
    try:
        image = Image.open(io.BytesIO(data), formats=OPENERS)
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(name, None) from error
    except Exception as error:
        raise ValidationError(
            f"照片“{name}”不是JPEG、PNG或HEIC图片 / '{name}' is not a JPEG, PNG or HEIC photo"
        ) from error
    if image.width * image.height > settings.WANGGE["PHOTO_MAX_PIXELS"]:
        raise _too_many_pixels(name, image.size)
    return image


def _encoded(image: Image.Image, stored_as: str, kept: dict[str, Any]) -> bytes:
    """The pixels written again, carrying only what `kept` holds of the original's information."""
    image.info = {}
    out = io.BytesIO()
    if stored_as == "PNG":
        image.save(out, format="PNG", **kept)
    else:
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        icc = {"icc_profile": kept["icc_profile"]} if "icc_profile" in kept else {}
        image.save(out, format="JPEG", quality=JPEG_QUALITY, **icc)
    return out.getvalue()


def _too_many_pixels(name: str, size: tuple[int, int] | None) -> ValidationError:
    megapixels = settings.WANGGE["PHOTO_MAX_PIXELS"] // 1_000_000
    has = f"有{size[0]}×{size[1]}像素，" if size else ""
    has_en = f"has {size[0]} × {size[1]} pixels, " if size else ""
    return ValidationError(
        f"照片“{name}”{has}超过上限{megapixels}百万像素 / photo '{name}' {has_en}more than the "
        f"limit of {megapixels} megapixels"
    )
