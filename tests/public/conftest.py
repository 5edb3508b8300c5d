"""Fixtures of the residents' pages: an English-speaking phone, photos, a replied case."""

import io

import pytest
from django.test import Client
from PIL import Image

from lianxin.cases import services


@pytest.fixture
def client() -> Client:
    # Pages are Chinese by default; tests read the English msgids so they survive the catalogue.
    return Client(headers={"accept-language": "en"})


def jpeg_bytes(*, gps: bool = False, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def make_jpeg():
    return jpeg_bytes


def reply_to(world, case, text: str = "已安排维修人员更换路灯，三日内完成。"):
    services.case_triage(case=case, actor=world.district_office, category=world.category)
    services.case_assign(case=case, actor=world.district_office, department=world.dept_a)
    services.case_accept(case=case, actor=world.handler_a)
    services.case_reply(case=case, actor=world.handler_a, text=text)
    return case


@pytest.fixture
def replied(world):
    """An opinion the department has answered, waiting for the resident's rating."""
    return reply_to(world, world.opinion())


@pytest.fixture
def answer():
    return lambda world, case, **kw: reply_to(world, case, **kw)
