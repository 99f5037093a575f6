"""Language identification (detector/language.py) and the "unsupported" status for non-English text.

All article texts here were written for these tests (no shared data). Tests marked
``languagetool`` need the real LanguageTool server (see tests/test_grammar.py).
"""

from __future__ import annotations

import json

import pytest
from test_io_cli import run_cli

from detector import analysis, api, language
from detector.findings import CODES, FAMILIES, Finding
from detector.output import render_csv, render_text
from detector.scoring import Evidence

GERMAN = """Stadtrat beschließt neue Radwege für die Innenstadt

Der Stadtrat hat am Dienstagabend mit knapper Mehrheit beschlossen, in den kommenden drei Jahren rund zwölf Kilometer neue Radwege in der Innenstadt anzulegen. Die Kosten werden auf etwa 18 Millionen Euro geschätzt.

Die Oppositionsparteien kritisierten, dass dafür zahlreiche Parkplätze entlang der Hauptstraße wegfallen sollen. Einzelhändler befürchten, dass weniger Kunden mit dem Auto in die Geschäfte kommen werden.

Die Bürgermeisterin verteidigte den Plan. Man habe die Anwohner seit dem vergangenen Frühjahr in mehreren Versammlungen gehört, sagte sie nach der Sitzung. Der erste Abschnitt soll bereits im Herbst fertig sein.
"""

FRENCH = """Grève des contrôleurs aériens : des centaines de vols annulés

Plusieurs centaines de vols ont été annulés jeudi dans les principaux aéroports du pays en raison d'une grève des contrôleurs aériens, qui protestent contre la réforme de leur régime de retraite.

La compagnie nationale a conseillé à ses passagers de reporter leur voyage lorsque c'était possible. À l'aéroport de la capitale, de longues files d'attente se sont formées dès six heures du matin devant les guichets.

Le ministre des Transports a appelé les syndicats à reprendre les négociations dès la semaine prochaine. Selon lui, un accord reste possible avant le début des vacances d'été.
"""

GERMAN_QUOTE = (
    "Wir haben die Anwohner seit dem vergangenen Frühjahr in mehreren Versammlungen gehört. "
    "Die Pläne der Regierung werden wir nicht einfach hinnehmen, und deshalb ziehen wir vor das "
    "Verwaltungsgericht."
)

MIXED = f"""Town fights plan for new motorway link

Councillors in the small town voted on Monday to take the national government to court over a planned motorway link that would run through a protected wetland.

The mayor, speaking to local reporters after the vote, said the decision had been unanimous. His statement was later published in full on the council's website:

{GERMAN_QUOTE}

The transport ministry said it would defend the plan, which it says will cut journey times for freight traffic and reduce congestion in the region.

Environmental groups welcomed the move and said they would support the town's case with their own evidence about the wetland's birds.
"""


def _langs(reports):
    return [(r.verdict, r.language) for r in reports]


# -- detector.language ------------------------------------------------------------------------
def test_identify_names_the_language_and_short_text_counts_as_english():
    assert language.identify(GERMAN)[0] == "de"
    assert language.identify(FRENCH)[0] == "fr"
    lang, conf = language.identify(MIXED.split("\n\n")[1])
    assert lang == "en" and conf > 0.5
    # too few letters of running text to tell: English, with no confidence
    assert language.identify("Guten Tag") == ("en", 0.0)
    assert language.identify("Angela Merkel, Olaf Scholz, Friedrich Merz") == ("en", 0.0)
    # a short line in another script is told all the same
    assert language.identify("Москва сегодня")[0] != "en"


def test_analyse_finds_the_foreign_paragraph_of_a_mixed_article():
    res = language.analyse(MIXED)
    assert res.english
    assert len(res.foreign) == 1
    block = res.foreign[0]
    assert MIXED[block.start : block.end] == GERMAN_QUOTE
    assert block.lang == "de" and block.confidence >= language.LanguageSettings().paragraph_confidence
    assert language.analyse(GERMAN).main == "de" and not language.analyse(GERMAN).english


def test_team_sheet_is_not_a_foreign_paragraph():
    text = (
        "The home side named an unchanged team for the match on Saturday afternoon.\n\n"
        "Almunia, Lauren, Toure, Campbell, Cole, Pires, Flamini, Fabregas, Reyes, Bergkamp, "
        "Henry. Subs: Lehmann, Senderos, Clichy, Van Persie, Owusu-Abeyie."
    )
    assert language.analyse(text).foreign == []


