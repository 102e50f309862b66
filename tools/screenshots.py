"""Take the explorer's screenshots at desktop (1440×900) and phone (390×844) width, for people to look at.

    .venv/bin/python tools/screenshots.py [OUT_DIR] [--query "site=fouju-campus-ia&v=2"] [--full]

Serves the app on a free loopback port and drives Debian's Chromium (never a downloaded one).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser_support import browser, serve, wait_for_app  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("/tmp/screens"))
    parser.add_argument("--query", default="", help="link parameters, e.g. 'site=fouju-campus-ia&v=2'")
    parser.add_argument("--full", action="store_true", help="whole page, not only the first screen")
    parser.add_argument("--tab", default="", help="click this tab after loading (its label)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with serve() as url, browser() as chromium:
        for name, size in (("desktop", (1440, 900)), ("phone", (390, 844))):
            page = chromium.new_page(viewport={"width": size[0], "height": size[1]})
            page.goto(f"{url}/?{args.query}")
            wait_for_app(page)
            if args.tab:
                page.get_by_role("tab", name=args.tab).click()
                time.sleep(3)
            time.sleep(2)
            path = args.out / f"{name}{'-' + args.tab.replace(' ', '_') if args.tab else ''}.png"
            page.screenshot(path=str(path), full_page=args.full)
            print(path)
            grid = page.locator("[data-testid='stDataFrame']:visible").last
            if grid.count():
                grid.scroll_into_view_if_needed()
                time.sleep(1)
                below = args.out / f"{name}-table.png"
                page.screenshot(path=str(below))
                print(below)
            page.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
