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
        ('[[sites]]\nname = "a"\nurl = "ftp://x.example/"\n', 3, "not an http(s) URL"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example/"\n\n[[sites]]\nname = "a"\nurl = "https://b.example/"\n',
         6, "duplicate site name"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example/"\nmax_pages = 0\n', 4, "max_pages"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example/"\nfeeds = "https://a.example/rss"\n', 4, "list of strings"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example/"\narticle_pattern = "("\n', 4, "regular expression"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example/"\ncolour = "red"\n', 4, "unknown key"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example/"\n[sites.extraction]\nbyline = "x"\n', 5, "override"),
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


SITE = '[[sites]]\nname = "a"\nurl = "https://a.example/"\n'


def load_error(tmp_path, text):
    path = write(tmp_path, text)
    with pytest.raises(SitesFileError) as raised:
        load_sites(path)
    return str(raised.value).removeprefix(f"{path}:")


@pytest.mark.parametrize(
    "setting",
    [
        "max_pages = true",
        "max_pages = 0",
        "max_pages = 2.5",
        "download_delay = true",
        "download_delay = -1",
        "download_delay = nan",
        "download_delay = inf",
        "recheck_days = false",
    ],
)
def test_booleans_and_out_of_range_numbers_are_rejected(tmp_path, setting):
    message = load_error(tmp_path, SITE + setting + "\n")
    key = setting.split(" = ")[0]
    assert message.startswith(f"4: '{key}' must be"), message


def test_zero_delay_and_whole_number_delay_are_accepted(tmp_path):
    (site,) = load_sites(write(tmp_path, SITE + "download_delay = 0\nmax_pages = 1\n"))
    assert site.download_delay == 0.0 and site.max_pages == 1


@pytest.mark.parametrize(
    "domain", ["https://127.0.0.1:18765/", "127.0.0.1:18765", "example.com/news", "*.example.com", ".example.com", ""]
)
def test_allowed_domains_must_be_bare_host_names(tmp_path, domain):
    message = load_error(tmp_path, SITE + f"allowed_domains = [{domain!r}]\n")
    assert message.startswith("4: allowed_domains entries are host names like \"example.com\", not URLs"), message
    assert repr(domain) in message


def test_allowed_domains_accepts_hosts_and_addresses(tmp_path):
    (site,) = load_sites(write(tmp_path, SITE + 'allowed_domains = ["127.0.0.1", "CDN.A.example", "a_b.example"]\n'))
    assert site.domains == ["127.0.0.1", "cdn.a.example", "a_b.example"]


@pytest.mark.parametrize(
    ("key", "selector"), [("body", "div[[["), ("authors", ""), ("published", "time::text"), ("title", "h1 >")]
)
def test_invalid_extraction_selector_names_the_key_and_its_line(tmp_path, key, selector):
    text = SITE + f"\n[sites.extraction]\nbody = \"article\"\n{key} = {selector!r}\n"
    if key == "body":
        text = SITE + f"\n[sites.extraction]\nbody = {selector!r}\nauthors = \".byline\"\n"
    message = load_error(tmp_path, text)
    line = 6 if key == "body" else 7
    assert message.startswith(f"{line}: extraction override '{key}' is not a valid CSS selector"), message


def test_valid_extraction_selectors_are_kept(tmp_path):
    text = SITE + '[sites.extraction]\nbody = "div.story > p:not(.promo)"\npublished = "time[datetime]"\n'
    (site,) = load_sites(write(tmp_path, text))
    assert site.extraction == {"body": "div.story > p:not(.promo)", "published": "time[datetime]"}


def test_toml_error_at_end_of_document_names_the_last_line(tmp_path):
    message = load_error(tmp_path, SITE + 'feeds = [\n  "https://a.example/rss"\n')
    assert message.startswith("5: invalid TOML: Unclosed array"), message


def test_toml_error_names_its_line(tmp_path):
    message = load_error(tmp_path, SITE + "max_pages = = 3\n")
    assert message.startswith("4: invalid TOML: "), message


def test_inline_sites_array_names_the_line(tmp_path):
    message = load_error(tmp_path, 'sites=[{name="a", url="https://a.example/", max_pages=true}]\n')
    assert message.startswith("1: 'max_pages' must be"), message
    text = (
        "sites = [\n"
        '  {name = "a", url = "https://a.example/", max_pages = 5},\n'
        '  {name = "b", url = "https://b.example/", max_pages = true},\n'
        "]\n"
    )
    message = load_error(tmp_path, text)
    assert message.startswith("3: 'max_pages' must be"), message


def test_value_error_names_the_line_of_the_key_in_its_own_entry(tmp_path):
    text = (
        SITE
        + "max_pages = 10\n"
        + "\n[[sites]]\n"
        + 'name = "b"\n'
        + "# max_pages = true would be wrong\n"
        + 'url = "https://b.example/"\n'
        + "max_pages = true\n"
        + '[sites.extraction]\nbody = "p"\n'
    )
    assert load_error(tmp_path, text).startswith("10: 'max_pages' must be")
    text = SITE + 'extraction = { body = "p", published = "time::after" }\n'
    assert load_error(tmp_path, text).startswith("4: extraction override 'published'")
