"""The Daily Dispatch: a small fictional news site shipped with the package, served on loopback for crawls."""

from scraper.demo_site.server import DemoSite

__all__ = ["DemoSite"]