# -- api: unsupported status ------------------------------------------------------------------
@pytest.mark.parametrize("text, lang, name", [(GERMAN, "de", "German"), (FRENCH, "fr", "French")])
def test_non_english_article_is_unsupported_with_a_reason_and_no_findings(text, lang, name):
    [r] = api.score([text], grammar="off")
    assert r.verdict == "unsupported"
    assert r.reliability is None
    assert r.language == lang
    assert r.findings == []
    assert [x.feature for x in r.reasons] == ["language"]
    assert f"{name} ({lang})" in r.reasons[0].message and "only judges English" in r.reasons[0].message
    d = r.to_dict()
    assert d["reliability"] is None and d["verdict"] == "unsupported" and d["language"] == lang
    assert api.check(text, grammar="off") == []


def test_non_english_article_never_reaches_the_families(monkeypatch):
    calls = []
    real = analysis.document_evidence

    def spy(doc, *a):
        calls.append(doc.text)
        return real(doc, *a)

    monkeypatch.setattr(analysis, "document_evidence", spy)
    reports = api.score([GERMAN, MIXED], grammar="off")
    assert _langs(reports) == [("unsupported", "de"), (reports[1].verdict, "en")]
    assert reports[1].verdict in ("ok", "review", "reject")
    assert calls == [MIXED]


def test_english_reports_name_their_language_and_short_text_is_judged():
    reports = api.score(["Short note.", MIXED], grammar="off")
    assert [r.language for r in reports] == ["en", "en"]
    assert all(r.verdict != "unsupported" and r.reliability is not None for r in reports)
    assert reports[0].to_dict()["language"] == "en"


def test_mixed_article_has_no_english_rule_findings_inside_the_german_paragraph():
    start = MIXED.index(GERMAN_QUOTE)
    end = start + len(GERMAN_QUOTE)
    # without the language step the English rules do fire inside the German paragraph
    from detector import families
    from detector.text import Document

    per_doc = [families.load(n) for n in families.PER_DOCUMENT]
    raw, _ = analysis.document_evidence(Document(MIXED), per_doc, [])
    assert any(start <= f.start and f.end <= end for f in raw), "fixture no longer triggers an English rule"

    [r] = api.score([MIXED], grammar="off")
    assert r.verdict != "unsupported"
    inside = [f for f in r.findings if start <= f.start and f.end <= end]
    assert [f.code for f in inside] == ["LNG001"]
    lng = inside[0]
    assert (lng.start, lng.end) == (start, end) and lng.severity == "info" and "German" in lng.message
    assert lng.family == "foreign-language" and lng.line == MIXED[:start].count("\n") + 1


def test_lng001_is_registered_and_ignored_by_the_installed_model():
    assert CODES["LNG001"][0] == "foreign-language" and "foreign-language" in FAMILIES
    scorer = api.load_scorer(None, grammar_available=False)
    names = getattr(scorer, "feature_names", None)
    if names is not None:  # a trained model: its stored feature list predates LNG001
        assert not any("LNG001" in n or "foreign-language" in n for n in names)
    [ev] = api.analyse(["The council met on Monday and agreed the budget for next year."], grammar="off")[1]
    note = Finding("foreign-language", "LNG001", 0, 10, "paragraph in German (de)", severity="info")
    with_note = Evidence(findings=[*ev.findings, note], stats=ev.stats, grammar=ev.grammar)
    if names is not None:
        assert scorer.reliability([ev]) == scorer.reliability([with_note])


def test_renderers_cope_with_unsupported():
    reports = api.score([GERMAN, "The council met on Monday and agreed the budget."], grammar="off")
    text = render_text(reports)
    assert "unsupported" in text and "language=de" in text
    rows = render_csv(reports).splitlines()
    header = rows[0].split(",")
    first = dict(zip(header, rows[1].split(","), strict=False))
    assert first["reliability"] == "" and first["verdict"] == "unsupported" and first["language"] == "de"


