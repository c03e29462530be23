"""Measure the classroom: how fast twin counties step (no browser, by county size), and what a class of
students costs the server: N browser contexts (students) in headless Chromium, each loading the page,
stepping a week and a year; the server's memory and the time each click takes to show on the page.

    .venv/bin/python scripts/classroom_load.py [--students 30] [--json docs/measurements/classroom-load.json]

Needs Debian's chromium (scripts/setup.sh installs it). Timings depend on the machine: these shared
2-core machines are noisy, so read them as an order of magnitude.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ygt_abm.dashboard.classroom import Classroom
from ygt_abm.vocabulary import WEEKS_PER_YEAR

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def model_steps(sizes: list[int]) -> list[dict]:
    """Seconds to build and warm the twins, step a week and step a year, by county size (no browser)."""
    rows = []
    for population in sizes:
        start = time.perf_counter()
        room = Classroom(population=population)
        built = time.perf_counter() - start
        weeks = []
        for _ in range(10):
            start = time.perf_counter()
            room.step(1)
            weeks.append(time.perf_counter() - start)
        start = time.perf_counter()
        room.step(WEEKS_PER_YEAR)
        year = time.perf_counter() - start
        rows.append({"population": population, "townships": room.world.township_count, "build_and_warm_up_s": built,
                     "week_s_median": statistics.median(weeks), "year_s": year})
    return rows


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, MB."""
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                   text=True).stdout.split()]
    total = 0
    for p in pids:
        try:
            total += int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{p}/status").read_text()).group(1))
        except (OSError, AttributeError):
            pass
    return total / 1024


def class_load(students: int) -> dict:
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "ygt_abm.cli", "dashboard", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(180):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        idle = tree_rss_mb(server.pid)
        loads, weeks, years = [], [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            pages = []
            for _ in range(students):
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                start = time.perf_counter()
                page.goto(url, timeout=180_000)
                page.wait_for_selector("svg.ygt-county-map[data-twin=policy] circle.ygt-village", timeout=180_000)
                loads.append(time.perf_counter() - start)
                pages.append(page)
            loaded = tree_rss_mb(server.pid)
            for page in pages:
                start = time.perf_counter()
                page.locator(".ygt-step-week").click()
                page.get_by_text(re.compile(r"Year 1, week 2")).first.wait_for(timeout=120_000)
                weeks.append(time.perf_counter() - start)
                start = time.perf_counter()
                page.locator(".ygt-step-year").click()
                page.get_by_text(re.compile(r"Start of year 2")).first.wait_for(timeout=300_000)
                years.append(time.perf_counter() - start)
            stepped = tree_rss_mb(server.pid)
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    return {"students": students, "server_rss_mb_idle": idle, "server_rss_mb_all_loaded": loaded,
            "server_rss_mb_after_stepping": stepped,
            "server_mb_per_student": (stepped - idle) / students,
            "page_load_s_median": statistics.median(loads), "page_load_s_max": max(loads),
            "week_click_to_page_s_median": statistics.median(weeks), "week_click_to_page_s_max": max(weeks),
            "year_click_to_page_s_median": statistics.median(years), "year_click_to_page_s_max": max(years)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--sizes", default="20000,30000,50000")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    steps = model_steps([int(s) for s in args.sizes.split(",")])
    for row in steps:
        print(f"{row['population']:>7,} residents, {row['townships']} townships: build+warm-up "
              f"{row['build_and_warm_up_s']:.1f} s, week {row['week_s_median'] * 1000:.0f} ms, "
              f"year {row['year_s']:.1f} s (both twins)")
    load = class_load(args.students)
    for key, value in load.items():
        print(f"{key:36s} {value:,.2f}" if isinstance(value, float) else f"{key:36s} {value}")
    if args.json:
        args.json.write_text(json.dumps({"machine": platform.node(), "cpus": len(__import__("os").sched_getaffinity(0)),
                                         "date": time.strftime("%Y-%m-%d"), "model_steps": steps,
                                         "class": load}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
