"""Fixtures of the routing tests: tiny classifiers trained on texts written here, a model
folder per test, English pages."""

import itertools

import pytest
from django.test import Client

from lianxin.places.models import Category
from lianxin.routing.models import Decision, ModelVersion, TrainingSource
from lianxin.routing.training import _save_file
from lianxin.triage.classifier import train

# Three categories, each with its own vocabulary; texts are built from a subject and a detail.
SUBJECTS = {
    "urban_construction": ("路灯坏了不亮", "人行道地砖破损", "窨井盖缺失", "路面坑洼不平", "违章搭建彩钢棚"),
    "environment": ("河道污水发臭", "工厂排放废气", "垃圾焚烧冒黑烟", "餐馆油烟扰民", "夜间施工噪音"),
    "transport": ("公交车班次太少", "路口红绿灯时间太短", "公交站台没有遮雨棚", "停车位不够乱停车", "校门口交通拥堵"),
}
DETAILS = ("已经两个月了", "影响居民生活", "希望尽快处理", "老人孩子出行不便", "多次反映没有解决", "请相关部门重视")


def texts_for(code: str, n: int, offset: int = 0) -> list[str]:
    pairs = itertools.islice(itertools.cycle(itertools.product(SUBJECTS[code], DETAILS)), offset, offset + n)
    return [f"小区附近{subject}，{detail}。" for subject, detail in pairs]


def corpus(n: int = 12, *, wrong: bool = False) -> tuple[list[str], list[str]]:
    """`n` texts per category; `wrong` labels each with the next category (a useless model)."""
    codes = list(SUBJECTS)
    texts, labels = [], []
    for i, code in enumerate(codes):
        texts += texts_for(code, n)
        labels += [codes[(i + 1) % len(codes)] if wrong else code] * n
    return texts, labels


@pytest.fixture(autouse=True)
def model_dir(settings, tmp_path):
    settings.TRIAGE_MODEL_DIR = tmp_path / "models"
    return settings.TRIAGE_MODEL_DIR


def install_model(*, wrong: bool = False, active: bool = True) -> ModelVersion:
    """Train a tiny classifier, save it in the test's model folder and register it."""
    texts, labels = corpus(wrong=wrong)
    model = train(texts, labels)
    content_hash, name = _save_file(model)
    return ModelVersion.objects.create(
        content_hash=content_hash,
        path=name,
        source=TrainingSource.COMMAND,
        n_train=len(texts),
        labels=list(model.labels),
        active=active,
        decision=Decision.FIRST if active else Decision.NOT_ASKED,
    )


@pytest.fixture
def as_user():
    def login(user) -> Client:
        client = Client(headers={"accept-language": "en"})
        client.force_login(user)
        return client

    return login


def category(code: str) -> Category:
    return Category.objects.get(code=code)
