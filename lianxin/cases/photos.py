"""Photos from residents and handlers: checked by content, re-encoded, metadata stripped."""

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 2560
Image.MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs early


@dataclass(frozen=True)
class ProcessedPhoto:
    content: bytes
    width: int
    height: int

    def as_file(self) -> ContentFile:
        return ContentFile(self.content, name=f"{uuid.uuid4().hex}.jpg")


def process_photo(upload) -> ProcessedPhoto:
    """Open by content (never by name), apply orientation, drop EXIF/GPS, re-encode as JPEG."""
    if upload.size > settings.MAX_PHOTO_BYTES:
        raise ValidationError(_("Each photo may be at most 10 MB."), code="photo_too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            fmt = probe.format
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            clean = _reencode(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not a JPEG, PNG or WebP photo."), code="photo_invalid") from None
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(_("This file is not a JPEG, PNG or WebP photo."), code="photo_invalid")
    return clean


def _reencode(image: Image.Image) -> ProcessedPhoto:
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image from the pixels alone carries no EXIF, GPS, ICC or comments.
    pixels = Image.new(image.mode, image.size)
    pixels.paste(image)
    buffer = io.BytesIO()
    pixels.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
    return ProcessedPhoto(buffer.getvalue(), pixels.width, pixels.height)
