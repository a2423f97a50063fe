"""Each kind of eligibility check, and each article of the regulation, worded as a sentence in English
and in Vietnamese: awards by their names in the reader's language, grades and measures by their words,
shares as the reader's locale writes them."""

from html import unescape

import pytest
from flask_babel import force_locale

from webapp.vocabulary import rules as words
from webapp.vocabulary.citations import finding_basis, in_language
from workflows.models import AwardType, Unit
from workflows.services.eligibility import KINDS

AWARDS = {"LDTT": AwardType(code="LDTT", name="Advanced Worker", name_vi="Lao động tiên tiến"),
          "CSTDCS": AwardType(code="CSTDCS", name="Grassroots Emulation Fighter", name_vi="Chiến sĩ thi đua cơ sở"),
          "BKBAN": AwardType(code="BKBAN", name="Agency Certificate of Merit", name_vi="Bằng khen cấp ban")}
UNITS = {"VPTW": Unit(code="VPTW", name="Party Central Office", name_vi="Văn phòng Trung ương Đảng")}

SENTENCES = [
    ("assessment_at_least", {"grade": "HTTNV"},
     "Assessed “completed tasks well” (HTTNV) or better that year",
     "Được đánh giá, xếp loại từ mức Hoàn thành tốt nhiệm vụ (HTTNV) trở lên trong năm"),
    ("recruited_before_year_end", {"months": 6},
     "In service at least 6 months of the year: recruited on or before 1 July",
     "Có thời gian công tác từ 6 tháng trở lên trong năm: được tuyển dụng từ ngày 1 tháng 7 trở về trước"),
    ("award_in_year", {"award": "LDTT"}, "Holds Advanced Worker that year", "Đạt Lao động tiên tiến trong năm"),
    ("award_held_before", {"award": "BKBAN"}, "Was awarded Agency Certificate of Merit in an earlier year",
     "Đã được tặng Bằng khen cấp ban ở năm trước"),
    ("consecutive_awards", {"award": "CSTDCS", "years": 3},
     "Holds Grassroots Emulation Fighter 3 years in a row, up to that year",
     "Đạt Chiến sĩ thi đua cơ sở 3 năm liên tục, tính đến năm xét"),
    ("awards_in_window", {"award": "CSTDCS", "count": 3, "years": 5},
     "Holds Grassroots Emulation Fighter at least 3 times in the last 5 years",
     "Đạt Chiến sĩ thi đua cơ sở ít nhất 3 lần trong 5 năm gần nhất"),
    ("consecutive_assessments", {"grade": "HTTNV", "years": 5, "after_award": "BKBAN"},
     "Assessed “completed tasks well” (HTTNV) or better 5 years in a row, all after being awarded "
     "Agency Certificate of Merit",
     "Được đánh giá, xếp loại từ mức Hoàn thành tốt nhiệm vụ (HTTNV) trở lên 5 năm liên tục, tính từ sau khi "
     "được tặng Bằng khen cấp ban"),
    ("grades_in_window", {"grade": "HTXSNV", "count": 1, "years": 5},
     "Assessed “completed tasks excellently” (HTXSNV) or better at least 1 time in the last 5 years",
     "Được đánh giá, xếp loại từ mức Hoàn thành xuất sắc nhiệm vụ (HTXSNV) trở lên ít nhất 1 lần trong 5 năm "
     "gần nhất"),
    ("unused_initiatives", {"count": 2, "level": "agency", "years": 1},
     "At least 2 initiatives recognised at agency level or wider that year, not yet the grounds of another award",
     "Có ít nhất 2 sáng kiến được công nhận từ cấp ban trở lên trong năm, chưa dùng làm căn cứ cho khen thưởng "
     "khác"),
    ("members_with_award", {"award": "LDTT", "share": 0.7},
     "At least 70% of its members hold Advanced Worker that year",
     "Có ít nhất 70% số thành viên đạt Lao động tiên tiến trong năm"),
    ("member_with_award", {"award": "CSTDCS"},
     "At least one of its members holds Grassroots Emulation Fighter that year",
     "Có ít nhất một thành viên đạt Chiến sĩ thi đua cơ sở trong năm"),
    ("no_member_discipline", {"at_least": "warning"},
     "None of its members disciplined with warning or heavier that year",
     "Không có thành viên bị kỷ luật từ hình thức cảnh cáo trở lên trong năm"),
    ("no_open_hold", {}, "No disciplinary review, inspection or complaint pending",
     "Không đang bị xem xét kỷ luật, thanh tra hoặc giải quyết khiếu nại"),
    ("quota", {"of_award": "LDTT", "max_share": 0.125, "units": ["VPTW"]},
     "At most 12.5% of the unit's holders of Advanced Worker may be given it (only in Party Central Office)",
     "Số người được khen thưởng không quá 12,5% số người đạt Lao động tiên tiến của đơn vị (chỉ áp dụng với Văn "
     "phòng Trung ương Đảng)"),
    ("confirmed_by_people", {"what": "leading unit of the bloc", "what_vi": "đơn vị dẫn đầu khối"},
     "To be judged by the secretariat and the council: leading unit of the bloc",
     "Do Thường trực và Hội đồng xem xét: đơn vị dẫn đầu khối"),
]
GROUPS = [
    ("any_of", "One of:", "Một trong các điều kiện sau:"),
    ("all_of", "All of:", "Đủ tất cả các điều kiện sau:"),
]


