"""The compare page in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``, which ``.ci/run`` installs) driven by selenium, from ``file://``.

One browser for the module. Without Chromium these tests skip, saying what to
install; in CI (``CI=true``) they fail instead, since there they must run.
``BRIEFGEN_SCREENSHOTS=DIR`` keeps the screenshots (``docs/compare.png`` is one).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXED_EPOCH
from tests.helpers import SAMPLES, SEED, run_cli_at

INSTALL = "apt-get install chromium chromium-driver, and pip install selenium"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the browser tests ({INSTALL})")
    pytest.skip(f"{reason} ({INSTALL})")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Overrides the suite's guard: the test talks to chromedriver over loopback; any
    other connection still fails the test."""
    connect = socket.socket.connect

    def loopback_only(self: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"network access attempted: {address!r}")
        connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed")
    binary = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
    driver_path = shutil.which("chromedriver")
    if binary is None or driver_path is None:
        _unavailable("Chromium or chromedriver is not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = str(binary)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps", f"--user-data-dir={profile}",
    ):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(driver_path)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("compare-pages")
    for source in (SEED, SAMPLES / "hostile.txt"):
        run_cli_at(FIXED_EPOCH, "-a", "all", "-f", "compare,json", "-o", str(out), str(source))
    return {"seed": out / SEED.stem, "hostile": out / "hostile"}


def _open(browser: Any, folder: Path, width: int = 1280, height: int = 800) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    browser.get((folder / "compare.html").as_uri())


IN_VIEW = """
const el = arguments[0], box = arguments[1].getBoundingClientRect(), r = el.getBoundingClientRect();
return r.height > 0 && r.top >= box.top && r.bottom <= box.bottom;
"""


def _in_view(browser: Any, element: Any, container_css: str) -> bool:
    container = browser.find_element("css selector", container_css)
    return bool(browser.execute_script(IN_VIEW, element, container))


def _facts(folder: Path, audience: str) -> dict[str, str]:
    brief = json.loads((folder / f"{audience}.json").read_text(encoding="utf-8"))
    return {f["id"]: f["text"] for f in brief["facts"]}


def test_clicking_a_brief_line_highlights_its_source_span_in_view(
    browser: Any, pages: dict[str, Path]
) -> None:
    _open(browser, pages["seed"], 1280, 600)
    items = browser.find_elements("css selector", "#col-nato .item")
    spans = {i: browser.find_element("id", "f-" + i.get_attribute("data-quote")) for i in items}
    # a line whose sentence is out of sight until it is clicked
    hidden = [i for i in items if not _in_view(browser, spans[i], "#sources")]
    assert hidden, "every span already in view: the test would prove nothing"
    item = hidden[-1]
    item.click()
    span = spans[item]
    assert "hl-quote" in span.get_attribute("class").split()
    assert _in_view(browser, span, "#sources")
    assert span.text == _facts(pages["seed"], "nato")[item.get_attribute("data-quote")]
    lit = browser.find_elements("css selector", ".fact.hl, .fact.hl-quote")
    assert {e.get_attribute("data-fact") for e in lit} == set(
        item.get_attribute("data-facts").split()
    )
    assert "hl-item" in item.get_attribute("class").split()


def test_hovering_a_line_highlights_it_too(browser: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    _open(browser, pages["seed"])
    item = browser.find_elements("css selector", "#col-public .item")[1]
    ActionChains(browser).move_to_element(item).perform()
    quote = browser.find_element("id", "f-" + item.get_attribute("data-quote"))
    assert "hl-quote" in quote.get_attribute("class").split()


def test_clicking_a_source_sentence_says_where_each_audience_used_it(
    browser: Any, pages: dict[str, Path]
) -> None:
    _open(browser, pages["seed"])
    # a sentence some audiences kept and another left out
    facts = browser.find_elements("css selector", ".fact.kept")
    fact = next(f for f in facts if 0 < len(f.get_attribute("data-by").split()) < 3)
    users = fact.get_attribute("data-by").split()
    browser.execute_script("arguments[0].click()", fact)
    panel = browser.find_element("id", "panel")
    assert panel.is_displayed()
    rows = {r.get_attribute("data-audience"): r for r in panel.find_elements("css selector", "li")}
    assert sorted(rows) == ["eu", "nato", "public"]
    other = next(a for a in rows if a not in users)
    brief = json.loads((pages["seed"] / f"{other}.json").read_text(encoding="utf-8"))
    reason = next(
        e["reason"] for e in brief["excluded"] if e["fact"] == fact.get_attribute("data-fact")
    )
    assert rows[other].text.endswith(f"left out: {reason}")
    # each audience that used it: its line is marked, and the button leads to it
    button = rows[users[0]].find_element("css selector", "button")
    button.click()
    item = browser.find_element("css selector", f"#col-{users[0]} .item.hl-item")
    assert fact.get_attribute("data-fact") in item.get_attribute("data-facts").split()
    assert _in_view(browser, item, f"#col-{users[0]}")


def _requests(browser: Any) -> list[str]:
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_the_hostile_page_requests_nothing_but_itself(browser: Any, pages: dict[str, Path]) -> None:
    browser.get_log("performance")  # drain what earlier tests logged
    browser.get_log("browser")
    _open(browser, pages["hostile"])
    item = browser.find_element("css selector", ".item")
    item.click()  # the page's own script runs (its hash is in the policy)...
    assert browser.find_elements("css selector", ".fact.hl-quote")
    for fact in browser.find_elements("css selector", ".fact"):
        browser.execute_script("arguments[0].click()", fact)  # ...and every panel is text
    assert _requests(browser) == [(pages["hostile"] / "compare.html").as_uri()]
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []  # no policy violation, no script error
    # the article's markup is on the page as text, never as elements
    text = browser.find_element("id", "sources").text
    assert '<img src="file:///etc/passwd">' in text and "<script>alert(1)" in browser.title
    assert len(browser.find_elements("css selector", "script")) == 2
    assert browser.find_elements("css selector", "img, link, iframe, object, b") == []


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("width", [1280, 800])
def test_readable_at_1280_and_usable_at_800(
    browser: Any, pages: dict[str, Path], width: int, tmp_path: Path
) -> None:
    _open(browser, pages["seed"], width, 800)
    repaired = browser.find_elements("css selector", "#col-nato .item")[2]
    browser.execute_script("arguments[0].click()", repaired)  # as is: no scrolling to it
    layout = browser.execute_script(
        """
        const rect = s => document.querySelector(s).getBoundingClientRect();
        const cols = [...document.querySelectorAll('.column')]
          .map(c => c.getBoundingClientRect().width);
        return {page: document.documentElement.scrollWidth, view: innerWidth,
                sources: rect('#sources').height, columns: rect('.columns').height, cols: cols,
                stacked: rect('#sources').top >= rect('.columns').bottom - 1};
        """
    )
    assert layout["page"] <= layout["view"]  # nothing runs off the side of the page
    assert min(layout["cols"]) >= 220 and layout["sources"] > 250 and layout["columns"] > 250
    assert layout["stacked"] == (width < 1000)
    folder = Path(os.environ.get("BRIEFGEN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / f"compare-{width}.png"
    assert browser.save_screenshot(str(shot))
    assert _png_size(shot.read_bytes()) == (width, 800)
