"""Masking personal data in text shown on public pages."""

import pytest

from lianxin.cases.privacy import mask_case_text, mask_personal_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话13812345678请回电", "电话***********请回电"),
        ("电话 138-1234-5678。", "电话 ***-****-****。"),
        ("电话 138 1234 5678", "电话 *** **** ****"),
        ("+86 13812345678", "*** ***********"),
        ("身份证330102199001011234", "身份证******************"),
        ("身份证33010219900101123X号", "身份证******************号"),
        ("邮箱zhang.san@example.com.cn谢谢", "邮箱***@***谢谢"),
        ("家里电话010-62345678", "家里电话***-********"),
        ("座机0571 8888 6666，白天有人", "座机**** **** ****，白天有人"),
        ("请打(0755)12345678", "请打(****)********"),
    ],
)
def test_personal_data_is_masked(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "路灯坏了三个月，影响200户居民。",
        "热线电话0571-12345",
        "订单号123456789012345678901",  # a longer code is neither an ID nor a phone
        "12812345678 不是手机号",
        "2024年3月15日",
        "预算0.5万元，面积1200平方米",
        "共计20231215001号文件",
    ],
)
def test_other_text_is_left_alone(text):
    assert mask_personal_data(text) == text


def test_empty_text_stays_empty():
    assert mask_personal_data("") == ""


def test_a_cases_own_contact_values_are_hidden_wherever_they_appear():
    text = "我叫王小明，小明家门口路灯坏了，座机88886666"
    masked = mask_case_text(text, known=("王小明", "88886666", "", "x"))
    assert masked == "我叫***，小明家门口路灯坏了，座机***"
