"""A photo is accepted by its content, stored without its metadata, and refused with a message
naming it when it is not a JPEG, PNG or HEIC, too large, damaged or a decompression bomb."""

import io
import random

import pillow_heif
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile, PngImagePlugin

from wangge.core.photos import photo_clean

GPS_LATITUDE = (30.0, 16.0, 41.5)


def _jpeg_with_gps() -> bytes:
    """A 60 × 40 JPEG whose EXIF says where (GPS), with what, and to turn it (orientation 6)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone maker"
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (120.0, 9.0, 12.25)
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 40, 40)).save(
        out, format="JPEG", exif=exif.tobytes(), comment=b"taken at home"
    )
    return out.getvalue()


def _upload(content: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def _refusal(content: bytes, name: str = "photo.jpg", **kwargs: int) -> str:
    with pytest.raises(ValidationError) as refused:
        photo_clean(_upload(content, name), **kwargs)
    return refused.value.messages[0]


def test_a_jpeg_comes_out_upright_without_exif_gps_or_comment() -> None:
    # given a phone photo that says where it was taken and that it must be turned
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    # when it is cleaned
    photo = photo_clean(_upload(original))

    # then it is a JPEG turned upright, with no metadata left
    stored = Image.open(io.BytesIO(photo.content))
    assert (photo.content_type, photo.extension) == ("image/jpeg", ".jpg")
    assert stored.format == "JPEG"
    assert (photo.width, photo.height) == stored.size == (40, 60)
    assert not stored.getexif()
    assert not {"exif", "xmp", "comment"} & set(stored.info)
    assert b"Exif" not in photo.content and b"taken at home" not in photo.content


def test_a_png_named_jpg_is_kept_as_a_png_without_its_text_chunks() -> None:
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "张三")
    text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS</x:xmpmeta>")
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 120, 0, 128)).save(out, format="PNG", pnginfo=text)

    photo = photo_clean(_upload(out.getvalue(), "door.jpg"))

    stored = Image.open(io.BytesIO(photo.content))
    assert (photo.content_type, photo.extension, stored.format) == ("image/png", ".png", "PNG")
    assert stored.mode == "RGBA" and stored.size == (30, 20)
    assert not {"Author", "XML:com.adobe.xmp"} & set(stored.info)
    assert b"tEXt" not in photo.content and b"iTXt" not in photo.content


def test_a_heic_photo_is_accepted_and_stored_as_jpeg() -> None:
    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (64, 48), (30, 30, 200))).save(out, quality=60)

    photo = photo_clean(_upload(out.getvalue(), "IMG_0001.HEIC"))

    assert (photo.content_type, photo.extension) == ("image/jpeg", ".jpg")
    assert Image.open(io.BytesIO(photo.content)).format == "JPEG"
    assert (photo.width, photo.height) == (64, 48)


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200),
        b"\x7fELF\x02\x01\x01\x00" + bytes(200),
        "<html>不是照片</html>".encode(),
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"",
    ],
    ids=["windows-executable", "elf-executable", "text", "gif", "empty"],
)
def test_what_is_not_a_jpeg_png_or_heic_is_refused_whatever_its_name(content: bytes) -> None:
    message = _refusal(content, "证件照.jpg")

    assert (
        message
        == "照片“证件照.jpg”不是JPEG、PNG或HEIC图片 / '证件照.jpg' is not a JPEG, PNG or HEIC photo"
    )


def test_an_upload_over_the_size_limit_is_refused_before_it_is_decoded(settings) -> None:
    settings.WANGGE = {**settings.WANGGE, "PHOTO_MAX_BYTES": 2 * 1024 * 1024}
    too_large = b"\xff\xd8\xff" + bytes(2 * 1024 * 1024)

    assert (
        _refusal(too_large, "big.jpg")
        == "照片“big.jpg”超过2 MB / photo 'big.jpg' is larger than 2 MB"
    )
    small = _jpeg_with_gps()
    assert "is larger than" in _refusal(small, max_bytes=len(small) - 1)


@pytest.mark.parametrize("padding", [False, True], ids=["alone", "after-weasyprint"])
def test_a_photo_cut_off_in_its_pixels_is_refused(padding, monkeypatch) -> None:
    # WeasyPrint, once imported, sets Pillow's process-wide switch that pads truncated images
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", padding)
    noise = random.Random(7).randbytes(200 * 150 * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (200, 150), noise).save(out, format="JPEG")
    original = out.getvalue()

    message = _refusal(original[: len(original) // 2], "cut.jpg")

    assert message == (
        "照片“cut.jpg”已损坏或不完整，无法读取 / photo 'cut.jpg' is damaged or incomplete and "
        "cannot be read"
    )
    assert ImageFile.LOAD_TRUNCATED_IMAGES is padding


def test_a_decompression_bomb_is_refused_by_its_declared_size() -> None:
    # given a PNG of a few kilobytes that unpacks into 48 million pixels (the limit is 40 million)
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")
    assert len(out.getvalue()) < 100_000

    message = _refusal(out.getvalue(), "bomb.png")

    assert message == (
        "照片“bomb.png”有8000×6000像素，超过上限40百万像素 / photo 'bomb.png' has 8000 × 6000 "
        "pixels, more than the limit of 40 megapixels"
    )
