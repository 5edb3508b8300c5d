"""Screenshots of the running demo for the README: `python scripts/screenshots.py [BASE_URL]`.

Start `make demo` first. Uses Debian's Chromium; writes docs/screenshots/*.png.
"""

import os
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
LOGINS = Path(os.environ.get("LIANXIN_VAR_DIR", Path(__file__).resolve().parent.parent / "var")) / "demo-logins.txt"
PASSWORD = "lianxin-demo"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def demo_paths() -> tuple[str, str]:
    """The deputy's QR path and a tracking path, as printed by demo_load."""
    text = LOGINS.read_text(encoding="utf-8")
    return re.search(r"(/q/D\w+)", text).group(1), re.search(r"(/t/\w+)", text).group(1)


def log_in(page, username: str) -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    qr_path, track_path = demo_paths()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, device_scale_factor=1
        ).new_page()
        phone.goto(BASE + qr_path)
        phone.screenshot(path=OUT / "phone-intake.png")
        phone.goto(BASE + track_path)
        phone.screenshot(path=OUT / "phone-tracking.png")
        phone.goto(f"{BASE}/p/")
        phone.screenshot(path=OUT / "phone-projects.png")
        log_in(phone, "deputy_01")
        phone.goto(f"{BASE}/ballots/1/results/")  # the district round's ballot, counted
        phone.screenshot(path=OUT / "phone-ballot-result.png")

        desk = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
        log_in(desk, "district_office")
        desk.goto(f"{BASE}/desk/")
        desk.screenshot(path=OUT / "work-queue.png")
        desk.locator("a.code").first.click()
        desk.wait_for_load_state()
        desk.screenshot(path=OUT / "case-page.png")
        desk.goto(f"{BASE}/cockpit/")
        desk.wait_for_selector("[data-chart] svg")
        desk.wait_for_timeout(1500)  # the charts' entry animation
        desk.screenshot(path=OUT / "cockpit.png")
        desk.goto(f"{BASE}/deputies/")
        desk.screenshot(path=OUT / "qr-codes.png")
        desk.goto(f"{BASE}/projects/rounds/1/")
        desk.screenshot(path=OUT / "projects-round.png")

        wall = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
        log_in(wall, "district_office")
        wall.goto(f"{BASE}/cockpit/screen/")
        wall.wait_for_selector("[data-chart] svg")
        wall.wait_for_timeout(800)  # the charts' entry animation
        wall.screenshot(path=OUT / "big-screen.png")
        browser.close()
    for path in sorted(OUT.glob("*.png")):
        print(path.relative_to(OUT.parent.parent), path.stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main()
