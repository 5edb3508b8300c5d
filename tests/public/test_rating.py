"""Rating the reply: 3–5 stars closes, 1–2 reopens, and refusals are explained."""

import re

import pytest

from lianxin.cases import services
from lianxin.cases.models import Case, Resolution
from lianxin.cases.workflow import Status


def rate(client, case, **data):
    return client.post(f"/t/{case.tracking_code}/rate", data)


def test_five_stars_closes_the_opinion(client, replied):
    response = rate(client, replied, stars="5", comment="修得很快，谢谢！")
    assert response.status_code == 302 and response["Location"] == f"/t/{replied.tracking_code}"
    replied.refresh_from_db()
    assert (replied.status, replied.rating, replied.resolution) == (Status.CLOSED, 5, Resolution.ANSWERED)
    page = client.get(response["Location"]).content.decode()
    assert "Thank you for your rating." in page and "修得很快，谢谢！" in page and "Rate the reply" not in page


def test_two_stars_reopens_and_says_the_department_will_handle_it_again(client, replied):
    response = rate(client, replied, stars="2", comment="还没修好")
    replied.refresh_from_db()
    assert (replied.status, replied.rating, replied.reopen_count) == (Status.IN_PROGRESS, 2, 1)
    page = client.get(response["Location"]).content.decode()
    assert "we will ask the department to handle it again" in page
    assert "we asked the department to handle it again" in page
    assert "Rate the reply" not in page and "Reopened" in page


def test_rating_before_any_reply_is_refused_with_a_message(client, world):
    case = world.opinion()
    response = rate(client, case, stars="4", comment="先评一下")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is no reply to rate yet." in page
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.rating is None


def test_rating_again_after_closing_says_it_was_already_rated(client, replied):
    rate(client, replied, stars="5")
    response = rate(client, replied, stars="1", comment="改主意了")
    assert response.status_code == 200
    assert "You have already rated this reply." in response.content.decode()
    replied.refresh_from_db()
    assert (replied.status, replied.rating) == (Status.CLOSED, 5)


def test_double_tapped_rating_counts_once(client, replied):
    rate(client, replied, stars="2")
    response = rate(client, replied, stars="2")
    assert "You have already rated this reply." in response.content.decode()
    replied.refresh_from_db()
    assert replied.reopen_count == 1 and replied.events.filter(action="rate").count() == 1


@pytest.mark.parametrize("stars", ["", "0", "6", "x", "3.5"])
def test_invalid_stars_show_a_message_and_keep_the_comment(client, replied, stars):
    response = rate(client, replied, stars=stars, comment="我的评价文字")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please choose from 1 to 5 stars." in page and "我的评价文字" in page
    replied.refresh_from_db()
    assert replied.status == Status.REPLIED and replied.rating is None


def test_chosen_stars_stay_checked_when_the_comment_is_too_long(client, replied):
    page = rate(client, replied, stars="4", comment="长" * 1001).content.decode()
    assert "Please write at most 1000 characters." in page
    assert re.search(r'<input type="radio" name="stars" value="4"[^>]*checked', page)
    assert Case.objects.get(pk=replied.pk).rating is None


def test_rating_an_unknown_code_is_a_404(client, world):
    assert client.post("/t/BBBBBBBB/rate", {"stars": "5"}).status_code == 404


def test_opening_the_rating_address_leads_to_the_tracking_page(client, replied):
    response = client.get(f"/t/{replied.tracking_code}/rate")
    assert response.status_code == 302 and response["Location"] == f"/t/{replied.tracking_code}"


def test_rating_after_a_second_reply_works_again(client, world, replied):
    rate(client, replied, stars="1")
    replied.refresh_from_db()
    services.case_reply(case=replied, actor=world.handler_a, text="已重新维修，请查看。")
    page = client.get(f"/t/{replied.tracking_code}").content.decode()
    assert "Rate the reply" in page and "Your rating" not in page  # the old rating is not shown as final
    rate(client, replied, stars="4")
    replied.refresh_from_db()
    assert (replied.status, replied.rating) == (Status.CLOSED, 4)
