"""The public replies page: only consenting, answered opinions, with personal data masked."""

from lianxin.cases import services
from lianxin.places.models import Category


def test_lists_only_answered_opinions_whose_senders_consented(client, world, answer):
    shown = answer(world, world.opinion(text="公开：东湖路灯坏了", publish_consent=True))
    answer(world, world.opinion(text="不同意公开的意见", publish_consent=False))
    world.opinion(text="尚未答复的意见内容", publish_consent=True)
    page = client.get("/public/").content.decode()
    assert "公开：东湖路灯坏了" in page and "已安排维修人员更换路灯" in page and "区住建局" in page
    assert "不同意公开的意见" not in page and "尚未答复的意见内容" not in page
    assert "1 answered opinion" in page
    assert shown.tracking_code not in page


def test_masks_phone_numbers_id_numbers_and_emails_and_never_shows_contact_fields(client, world, answer):
    case = world.opinion(
        text="我是李四光，请回电13812345678，身份证330102199001011234，邮箱li@example.com",
        contact_name="李四光",
        contact_phone="13900001111",
        publish_consent=True,
    )
    answer(world, case, text="已电话联系13812345678并处理完毕。")
    page = client.get("/public/").content.decode()
    for secret in ("13812345678", "330102199001011234", "li@example.com", "李四光", "13900001111"):
        assert secret not in page
    assert "请回电***********" in page and "已电话联系***********并处理完毕。" in page


def test_shows_category_community_month_and_rating(client, world, answer):
    case = answer(world, world.opinion(place=world.grid1, publish_consent=True))
    services.case_rate(case=case, stars=4)
    page = client.get("/public/").content.decode()
    assert world.category.name_en in page and "东湖社区" in page and "东湖一网格" not in page
    assert case.created_at.strftime("%Y") in page
    assert "Rated 4 of 5 stars" in page and "★★★★☆" in page


def test_shows_the_closing_reason_of_an_opinion_resolved_on_the_spot(client, world):
    case = world.opinion(text="楼道堆放杂物影响通行", publish_consent=True)
    services.case_resolve_on_spot(case=case, actor=world.deputy_user, reason="已协调物业当场清理。")
    page = client.get("/public/").content.decode()
    assert "Resolved on the spot" in page and "已协调物业当场清理。" in page


def test_filters_by_category_and_town(client, world, answer):
    other_category = Category.objects.exclude(pk=world.category.pk).filter(active=True).first()
    answer(world, world.opinion(text="东湖街道的意见内容", publish_consent=True))
    case = world.opinion(place=world.community2, text="西山镇的意见内容", publish_consent=True)
    answer(world, case)
    by_town = client.get("/public/", {"town": world.town2.pk}).content.decode()
    assert "西山镇的意见内容" in by_town and "东湖街道的意见内容" not in by_town
    by_category = client.get("/public/", {"category": world.category.pk}).content.decode()
    assert "西山镇的意见内容" in by_category and "东湖街道的意见内容" in by_category
    assert "No published reply matches yet." in client.get("/public/", {"category": other_category.pk}).content.decode()


def test_unknown_filter_values_show_everything_instead_of_failing(client, world, answer):
    answer(world, world.opinion(text="东湖街道的意见内容", publish_consent=True))
    for params in ({"town": "999999"}, {"category": "abc"}, {"page": "x"}, {"page": "99"}):
        response = client.get("/public/", params)
        assert response.status_code == 200 and "东湖街道的意见内容" in response.content.decode()


def test_twenty_per_page_with_the_filter_kept_in_page_links(client, world, django_assert_max_num_queries):
    for n in range(21):
        case = world.opinion(text=f"第{n:02d}条公开意见内容", publish_consent=True)
        services.case_resolve_on_spot(case=case, actor=world.office1, reason="已现场处理完毕。")
    with django_assert_max_num_queries(8):
        first = client.get("/public/", {"town": world.town1.pk}).content.decode()
    assert first.count('class="card disclosure-item"') == 20 and "Page 1 of 2" in first
    assert f"?town={world.town1.pk}&amp;page=2" in first
    second = client.get("/public/", {"town": world.town1.pk, "page": 2}).content.decode()
    assert second.count('class="card disclosure-item"') == 1
