"""`python -m scraper.demo_site [--port N]`: serve The Daily Dispatch on loopback until Ctrl-C."""

from __future__ import annotations

import argparse
import threading

from scraper.demo_site.server import DemoSite


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scraper.demo_site",
        description="Serve the bundled demo news site. Example: python -m scraper.demo_site --port 8080",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind (default: a free one)")
    args = parser.parse_args(argv)
    site = DemoSite(host=args.host, port=args.port)
    url = site.start()
    print(
        f"The Daily Dispatch is serving at {url} ({len(site.articles)} articles). Press Ctrl-C to stop.",
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