# -- CLI ----------------------------------------------------------------------------------------
def test_cli_score_json_and_exit_codes(tmp_path):
    de, fr = tmp_path / "de.txt", tmp_path / "fr.txt"
    de.write_text(GERMAN, encoding="utf-8")
    fr.write_text(FRENCH, encoding="utf-8")
    r = run_cli("score", str(de), str(fr), "--no-grammar", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [(d["verdict"], d["language"], d["reliability"], d["findings"]) for d in out] == [
        ("unsupported", "de", None, []),
        ("unsupported", "fr", None, []),
    ]
    assert all(d["reasons"][0]["feature"] == "language" for d in out)
    # unsupported is a status, not an error; it is not "ok", so --fail-on review fails on it
    assert run_cli("score", str(de), "--no-grammar", "--fail-on", "reject", "-q").returncode == 0
    assert run_cli("score", str(de), "--no-grammar", "--fail-on", "review", "-q").returncode == 1


# -- with LanguageTool ---------------------------------------------------------------------
@pytest.mark.languagetool
def test_with_grammar_german_gets_no_languagetool_findings_and_mixed_none_inside(lt_checker):
    start = MIXED.index(GERMAN_QUOTE)
    end = start + len(GERMAN_QUOTE)
    # LanguageTool on its own does flag the German paragraph (so the test below can fail)
    [raw] = lt_checker.check_many([GERMAN_QUOTE])
    assert not raw.error and raw.findings
    de, mixed = api.score([GERMAN, MIXED], grammar=lt_checker)
    assert de.verdict == "unsupported" and de.findings == [] and de.grammar == "skipped"
    assert mixed.grammar == "ok" and mixed.verdict != "unsupported"
    assert [f.code for f in mixed.findings if start <= f.start and f.end <= end] == ["LNG001"]


# -- triage -------------------------------------------------------------------------------------
def test_triage_ranks_unsupported_after_judged_items_and_renders_them(tmp_path):
    from typer.testing import CliRunner

    from detector.cli import app

    d = tmp_path / "feed"
    d.mkdir()
    (d / "a-german.txt").write_text(GERMAN, encoding="utf-8")
    (d / "b-mixed.txt").write_text(MIXED, encoding="utf-8")
    (d / "c-garbled.txt").write_text(
        "Port to reopen\n\nThe minister said the the plan would go ahead. The minister said the the port "
        "would reopen, the port would reopen, the port would reopen soon.\n",
        encoding="utf-8",
    )
    html = tmp_path / "report.html"
    args = ["triage", str(d), "--no-grammar", "--quiet", "--state", str(tmp_path / "s.db"), "-f"]
    res = CliRunner().invoke(app, [*args, "json", "--html", str(html)], catch_exceptions=False)
    assert res.exit_code == 0, res.stdout
    rows = json.loads(res.stdout)
    assert [r["key"] for r in rows][-1] == "a-german.txt"
    last = rows[-1]
    assert (last["verdict"], last["reliability"], last["rank"]) == ("unsupported", None, 3)
    assert all(r["reliability"] is not None for r in rows[:-1])
    page = html.read_text(encoding="utf-8")
    assert "not judged" in page and "the text is German (de), not English" in page
    # a second run reads the unsupported item back from the state and ranks it the same way
    res = CliRunner().invoke(app, [*args, "csv"], catch_exceptions=False)
    lines = res.stdout.splitlines()
    assert lines[-1].startswith("3,,unsupported,") and "a-german.txt" in lines[-1]
    text = CliRunner().invoke(app, [*args, "text"], catch_exceptions=False).stdout
    assert "not in English" in text


_LANGID_SAMPLES = [
    "The government said on Tuesday that the new rules would come into force next year.",
    "Le gouvernement a annoncé mardi que les nouvelles règles entreraient en vigueur l'an prochain.",
    "Die Regierung teilte am Dienstag mit, dass die neuen Regeln im nächsten Jahr in Kraft treten.",
    "政府は火曜日、新しい規則が来年施行されると発表した。",
    "Cech, Paulo Ferreira, Terry, Gallas, Bridge, Duff, Lampard, Makelele, Robben",
    "",
]


def test_identifier_from_the_cache_is_py3langids_own(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    monkeypatch.setenv("DETECTOR_CACHE_DIR", str(tmp_path))
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    first = language._load_identifier()  # decompresses the model into the cache
    (cached,) = tmp_path.glob("py3langid-*.npz")
    assert cached.stat().st_size > 10_000_000 and oct(cached.stat().st_mode & 0o777) != "0o600"
    second = language._load_identifier()  # read back from it
    for ident in (first, second):
        assert ident.nb_classes == reference.nb_classes
        assert (ident.nb_ptc == reference.nb_ptc).all() and (ident.nb_pc == reference.nb_pc).all()
        assert ident.tk_nextmove == reference.tk_nextmove and ident.tk_row == reference.tk_row
        for text in _LANGID_SAMPLES:
            assert ident.classify(text) == reference.classify(text)
            assert ident.rank(text) == reference.rank(text)


def test_a_damaged_identifier_cache_falls_back_and_is_rewritten(tmp_path, monkeypatch):
    monkeypatch.setenv("DETECTOR_CACHE_DIR", str(tmp_path))
    language._load_identifier()
    (cached,) = tmp_path.glob("py3langid-*.npz")
    cached.write_bytes(b"PK\x03\x04 not a zip archive at all")
    ident = language._load_identifier()  # the shipped model, the damaged file removed
    assert ident.classify(_LANGID_SAMPLES[1])[0] == "fr"
    assert not cached.exists()
    language._load_identifier()
    assert cached.stat().st_size > 10_000_000
