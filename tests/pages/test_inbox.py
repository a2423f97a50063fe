"""My tasks: links to each task and nomination, and page numbers that stay few on a long list."""

import re

from webapp.pages.inbox import page_numbers


def test_page_numbers_show_the_ends_and_the_neighbourhood():
    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 5) == [1, 2, 3, 4, 5]
    assert page_numbers(1, 57) == [1, 2, 3, 4, None, 57]
    assert page_numbers(30, 57) == [1, None, 27, 28, 29, 30, 31, 32, 33, None, 57]
    assert page_numbers(57, 57) == [1, None, 54, 55, 56, 57]
    assert page_numbers(5, 9) == [1, 2, 3, 4, 5, 6, 7, 8, 9]


def test_each_row_links_to_its_task_and_nomination(api, browser, nominate):
    first, second = nominate(), nominate(name="Trần Thị Bình")
    page = browser("clerk_a").get("/tasks").get_data(as_text=True)
    for nid in (first, second):
        task_id = api.as_("clerk_a").task(nid, "prepare_dossier")
        row = [r for r in re.findall(r"<tr[^>]*>.*?</tr>", page, re.S) if f'href="/tasks/{task_id}"' in r]
        assert len(row) == 1 and f'href="/nominations/{nid}"' in row[0]
    assert re.search(r"<span class=\"badge bg-secondary\">(\d+)</span>", page).group(1) == "2"
