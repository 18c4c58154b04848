from scraper.urls import in_domains, is_page_link, normalize_url


def test_tracking_parameters_fragments_and_default_ports_are_dropped():
    url = "HTTPS://News.Example:443/world/story/?utm_source=x&id=7&fbclid=abc&utm_medium=y#comments"
    assert normalize_url(url) == "https://news.example/world/story/?id=7"


def test_content_parameters_and_non_default_ports_are_kept():
    assert normalize_url("http://127.0.0.1:8080/a?page=2") == "http://127.0.0.1:8080/a?page=2"


def test_empty_path_becomes_slash():
    assert normalize_url("https://news.example") == "https://news.example/"


def test_media_and_documents_are_not_page_links():
    assert is_page_link("https://news.example/world/story/")
    assert is_page_link("https://news.example/world/story.html")
    assert not is_page_link("https://news.example/photo.JPG")
    assert not is_page_link("https://news.example/files/report.pdf")
    assert not is_page_link("mailto:desk@news.example")


def test_domains_include_subdomains_but_not_lookalikes():
    assert in_domains("https://www.news.example/a", ["news.example"])
    assert in_domains("https://live.news.example/a", ["news.example"])
    assert not in_domains("https://fakenews.example/a", ["news.example"])
    assert in_domains("https://www.news.example/a", ["www.news.example"]), "an allowed 'www.' host is its site"
    assert in_domains("https://news.example/a", ["WWW.News.example"])
