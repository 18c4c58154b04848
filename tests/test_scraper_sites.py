import pytest

from scraper.sites import SitesFileError, load_sites

GOOD = """
[[sites]]
name = "dispatch"
url = "https://dailydispatch.example/"
feeds = []
sitemaps = ["https://dailydispatch.example/sitemap.xml"]
max_pages = 200
download_delay = 1.5

[sites.extraction]
body = "div.entry-content"

[[sites]]
name = "herald"
url = "https://herald.example/"
allowed_domains = ["herald.example", "cdn.herald.example"]
article_pattern = "/\\\\d{4}/\\\\d{2}/"
"""


def write(tmp_path, text):
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_loads_every_setting(tmp_path):
    dispatch, herald = load_sites(write(tmp_path, GOOD))
    assert dispatch.name == "dispatch"
    assert dispatch.sitemaps == ("https://dailydispatch.example/sitemap.xml",)
    assert dispatch.max_pages == 200 and dispatch.download_delay == 1.5
    assert dispatch.extraction == {"body": "div.entry-content"}
    assert dispatch.domains == ["dailydispatch.example"]
    assert herald.domains == ["herald.example", "cdn.herald.example"]
    assert herald.article_pattern == "/\\d{4}/\\d{2}/"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('[[sites]]\nname = "a"\nurl = \n', 3, "invalid TOML"),
        ('[[sites]]\nname = "a"\n', 1, "has no 'url'"),
        ('[[sites]]\nname = "a"\nurl = "ftp://x.example/"\n', 1, "not an http(s) URL"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example/"\n\n[[sites]]\nname = "a"\nurl = "https://b.example/"\n',
         5, "duplicate site name"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example/"\nmax_pages = 0\n', 1, "max_pages"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example/"\nfeeds = "https://a.example/rss"\n', 1, "list of strings"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example/"\narticle_pattern = "("\n', 1, "regular expression"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example/"\ncolour = "red"\n', 1, "unknown key"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example/"\n[sites.extraction]\nbyline = "x"\n', 1, "override"),
        ("title = 'no sites'\n", 1, "no [[sites]]"),
    ],
)
def test_malformed_file_names_file_line_and_problem(tmp_path, text, line, problem):
    path = write(tmp_path, text)
    with pytest.raises(SitesFileError) as raised:
        load_sites(path)
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert problem in message


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(SitesFileError, match="cannot read sites file"):
        load_sites(tmp_path / "nope.toml")
