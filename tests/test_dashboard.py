"""The classroom in a real browser: `ygt-abm dashboard` served on localhost, driven by Playwright in Debian's
headless Chromium. Skipped only where Chromium is not installed, and never in CI (CI=true)."""

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

CHROMIUM = shutil.which("chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
#: Set to a folder to keep the screenshots (docs/teaching.md's come from here).
SCREENSHOTS = os.environ.get("YGT_ABM_SCREENSHOTS")

if not CHROMIUM:
    if os.environ.get("CI"):
        raise RuntimeError("CI: Debian's chromium is missing; scripts/setup.sh installs it")
    pytest.skip("Chromium is not installed (scripts/setup.sh installs it as root)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    port = free_port()
    log = (tmp_path_factory.mktemp("server") / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "ygt_abm.cli", "dashboard", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    address = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(address, timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(f"the dashboard did not start; see {log.name}")
            time.sleep(0.5)
    yield address
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def open_classroom(browser, url):
    """A new browser context (a student) on the page; returns the page and the failed requests seen."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    page.goto(url, timeout=90_000)
    page.wait_for_selector("svg.ygt-county-map[data-twin=policy] circle.ygt-village", timeout=90_000)
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


def choose(page, label: str, option: str) -> None:
    page.locator(".v-select").filter(has_text=label).first.click()
    page.locator(".v-menu__content .v-list-item").filter(has_text=re.compile(f"^{option}$")).first.click()


def shot(page, name: str, tmp_path: Path) -> None:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 2400})  # the page scrolls inside: show it all
    page.evaluate("document.querySelectorAll('*').forEach(e => { e.scrollTop = 0 })")
    page.wait_for_timeout(500)
    page.screenshot(path=str(folder / f"{name}.png"))
    page.set_viewport_size(size)


def test_the_page_serves_every_asset_itself_and_shows_the_twin_maps_and_the_charts(chromium, url, tmp_path):
    page, failed = open_classroom(chromium, url)
    assert page.locator("svg.ygt-county-map").count() == 2
    assert page.locator("svg.ygt-county-map[data-twin=baseline] rect.ygt-facility").count() >= 4
    assert page.locator(".ygt-charts svg.ygt-chart").count() == 6
    assert not failed, failed  # nothing asked of a CDN, nothing missing
    shot(page, "classroom-start", tmp_path)
    page.locator(".ygt-play").click()  # play steps week after week until paused
    status(page, "Year 1, week 4")
    page.locator(".ygt-play").click()
    page.get_by_role("button", name="play").wait_for(timeout=30_000)
    paused = page.get_by_text(re.compile(r"Year 1, week \d+")).first.inner_text()
    page.wait_for_timeout(1500)
    assert page.get_by_text(re.compile(r"Year 1, week \d+")).first.inner_text() == paused
    page.context.close()


def test_a_lever_changes_the_policy_twin_only_and_each_student_has_a_model_of_their_own(chromium, url, tmp_path):
    student, _ = open_classroom(chromium, url)
    other, _ = open_classroom(chromium, url)
    step_year(student, 2)
    step_year(other, 2)
    assert twin_map(student, "policy") == twin_map(student, "baseline")  # common random numbers, no lever
    assert chart(student, "baseline") == chart(other, "baseline") == chart(other, "policy")
    assert len(chart(student, "policy")) >= 6 + 2  # a point in each panel, a weekly line in two or more

    choose(student, "policy package", "anhui-2024")
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
    shot(student, "classroom-anhui-year-2", tmp_path)

    student.locator("svg.ygt-county-map[data-twin=policy] circle.ygt-village").nth(3).click()
    student.get_by_text(re.compile(r"^resident \d+")).first.wait_for(timeout=30_000)
    step_year(student, 4)
    assert student.get_by_text("no episodes yet").count() == 0  # the resident's year, in both twins
    assert student.get_by_text("first contact").count() >= 2
    student.locator("svg.ygt-county-map[data-twin=policy] rect.ygt-facility").first.click()
    student.get_by_text("patients a week (last 4 weeks)").first.wait_for(timeout=30_000)
    shot(student, "classroom-follow", tmp_path)
    student.context.close()
    other.context.close()


def test_the_exported_experiment_validates_and_runs(chromium, url, tmp_path):
    page, _ = open_classroom(chromium, url)
    step_year(page, 2)
    choose(page, "policy package", "hunan-nanxian-2024")
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
