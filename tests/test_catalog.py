"""Loading and validating the catalogue: every mistake a moderator can make, with its line."""

from __future__ import annotations

import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from benchmarks import synthetic
from bot import limits
from bot.catalog import CatalogError, load_catalog, parse_catalog
from bot.catalog.links import PLAIN_URL, link_problem
from bot.catalog.stored import restored, stored

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "data" / "resources.yaml"

VALID = textwrap.dedent(
    """\
    version: 1
    languages: [en, sv]
    sections:
      primary: {en: Core, sv: Primära}
    kinds:
      guide: {en: Guide, sv: Guide}
    topics:
      azure: {en: Azure, sv: Azure}
      data: {en: Data, sv: Data}
    resources:
      - id: first
        url: https://example.com/first
        kind: guide
        provider: OpenAI
        section: primary
        topics: [azure]
        title: {en: First, sv: Första}
        description: {en: The first one., sv: Den första.}
        keywords: [one]
        questions:
          en: [what comes first]
          sv: [vad kommer först]
      - id: second
        url: https://example.com/second#part
        kind: guide
        provider: Microsoft Learn
        section: primary
        topics: [azure, data]
        title: {en: Second, sv: Andra}
        description: {en: The second one., sv: Den andra.}
    """
)


def problems(text: str | bytes) -> list[str]:
    """The `PATH:LINE: message` lines for a catalogue text that must fail."""
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data, "resources.yaml")
    return [str(p) for p in caught.value.problems]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line where `needle` occurs the n-th time in `text`."""
    count = 0
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            count += 1
            if count == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in text")


def test_the_shipped_catalogue_is_valid_and_complete() -> None:
    catalog = load_catalog(SHIPPED)
    assert len(catalog) == 20
    assert [r.section for r in catalog].count("primary") == 14
    assert [r.section for r in catalog].count("secondary") == 6
    assert catalog.get("phinetuning") is not None
    for resource in catalog:
        assert set(resource.title) == {"en", "sv"}
        assert set(resource.description) == {"en", "sv"}
        assert "WT.mc_id" not in resource.url
        assert resource.url.count("?") <= 1


def test_shipped_catalogue_keeps_two_pairs_of_rows_that_share_a_page() -> None:
    catalog = load_catalog(SHIPPED)
    urls = [r.url for r in catalog]
    shared = {url for url in urls if urls.count(url) > 1}
    assert len(shared) == 2
    assert len({r.id for r in catalog}) == 20


def test_a_valid_catalogue_loads_with_everything_in_it() -> None:
    catalog = parse_catalog(VALID.encode())
    assert [r.id for r in catalog] == ["first", "second"]
    first = catalog.get("first")
    assert first is not None
    assert first.title_in("sv") == "Första"
    assert first.questions["en"] == ("what comes first",)
    assert catalog.name_of(catalog.topics, "azure", "sv") == "Azure"
    assert [r.id for r in catalog.with_topic("data")] == ["second"]


def test_yaml_syntax_error_names_its_line() -> None:
    broken = VALID.replace("topics: [azure, data]", "topics: [azure, data")
    (problem,) = problems(broken)
    assert problem.startswith("resources.yaml:")
    assert "YAML syntax error" in problem


def test_missing_field_is_reported_on_the_resource_line() -> None:
    broken = VALID.replace("    provider: Microsoft Learn\n", "")
    (problem,) = problems(broken)
    assert problem == (
        f"resources.yaml:{line_of(broken, '- id: second')}: resource 'second': provider is missing"
    )


def test_duplicate_id_names_both_lines() -> None:
    broken = VALID.replace("- id: second", "- id: first")
    (problem,) = problems(broken)
    first_line = line_of(broken, "- id: first")
    second_line = line_of(broken, "- id: first", occurrence=2)
    assert problem == (
        f"resources.yaml:{second_line}: duplicate id 'first' (first used on line {first_line})"
    )


def test_unknown_topic_is_reported_on_its_line() -> None:
    broken = VALID.replace("topics: [azure, data]", "topics: [azure, dta]")
    (problem,) = problems(broken)
    assert problem.startswith(f"resources.yaml:{line_of(broken, 'dta')}:")
    assert "unknown topic 'dta'" in problem
    assert "known: azure, data" in problem


def test_unknown_kind_and_section_are_reported() -> None:
    broken = VALID.replace("kind: guide\n    provider: OpenAI", "kind: video\n    provider: OpenAI")
    broken = broken.replace(
        "section: primary\n    topics: [azure, data]", "section: extra\n    topics: [azure, data]"
    )
    found = problems(broken)
    assert f"resources.yaml:{line_of(broken, 'kind: video')}" in found[0]
    assert "unknown kind 'video'" in found[0]
    assert "unknown section 'extra'" in found[1]
    assert found[1].startswith(f"resources.yaml:{line_of(broken, 'section: extra')}:")


def test_url_that_is_not_http_is_refused() -> None:
    broken = VALID.replace("https://example.com/second#part", "ftp://example.com/second")
    (problem,) = problems(broken)
    assert problem.startswith(f"resources.yaml:{line_of(broken, 'ftp://')}:")
    assert "must be an http(s) link" in problem


@pytest.mark.parametrize("url", ["https://[x/", "http://[not-an-ip]/", "https://a]b.example/"])
def test_url_with_a_malformed_host_is_a_problem_with_its_line(url: str) -> None:
    broken = VALID.replace("https://example.com/second#part", url)
    (problem,) = problems(broken)
    assert problem.startswith(f"resources.yaml:{line_of(broken, url)}:")
    assert "malformed host" in problem


def test_url_with_a_user_name_before_the_host_is_refused() -> None:
    # it shows good.example and opens evil.example
    broken = VALID.replace("https://example.com/second#part", "https://good.example@evil.example/")
    (problem,) = problems(broken)
    assert problem.startswith(f"resources.yaml:{line_of(broken, 'evil.example')}:")
    assert "user name" in problem


def test_an_ipv6_host_and_an_at_sign_in_the_path_are_fine() -> None:
    fine = VALID.replace("https://example.com/second#part", "https://[2001:db8::1]/a@b")
    assert parse_catalog(fine.encode()).get("second").url == "https://[2001:db8::1]/a@b"


def test_url_with_a_query_after_the_fragment_is_refused() -> None:
    broken = VALID.replace("second#part", "second#part?WT.mc_id=x")
    (problem,) = problems(broken)
    assert "the link would break" in problem


def test_missing_language_is_reported_on_the_field_line() -> None:
    broken = VALID.replace("title: {en: Second, sv: Andra}", "title: {en: Second}")
    (problem,) = problems(broken)
    assert problem == (
        f"resources.yaml:{line_of(broken, 'title: {en: Second}')}: "
        "resource 'second': title is missing language 'sv'"
    )


def test_text_too_long_for_a_card_is_refused() -> None:
    long_title = "x" * (limits.TITLE + 1)
    broken = VALID.replace(
        "title: {en: Second, sv: Andra}", f"title: {{en: {long_title}, sv: Andra}}"
    )
    (problem,) = problems(broken)
    assert problem.startswith(f"resources.yaml:{line_of(broken, long_title)}:")
    assert f"{limits.TITLE + 1} characters long; at most {limits.TITLE} fit" in problem


def test_non_utf8_file_is_refused_with_its_line() -> None:
    data = VALID.encode().replace("Första".encode(), "Första".encode("latin-1"))
    (problem,) = problems(data)
    line = line_of(VALID, "Första")
    assert problem == f"resources.yaml:{line}: the file is not UTF-8 text (save it as UTF-8)"


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file_is_refused(text: str) -> None:
    assert problems(text) == ["resources.yaml:1: the file is empty"]


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    broken = VALID.replace("https://example.com/first", "not a url")
    broken = broken.replace("topics: [azure, data]", "topics: [nope]")
    broken = broken.replace("description: {en: The second one., sv: Den andra.}", "")
    found = problems(broken)
    assert len(found) == 3
    numbers = [int(p.split(":")[1]) for p in found]
    assert numbers == sorted(numbers)


def test_a_failed_catalogue_is_never_half_loaded(tmp_path: Path) -> None:
    path = tmp_path / "resources.yaml"
    path.write_text(VALID.replace("- id: second", "- id: Second!"), encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalog(path)


def test_wrong_shape_is_a_clear_error() -> None:
    assert problems("- just\n- a list\n") == [
        "resources.yaml:1: the catalogue must be a mapping with version, languages, sections, "
        "kinds, topics and resources"
    ]


def test_unknown_fields_and_versions_are_reported() -> None:
    broken = VALID.replace("version: 1", "version: 2").replace(
        "    keywords: [one]", "    keyword: [one]"
    )
    found = problems(broken)
    assert "version 2 is not supported" in found[0]
    assert "unknown field 'keyword'" in found[1]


def test_anchors_and_aliases_are_refused_before_they_expand() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    (problem,) = problems(bomb)
    assert "anchors and aliases" in problem


def test_an_alias_of_plain_text_is_refused_too() -> None:
    aliased = VALID.replace("title: {en: First, sv: Första}", "title: {en: &t First, sv: *t}")
    (problem,) = problems(aliased)
    assert problem == "resources.yaml:1: YAML anchors and aliases (&name, *name) are not allowed"


def test_stars_in_text_are_not_aliases() -> None:
    starred = VALID.replace("{en: The first one., sv: Den första.}", '{en: "a *b* c", sv: x *y}')
    starred = starred.replace("keywords: [one]", "keywords: [one, '*']")
    catalog = parse_catalog(starred.encode())
    assert catalog.resources[0].description == {"en": "a *b* c", "sv": "x *y"}
    assert catalog.resources[0].keywords == ("one", "*")


def test_a_file_that_cannot_be_read_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path / "missing.yaml")
    assert "cannot read the file" in str(caught.value)


def test_binary_file_is_refused() -> None:
    (problem,) = problems(b"version: 1\n\x00\x01\x02")
    assert problem == "resources.yaml:2: the file is binary"


@pytest.mark.parametrize(
    "source",
    [REPO / "data" / "resources.yaml", REPO / "eval" / "course" / "catalog.yaml"],
)
def test_a_stored_catalogue_reads_back_equal(source: Path) -> None:
    """What the cache beside a catalogue keeps is the very catalogue the file parses to."""
    catalog = load_catalog(source)
    assert restored(stored(catalog)) == catalog
    generated = parse_catalog(synthetic.catalog_yaml(300, seed=5).encode())
    assert restored(stored(generated)) == generated


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com",
        "http://a.example:8080/x/y?q=1&r=2#frag#more",
        "https://example.com?q",
        "https://example.com#part",
        "https://example.com/a@b/ä?x=%20",
        "HTTPS://Example.com/x",
        "https://example.com/a?b?c",
        "https://example.com/a#b?c",
        "https://user@example.com/",
        "https://example.com:port/",
        "https://exa\tmple.com/",
        "https://[::1]/",
        "https:///path",
        "https://example.com/a b",
    ],
)
def test_a_link_passes_or_fails_as_when_parsed_in_full(url: str) -> None:
    """Plain links are let through without parsing them: exactly the ones parsing passes."""
    parts = urlsplit(url)
    parsed_fine = (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and " " not in url
        and "@" not in parts.netloc
        and url.count("?") <= 1
        and "?" not in parts.fragment
    )
    if PLAIN_URL.fullmatch(url):
        assert parsed_fine
    assert (link_problem(url) is None) == parsed_fine
