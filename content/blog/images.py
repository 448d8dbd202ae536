"""Resize uploaded pictures with Pillow into the widths a `srcset` offers.

Every size is re-encoded from the decoded pixels, so nothing but the picture survives from the
upload (no metadata, no polyglot payloads). Pictures are never enlarged.
"""

import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

COVER_WIDTHS = (480, 960, 1600)
BODY_WIDTH = 1200
JPEG_QUALITY = 82


def _open(upload) -> Image.Image:
    upload.seek(0)
    picture = Image.open(upload)
    picture = ImageOps.exif_transpose(picture)  # photos from phones come rotated
    if picture.mode != "RGB":
        background = Image.new("RGB", picture.size, "white")
        rgba = picture.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        picture = background
    return picture


def _save(picture: Image.Image, width: int, folder: str, stem: str) -> tuple[int, int, str]:
    copy = picture.copy()
    if copy.width > width:
        copy.thumbnail((width, width * 10), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    name = default_storage.save(f"{folder}/{stem}-{copy.width}.jpg", ContentFile(buffer.getvalue()))
    return copy.width, copy.height, name


def cover_sizes(upload, stem: str) -> list[list]:
    """Save the cover at each width of COVER_WIDTHS (fewer for a small picture)."""
    picture = _open(upload)
    sizes, seen = [], set()
    for width in COVER_WIDTHS:
        if min(width, picture.width) in seen:
            continue
        seen.add(min(width, picture.width))
        sizes.append(list(_save(picture, width, "blog/covers", stem)))
    return sizes


def body_image(upload) -> tuple[int, int, str]:
    """Save a picture for a post body at most BODY_WIDTH wide; returns (width, height, name)."""
    return _save(_open(upload), BODY_WIDTH, "blog/images", uuid.uuid4().hex[:12])
