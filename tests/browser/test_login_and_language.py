from __future__ import annotations

import re

from playwright.sync_api import expect


def test_officer_logs_in_and_switches_to_kazakh(page, login, shot, officer):
    login(page, officer)

    expect(page.locator("header.top")).to_contain_text(officer.get_full_name())
    expect(page.locator("header.top .role")).to_contain_text("Ответственный исполнитель")
    shot(page, "foundation-worklist-ru")

    page.select_option("#language-switcher", "kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")  # the page drawn again in Kazakh
    expect(page.locator("header.top nav")).to_contain_text("Тұрғын үй көмегі")
    expect(page.locator("header.top .role")).to_contain_text("Жауапты орындаушы")
    expect(page.locator("header.top .role")).to_contain_text(re.compile("Астана"))
    shot(page, "foundation-worklist-kk")