def test_every_kind_of_check_has_its_sentence_here():
    assert {kind for kind, *_ in SENTENCES} | {kind for kind, *_ in GROUPS} == set(KINDS)


@pytest.mark.parametrize("kind, params, english, vietnamese", SENTENCES, ids=[s[0] for s in SENTENCES])
def test_a_check_reads_as_a_sentence_in_both_languages(app, kind, params, english, vietnamese):
    with app.test_request_context():
        with force_locale("en"):
            said_en = words.check_sentence({"kind": kind, "params": params}, AWARDS, UNITS)
        with force_locale("vi"):
            said_vi = words.check_sentence({"kind": kind, "params": params}, AWARDS, UNITS)
    assert (said_en.text, said_vi.text) == (english, vietnamese)
    assert said_en.parts == () and "_" not in said_en.text + said_vi.text


@pytest.mark.parametrize("kind, english, vietnamese", GROUPS)
def test_a_group_reads_as_a_list_of_its_checks_even_nested(app, kind, english, vietnamese):
    check = {"kind": kind, "params": {"checks": [
        {"kind": "award_in_year", "params": {"award": "LDTT"}},
        {"kind": "all_of", "params": {"checks": [{"kind": "no_open_hold", "params": {}}]}}]}}
    with app.test_request_context():
        with force_locale("en"):
            said_en = words.check_sentence(check, AWARDS)
        with force_locale("vi"):
            said_vi = words.check_sentence(check, AWARDS)
    assert said_en.text == english and said_vi.text == vietnamese
    assert [part.text for part in said_en.parts] == ["Holds Advanced Worker that year", "All of:"]
    assert said_vi.parts[1].parts[0].text == "Không đang bị xem xét kỷ luật, thanh tra hoặc giải quyết khiếu nại"


def test_one_of_a_thing_is_said_in_the_singular_and_unknown_codes_as_they_are(app):
    with app.test_request_context(), force_locale("en"):
        one = words.check_sentence({"kind": "unused_initiatives",
                                    "params": {"count": 1, "level": "national", "years": 6}}, AWARDS)
        unknown = words.check_sentence({"kind": "award_in_year", "params": {"award": "OLD"}}, AWARDS)
        every = words.rule_award("*", AWARDS)
    assert one.text.startswith("At least 1 initiative recognised at national level or wider in the last 6 years")
    assert unknown.text == "Holds OLD that year" and every == "Every award"


def test_an_article_of_the_regulation_reads_as_a_sentence(app):
    with app.test_request_context():
        with force_locale("en"):
            english = words.vote_rule_sentence(0.6666666667, 0.7, "voters")
            article = words.article_name("emulation_fighter")
        with force_locale("vi"):
            vietnamese = words.vote_rule_sentence(2 / 3, 0.9, "members")
    assert english == ("quorum: two thirds of the members entitled to vote; passes with 70% of the members who "
                       "voted voting yes")
    assert vietnamese == ("cần ít nhất hai phần ba số thành viên có quyền biểu quyết tham gia; được thông qua khi "
                          "có từ 90% tổng số thành viên có quyền biểu quyết đồng ý")
    assert article == "Agency-level and national emulation-fighter titles"


def test_citations_are_shown_in_the_readers_language_and_old_english_ones_translated(app):
    finding = {"basis": "Law 06/2022/QH15, Art. 74(1)(d)", "basis_vi": "Luật Thi đua, khen thưởng số 06/2022/QH15, "
                                                                       "điểm d khoản 1 Điều 74"}
    older = {"basis": "QC-1: Council regulation, Art. 8(1)"}
    with app.test_request_context():
        with force_locale("en"):
            assert finding_basis(finding) == "Law 06/2022/QH15, Art. 74(1)(d)"
            assert in_language("", "chỉ tiếng Việt") == "chỉ tiếng Việt"
        with force_locale("vi"):
            assert finding_basis(finding) == finding["basis_vi"]
            assert finding_basis(older) == "QC-1: Quy chế làm việc của Hội đồng, Điều 8 khoản 1"


def test_the_chair_sees_the_article_a_vote_was_counted_by_cited_in_their_language(browser, nominate, walk):
    nid = nominate()
    walk(nid, "sign_decision")
    vietnamese = unescape(browser("chair", HTTP_ACCEPT_LANGUAGE="vi").get("/signing").get_data(as_text=True))
    english = unescape(browser("chair").get("/signing").get_data(as_text=True))
    assert "(QC-HDTDKT-2024: Quy chế làm việc của Hội đồng, Điều 8 khoản 1)" in vietnamese
    assert "(QC-HDTDKT-2024: Council regulation, Art. 8(1))" in english
