"""The classroom in a real browser: `ygt-abm dashboard` served on localhost, driven by Playwright in Debian's
headless Chromium at a projector's 1280×720, in English and in Chinese, offline: the browser may ask nothing
of any address but the server, and the server cannot reach a CDN. Skipped only where Chromium is not
installed, and never in CI (CI=true). With YGT_ABM_SCREENSHOTS=docs/images the tests write
docs/teaching.md's screenshots."""

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from PIL import Image

CHROMIUM = shutil.which("chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
#: Set to a folder to keep the screenshots (docs/teaching.md's come from here).
SCREENSHOTS = os.environ.get("YGT_ABM_SCREENSHOTS")
PROJECTOR = {"width": 1280, "height": 720}
#: Where the server would fetch a web asset it lacks: nowhere (a closed local port), as in a classroom offline.
NO_CDN = "http://127.0.0.1:9/"

if not CHROMIUM:
    if os.environ.get("CI"):
        raise RuntimeError("CI: Debian's chromium is missing; scripts/setup.sh installs it")
    pytest.skip("Chromium is not installed (scripts/setup.sh installs it as root)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

from ygt_abm.dashboard.assets import web_assets  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(log_folder: Path, **environment: str):
    """`ygt-abm dashboard` on a free port, with no CDN to fall back on; returns the process and its address."""
    port = free_port()
    log = (log_folder / "server.log").open("w")
    env = {**os.environ, "SOLARA_ASSETS_CDN": NO_CDN, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false", **environment}
    server = subprocess.Popen([sys.executable, "-m", "ygt_abm.cli", "dashboard", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, env=env)
    address = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(address, timeout=2)
            return server, address
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(f"the dashboard did not start; see {log.name}")
            time.sleep(0.5)


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    server, address = serve(tmp_path_factory.mktemp("server"))
    yield address
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def open_classroom(browser, url, locale: str = "en-GB", ready: str = "svg.ygt-county-map[data-twin=policy] "
                   "circle.ygt-village"):
    """A new browser context (a student, whose browser asks for ``locale``) on the page at 1280×720; returns
    the page and the failures seen: requests for any other address (refused), and responses ≥ 400."""
    page = browser.new_context(viewport=PROJECTOR, locale=locale, accept_downloads=True).new_page()
    failed = []

    def only_the_server(route):
        if route.request.url.startswith(url):
            route.continue_()
        else:
            failed.append(f"left the server: {route.request.url}")
            route.abort()

    page.route("**/*", only_the_server)
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}") if r.url.startswith(url) else None)
    page.goto(url, timeout=90_000)
    page.wait_for_selector(ready, timeout=90_000)
    return page, failed


def status(page, text: str) -> None:
    page.get_by_text(re.compile(text)).first.wait_for(timeout=60_000)


def step_year(page, to_year: int) -> None:
    page.locator(".ygt-step-year").click()
    status(page, f"Start of year {to_year}")


def twin_map(page, twin: str) -> str:
    """A twin's map as drawn (its own name taken out, so the twins' maps compare)."""
    html = page.locator(f"svg.ygt-county-map[data-twin={twin}]").inner_html()
    return html.replace(twin, "TWIN")


def chart(page, twin: str) -> list[str]:
    """The values of a twin's lines and points in every chart panel, as drawn (pixels depend on both twins,
    through the panel's range)."""
    shapes = page.locator(f".ygt-charts .ygt-line-{twin}, .ygt-charts .ygt-dot-{twin}")
    return [shapes.nth(i).evaluate("e => e.dataset.values || e.dataset.value") for i in range(shapes.count())]


def choose(page, select: str, option: str) -> None:
    page.locator(f".v-select.{select}").first.click()
    page.locator(".v-menu__content .v-list-item").filter(has_text=re.compile(f"^{option}$")).first.click()


def box(page, selector: str) -> list[dict]:
    """Where each element of ``selector`` is drawn (x, y, width, height, in the viewport's pixels)."""
    return page.locator(selector).evaluate_all("es => es.map(e => e.getBoundingClientRect().toJSON())")


def texts(page_or_shape, selector: str) -> list[str]:
    """The text of each element of ``selector`` (SVG text has no innerText)."""
    return page_or_shape.locator(selector).evaluate_all("es => es.map(e => e.textContent.trim())")


def shot(page, name: str, tmp_path: Path, scroll_to: str | None = None) -> None:
    """What a projector shows (1280×720), scrolled to ``scroll_to`` if given, as a PNG of 128 colours."""
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    if scroll_to:
        page.locator(scroll_to).first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    picture.quantize(colors=128, method=Image.Quantize.FASTOCTREE).save(folder / f"{name}.png", optimize=True)  # small


def test_at_1280x720_offline_the_maps_and_the_six_charts_show_without_scrolling(chromium, url, tmp_path):
    page, failed = open_classroom(chromium, url)
    assert page.locator("svg.ygt-county-map").count() == 2
    assert page.locator("svg.ygt-county-map[data-twin=baseline] rect.ygt-facility").count() >= 4
    assert page.locator(".ygt-charts svg.ygt-chart").count() == 6
    for shape in box(page, "svg.ygt-county-map, svg.ygt-chart"):  # all of it on the screen
        assert shape["x"] >= 0 and shape["y"] >= 0, shape
        assert shape["right"] <= PROJECTOR["width"] and shape["bottom"] <= PROJECTOR["height"], shape
    assert page.get_by_text(re.compile("runs on Solara|Made with Solara")).count() == 0  # no badge on the charts
    ticks = box(page, ".ygt-chart .ygt-tick")
    assert ticks and min(t["height"] for t in ticks) >= 14  # readable from the back of a room
    for panel in page.locator(".ygt-chart").all():  # round ticks: 0%, 20%, 40%… or 52%, 54%, 56%…
        values = [int(label.rstrip("%")) for label in texts(panel, ".ygt-y-tick")]
        steps = {b - a for a, b in zip(values, values[1:])}
        assert len(steps) == 1 and steps <= {1, 2, 5, 10, 20, 25}, values
    legend = page.locator(".ygt-legend").inner_text()
    assert "township health centre" in legend and "county hospital" in legend and "policy twin" in legend
    picker, apply = box(page, ".ygt-add-lever")[0], box(page, ".ygt-apply")[0]
    assert abs((picker["top"] + picker["bottom"]) / 2 - (apply["top"] + apply["bottom"]) / 2) < 20  # side by side
    assert apply["bottom"] <= PROJECTOR["height"]

    choose(page, "ygt-add-lever", "doctor_dispatch")  # a lever card explains itself with katex, served here
    page.get_by_text("what it does and where the documents say so").click()
    page.locator(".ygt-lever .katex, .ygt-lever p").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    families = page.locator(".ygt-lever p, .ygt-chart text, .ygt-legend").evaluate_all(
        "es => es.map(e => getComputedStyle(e).fontFamily)")
    assert families and all("Noto Sans SC" in family for family in families), set(families)  # Chinese anywhere
    assert not failed, failed  # nothing asked of another address, nothing missing
    assert page.locator("#ygt-missing-assets").count() == 0  # and the page does not say anything is
    page.locator(".ygt-lever").get_by_text("remove").click()
    shot(page, "classroom-start", tmp_path)

    page.locator(".ygt-play").click()  # play steps week after week until paused
    status(page, "Year 1, week 4")
    page.locator(".ygt-play").click()
    page.get_by_role("button", name="play").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # a week under way when pause was pressed is drawn, then nothing moves
    paused = page.get_by_text(re.compile(r"Year 1, week \d+")).first.inner_text()
    page.wait_for_timeout(1500)
    assert page.get_by_text(re.compile(r"Year 1, week \d+")).first.inner_text() == paused
    page.context.close()


def test_a_browser_asking_for_chinese_gets_the_page_in_chinese_in_the_served_font(chromium, url, tmp_path):
    page, failed = open_classroom(chromium, url, locale="zh-CN")
    status(page, "第 1 年年初")
    titles = texts(page, ".ygt-chart-title")
    assert titles == ["基层就诊率", "县域内基层就诊率", "县域就诊率", "县域内住院率", "基层医保基金占比", "慢病规范管理率"]
    assert "乡镇卫生院" in page.locator(".ygt-legend").inner_text()
    assert texts(page, ".ygt-map-title") == ["基线县", "政策县"]
    page.locator(".ygt-step-year").click()
    status(page, "第 2 年年初")
    assert page.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].some(f => f.family.includes('Noto Sans SC') && f.status === 'loaded') }""")
    for shape in box(page, "svg.ygt-county-map, svg.ygt-chart"):
        assert shape["bottom"] <= PROJECTOR["height"], shape
    page.locator("svg.ygt-county-map[data-twin=policy] rect.ygt-facility").first.click()
    page.get_by_text("每周患者（近 4 周）").first.wait_for(timeout=30_000)
    choose(page, "ygt-add-lever", "doctor_dispatch")
    page.locator(".ygt-lever").get_by_text("县管乡用、医生下沉").wait_for(timeout=30_000)  # the documents' name
    page.get_by_text("作用机制与文件依据").click()  # the explanation quotes the Chinese clauses
    page.locator(".ygt-lever p").first.wait_for(timeout=30_000)
    chinese = page.evaluate(r"""() => [...document.querySelectorAll('body *')]
        .filter(e => !['SCRIPT', 'STYLE', 'TEMPLATE'].includes(e.tagName))
        .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && /[\u4e00-\u9fff]/.test(n.textContent)))
        .map(e => [getComputedStyle(e).fontFamily.includes('Noto Sans SC'), e.tagName + ' ' + e.textContent.slice(0, 20)])""")
    assert len(chinese) > 30  # the page, its charts, legend, tables and a lever's explanation
    assert all(served for served, _ in chinese), [text for served, text in chinese if not served]  # not a system's
    shot(page, "classroom-zh", tmp_path)
    assert not failed, failed
    page.locator(".ygt-language button").filter(has_text="English").click()  # the switch
    status(page, "Start of year 2")
    assert texts(page, ".ygt-chart-title")[0] == "primary care visit share"
    assert page.get_by_text("patients a week (last 4 weeks)").count() == 1
    page.context.close()


def test_without_its_web_assets_the_page_says_what_is_missing_and_how_to_fetch_it(chromium, tmp_path):
    server, address = serve(tmp_path, SOLARA_ASSETS_PROXY_CACHE_DIR=str(tmp_path / "empty-cache"))
    try:
        page, _ = open_classroom(chromium, address, ready="#ygt-missing-assets")
        message = page.locator("#ygt-missing-assets").inner_text()
        assert "bash scripts/dashboard_assets.sh" in message and "ygt-abm dashboard" in message
        assert any(asset in message for asset in web_assets()), message  # which one it lacks
        page.context.close()
    finally:
        server.terminate()
        server.wait(10)


def test_a_lever_changes_the_policy_twin_only_and_each_student_has_a_model_of_their_own(chromium, url, tmp_path):
    student, _ = open_classroom(chromium, url)
    other, _ = open_classroom(chromium, url)
    step_year(student, 2)
    step_year(other, 2)
    assert twin_map(student, "policy") == twin_map(student, "baseline")  # common random numbers, no lever
    assert chart(student, "baseline") == chart(other, "baseline") == chart(other, "policy")
    assert len(chart(student, "policy")) >= 6 + 2  # a point in each panel, a weekly line in two or more

    choose(student, "ygt-package", "anhui-2024")
    student.locator(".ygt-apply").click()
    status(student, "Levers in force from year 2")
    step_year(student, 3)
    step_year(other, 3)

    assert twin_map(student, "policy") != twin_map(student, "baseline")  # the lever moved patients
    assert twin_map(student, "baseline") == twin_map(other, "baseline")  # the baseline twin did not move
    assert twin_map(other, "policy") == twin_map(other, "baseline")  # the other student pulled nothing
    assert chart(student, "policy") != chart(other, "policy")  # the lever moved the policy twin's charts
    assert chart(student, "baseline") == chart(other, "baseline")  # and not the baseline twin's
    assert other.get_by_text("levers: none").count() == 1
    assert student.get_by_text("levers from year 2: doctor_dispatch").count() == 1
    for shape in box(student, "svg.ygt-county-map, svg.ygt-chart"):  # nineteen levers do not push them down
        assert shape["bottom"] <= PROJECTOR["height"], shape
    shot(student, "classroom-anhui-year-2", tmp_path)

    student.locator("svg.ygt-county-map[data-twin=policy] circle.ygt-village").nth(3).dispatch_event("click")
    student.get_by_text(re.compile(r"^resident \d+")).first.wait_for(timeout=30_000)
    step_year(student, 4)
    student.locator(".ygt-episodes").nth(1).wait_for(timeout=30_000)  # the resident's year, in both twins
    assert student.get_by_text("no episodes yet").count() == 0
    assert student.get_by_text("first contact").count() >= 2
    student.locator("svg.ygt-county-map[data-twin=policy] rect.ygt-facility").first.click()
    student.get_by_text("patients a week (last 4 weeks)").first.wait_for(timeout=30_000)
    table = student.locator(".ygt-facility-table").inner_text()
    assert "revenue since the year began (yuan)" in table and not re.search(r"\d\.\d\d\d", table)
    episodes = student.locator(".ygt-episodes").first.inner_text()
    assert "False" not in episodes and "True" not in episodes and "self_care" not in episodes
    shot(student, "classroom-follow", tmp_path, scroll_to=".ygt-facility-table")
    student.context.close()
    other.context.close()


def test_the_exported_experiment_validates_and_runs(chromium, url, tmp_path):
    page, _ = open_classroom(chromium, url)
    step_year(page, 2)
    choose(page, "ygt-package", "hunan-nanxian-2024")
    page.locator(".ygt-apply").click()
    status(page, "Levers in force from year 2")
    with page.expect_download() as download:
        page.get_by_text("export as experiment YAML").click()
    exported = tmp_path / "classroom.yaml"
    download.value.save_as(exported)
    page.context.close()
    text = exported.read_text(encoding="utf-8")
    assert "hunan-nanxian-2024" in text and "start_year: 2" in text
    exported.write_text(re.sub(r"(?m)^replicates: \d+", "replicates: 1", text), encoding="utf-8")
    cli = [sys.executable, "-m", "ygt_abm.cli"]
    assert subprocess.run([*cli, "validate", str(exported)], capture_output=True).returncode == 0
    done = subprocess.run([*cli, "run", str(exported), "--out", str(tmp_path / "out"), "--workers", "1",
                           "--no-figure"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "kpis.parquet").is_file()
