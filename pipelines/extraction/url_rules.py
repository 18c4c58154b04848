"""What a URL alone says about a page: tracking parameters, and the paths of pages that are not stories.

One list each, shared by the crawl (URL normalisation in scraper/urls.py), related links and classification.
"""

from __future__ import annotations

import re

#: Query parameters that only track the visitor or the click and never select content. A parameter that
#: selects content on some sites (`cid`, `share`, `ref`) is not here: stripping it would merge different
#: pages into one, while keeping a real tracking parameter costs at most a duplicate fetch that the
#: canonical URL folds together.
TRACKING_PARAMETERS = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|"
    r"ocid|cmpid|ncid|ito|sr_share|smid|__twitter_impression|at_\w+|pk_\w+|mtm_\w+|ref_src|ref_url)$",
    re.IGNORECASE,
)

#: Path segments of listing, taxonomy, author, profile, search and static pages, in several languages.
NON_ARTICLE_PATH = re.compile(
    r"/(?:category|categories|tag|tags|topic|topics|theme|themen|thema|author|authors|autor|auteur|writer|"
    r"profile|user|users|section|sections|rubrik|ressort|page|seite|search|suche|recherche|archive|archives|"
    r"about|about-us|contact|contact-us|kontakt|impressum|imprint|privacy|privacy-policy|datenschutz|terms|"
    r"terms-and-conditions|cookies?|newsletter|subscribe|login|register|feed|rss)(?:/|$)",
    re.IGNORECASE,
)
