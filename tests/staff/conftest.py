"""Fixtures of the staff screens: English pages, logged-in clients, a case at each step."""

import io

import pytest
from django.test import Client
from PIL import Image

from lianxin.cases import services


@pytest.fixture
def as_user():
    """A client logged in as `user`, reading the English msgids (they survive the catalogue)."""

    def login(user) -> Client:
        client = Client(headers={"accept-language": "en"})
        client.force_login(user)
        return client

    return login


def jpeg_upload(name: str = "photo.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def assigned_to_a(world, **kwargs):
    case = world.opinion(**kwargs)
    services.case_triage(case=case, actor=world.office1, category=world.category)
    services.case_assign(case=case, actor=world.office1, department=world.dept_a)
    return case


def in_progress_at_a(world, **kwargs):
    case = assigned_to_a(world, **kwargs)
    services.case_accept(case=case, actor=world.handler_a)
    return case
