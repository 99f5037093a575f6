"""Which language is a text in? detector only judges English, so this decides whether to judge it.

Two tests, cheapest first (``scripts/measure_language_id.py`` measures both; figures in the README):

* an **English stop-word share**: the share of a paragraph's words that are among ~60 common
  English function words ("the", "of", "and", ...). English news paragraphs: median 0.36, 1st
  percentile 0.13; foreign sentences (WMT15/16 sources): median 0, 99th percentile 0.125, max
  0.22. A paragraph at or above ``english_stopword_share`` is English without further ado, so
  about four English articles in five (597 of 765 measured) never load the identifier's
  model (about 0.1 s; 0.45 s before its first use has cached it decompressed);
* otherwise **py3langid** (the identifier trafilatura uses; 140 languages in 0.4), with
  normalised probabilities. Alone it names every language right on whole articles but calls
  lists of names (team sheets) French or Aragonese; the stop-word test alone cannot name a
  language and, at the 0.25 cut, misses 10 of 765 English articles. Together: 765/765 English
  articles kept, 400/400 foreign articles caught, 99.9 % of paragraphs right either way, at about
  0.45 ms per BBC article once the model is loaded.

:func:`identify` answers for one piece of text; :func:`analyse` for an article, per paragraph:
its main language (the language of most letters) and the paragraphs in another language.
Text with fewer than ``min_letters`` letters of running text is "too short to tell" and counts
as English.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from . import settings

ENGLISH = "en"

@settings.register("language")
@dataclass(frozen=True, slots=True)
class LanguageSettings:
    """Knobs of the language check (``[settings.language]`` in the configuration). Measured with
    ``scripts/measure_language_id.py`` (figures in the module docstring)."""

    # Fewer letters of running text (words not starting with a capital, see running_letters) and
    # the language is not told (a heading, a name, a dateline): treated as English.
    min_letters: int = settings.knob(
        40, "about one short sentence; on such sentences (WMT15/16 sources, English MT output) the combined test is right 99.9 % of the time"
    )
    english_stopword_share: float = settings.knob(
        0.25, "highest share among 1,728 foreign sentences was 0.22 (99th percentile 0.125); 96 % of English paragraphs are above 0.2"
    )
    paragraph_confidence: float = settings.knob(
        0.9, "1 - P(en) needed to set a paragraph aside as foreign; the only English paragraphs above 0.9 were half-untranslated MT"
    )
    main_language_share: float = settings.knob(
        0.5, "an article is 'not English' when another language holds at least this share of the letters that could be told"
    )
    min_script_letters: int = settings.knob(
        10, "fewer letters suffice when most are outside the Latin script (a short Cyrillic or Japanese line is plainly not English)"
    )


# Languages whose text is English for detector's purposes (py3langid codes). Scots and Nigerian
# Pidgin are the labels the model gives some English paragraphs (dialogue, dialect spellings).
ENGLISH_LIKE = frozenset({"en", "sco", "pcm"})

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# _WORD_RE on ASCII text, where a letter ([^\W\d_]) is A-Z or a-z and ’ cannot occur: the same
# matches from simpler character sets (on lower-cased ASCII text, the same words lower-cased).
_ASCII_WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_ASCII_LOWER_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")
_LETTER_RE = re.compile(r"[^\W\d_]")
_NON_LETTER_RE = re.compile(r"[\W\d_]+")

# The commonest English function words (no content words, nothing that is also a frequent word in
# German, French, Spanish, Italian, Dutch or Portuguese, such as "die", "in", "an", "a", "de").
STOPWORDS = frozenset(
    """the of and to is was for on that with as by at from it its his her he she they their
    this be are were been has have had not but or which who will would said says after
    about more than also into when there one two over new could an our we you i""".split()
)

NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
    "nb": "Norwegian", "nn": "Norwegian", "fi": "Finnish", "is": "Icelandic", "pl": "Polish",
    "cs": "Czech", "sk": "Slovak", "sl": "Slovenian", "hr": "Croatian", "sr": "Serbian",
    "bs": "Bosnian", "hu": "Hungarian", "ro": "Romanian", "bg": "Bulgarian", "ru": "Russian",
    "uk": "Ukrainian", "be": "Belarusian", "el": "Greek", "tr": "Turkish", "lv": "Latvian",
    "lt": "Lithuanian", "et": "Estonian", "ga": "Irish", "cy": "Welsh", "ca": "Catalan",
    "eu": "Basque", "gl": "Galician", "lb": "Luxembourgish", "af": "Afrikaans", "ar": "Arabic",
    "he": "Hebrew", "fa": "Persian", "ur": "Urdu", "hi": "Hindi", "bn": "Bengali", "ta": "Tamil",
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "th": "Thai", "vi": "Vietnamese",
    "id": "Indonesian", "ms": "Malay", "tl": "Tagalog", "sw": "Swahili", "la": "Latin",
    "eo": "Esperanto", "sq": "Albanian", "mk": "Macedonian", "ka": "Georgian", "hy": "Armenian",
    "az": "Azerbaijani", "kk": "Kazakh", "mt": "Maltese", "fy": "Frisian", "oc": "Occitan",
}  # fmt: skip


def language_name(code: str) -> str:
    """English name of a language code (the code itself when unknown)."""
    return NAMES.get(code, code)


_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))


def letters(text: str) -> int:
    r"""Letters (``[^\W\d_]``) in ``text``. ASCII text (nine paragraphs in ten of the BBC set):
    its letters are A-Z and a-z, counted by deleting them from the bytes (no regex pass)."""
    if text.isascii():
        return len(text) - len(text.encode("ascii").translate(None, _ASCII_LETTERS))
    return len(_NON_LETTER_RE.sub("", text))


def stopword_share(text: str) -> float:
    """Share of the words of ``text`` that are common English function words (0 with no words)."""
    if text.isascii():  # lower-casing ASCII keeps every letter a letter: the same words, lower-cased
        words = _ASCII_LOWER_WORD_RE.findall(text.lower())
    else:
        words = list(map(str.lower, _WORD_RE.findall(text)))
    if not words:
        return 0.0
    return sum(map(STOPWORDS.__contains__, words)) / len(words)


_IDENTIFIER = None
_LOCK = threading.Lock()


_MODEL_KEYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _identifier():
    global _IDENTIFIER
    if _IDENTIFIER is None:
        with _LOCK:
            if _IDENTIFIER is None:
                _IDENTIFIER = _load_identifier()
    return _IDENTIFIER


def _load_identifier():
    """py3langid's identifier, as ``LanguageIdentifier.from_model_file(MODEL_FILE,
    norm_probs=True)`` builds it. The package ships its model LZMA-compressed, and decompressing
    it takes 0.3 s at every start (most of the model's load time): the decompressed ``.npz``
    (68 MB) is kept in detector's cache, named after py3langid's version and the shipped file's
    size and modification time, and read back with ``allow_pickle=False``. Without a writable
    cache, or with a file that does not read back (deleted then, to be written afresh), the
    shipped model is loaded as py3langid does."""
    import lzma
    from importlib.metadata import version

    import numpy as np
    from py3langid import modelio
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from .cache import cache_dir

    shipped = MODEL_DIR / MODEL_FILE
    cached = None
    try:
        st = shipped.stat()
        cached = cache_dir() / f"py3langid-{version('py3langid')}-{st.st_size}-{st.st_mtime_ns}.npz"
        if not cached.is_file():
            from .io import atomic_write

            with lzma.open(shipped) as src:
                atomic_write(cached, src.read())
        with np.load(cached, allow_pickle=False) as data:
            if set(data.files) != set(_MODEL_KEYS):
                raise ValueError(f"{cached}: unexpected arrays {sorted(data.files)}")
            ptc, pc, classes, nextmove, row, out = (data[k] for k in _MODEL_KEYS)
        # what py3langid.modelio.load_model returns, from the same arrays
        return LanguageIdentifier(
            np.asarray(ptc), np.asarray(pc), classes.tolist(), modelio._to_array(nextmove),
            out.tolist(), norm_probs=True, tk_row=modelio._to_array(row),
        )
    except Exception:  # a damaged cache file (truncated, foreign) or a py3langid without _to_array
        if cached is not None:
            try:
                cached.unlink()  # written afresh next time
            except OSError:
                pass
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def load_identifier() -> None:
    """Load py3langid's model now (about 0.1 s from detector's cache, 0.45 s the first time;
    otherwise at the first text it is asked about): a process that forks workers loads it first
    so they share it."""
    _identifier()


def langid(text: str) -> tuple[str, float]:
    """py3langid's answer alone: (language code, normalised probability)."""
    lang, conf = _identifier().classify(text)
    return str(lang), float(conf)


def _latin_share(text: str) -> float:
    chars = _LETTER_RE.findall(text)
    if not chars:
        return 1.0
    return sum(1 for c in chars if c < "\u0250") / len(chars)


def running_letters(text: str) -> int:
    """Letters in words that do not start with a capital: the running text, without the names. A
    team sheet or a list of people ("Cech, Paulo Ferreira, Terry, ...") has a length but no
    language; the identifier calls such lists French or Aragonese with 95 % confidence."""
    return sum(len(w) for w in _WORD_RE.findall(text) if not w[0].isupper())


def _running_at_least(text: str, n: int) -> bool:
    total = 0
    words = _ASCII_WORD_RE if text.isascii() else _WORD_RE
    for m in words.finditer(text):  # stops at the first n letters, however long the text
        w = m.group()
        if not w[0].isupper():
            total += len(w)
            if total >= n:
                return True
    return False


def long_enough(text: str) -> bool:
    """Enough running text to tell the language: ``min_letters`` letters in words that do not
    start with a capital (:func:`running_letters`), or ``min_script_letters`` when most letters
    are outside the Latin script (a short Cyrillic or Japanese line is plainly not English)."""
    cfg = settings.get(LanguageSettings)
    if _running_at_least(text, cfg.min_letters):
        return True
    return letters(text) >= cfg.min_script_letters and _latin_share(text) < 0.5


def identify(text: str) -> tuple[str, float]:
    """``(language, confidence)`` for one piece of text (py3langid's code, e.g. ``de``).

    * too short to tell (:func:`long_enough`) -> ``("en", 0.0)``;
    * English by the stop-word test -> ``("en", 1.0)``;
    * otherwise py3langid: when its top label is English (or ``ENGLISH_LIKE``), ``("en", P(en))``;
      else the top label with confidence **1 - P(English-like)**, the probability that the text is
      not English. The identifier often hesitates between close languages (Russian/Ukrainian,
      Czech/Slovak, Danish/Norwegian); that does not make the text any more English, and "not
      English" is the decision detector takes.
    """
    if not long_enough(text):
        return ENGLISH, 0.0
    return _identify_told(text)


def _identify_told(text: str) -> tuple[str, float]:
    """:func:`identify` for text already known to be long enough."""
    if stopword_share(text) >= settings.get(LanguageSettings).english_stopword_share:
        return ENGLISH, 1.0
    ranked = _identifier().rank(text)
    p_en = sum(p for lang, p in ranked if lang in ENGLISH_LIKE)
    top = str(ranked[0][0])
    if top in ENGLISH_LIKE:
        return ENGLISH, round(float(p_en), 4)
    return top, round(float(1.0 - p_en), 4)


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph (or line) told apart: offsets into the text, language, confidence, letters."""

    start: int
    end: int
    lang: str
    confidence: float
    letters: int


@dataclass(slots=True)
class LanguageResult:
    """An article's languages: ``main`` (code), ``confidence`` (share of the told letters in the
    main language), ``foreign`` (blocks in another language than English, each a :class:`Block`),
    ``told_letters`` (letters in blocks long enough to tell)."""

    main: str = ENGLISH
    confidence: float = 0.0
    foreign: list[Block] = field(default_factory=list)
    told_letters: int = 0

    @property
    def english(self) -> bool:
        return self.main == ENGLISH


def blocks(text) -> list[tuple[int, int]]:
    """The units told apart: paragraphs (blank-line separated), each split into its lines when
    every line is long enough to tell on its own (one paragraph per line, as many feeds and the
    WMT documents are written); a hard-wrapped paragraph stays whole. ``text``: a string, or a
    :class:`~detector.text.Document` (its lines and paragraphs, computed once, are reused)."""
    from .text import as_document

    doc = as_document(text)
    text = doc.text
    lines = doc.lines
    out = []
    li = 0
    for ps, pe in doc.paragraphs:
        inner = []
        while li < len(lines) and lines[li][0] < pe:
            if lines[li][0] >= ps:
                inner.append(lines[li])
            li += 1
        if len(inner) > 1 and all(long_enough(text[s:e]) for s, e in inner):
            out.extend(inner)
        else:
            out.append((ps, pe))
    return out


def analyse(text) -> LanguageResult:
    """Per-paragraph languages of an article, its main language and its foreign paragraphs.
    ``text``: a string or a :class:`~detector.text.Document` (see :func:`blocks`)."""
    cfg = settings.get(LanguageSettings)
    told: dict[str, int] = {}
    found: list[Block] = []
    units = blocks(text)
    text = text if isinstance(text, str) else text.text
    for s, e in units:
        chunk = text[s:e]
        if not long_enough(chunk):
            continue
        n = letters(chunk)
        lang, conf = _identify_told(chunk)
        if lang != ENGLISH and conf < cfg.paragraph_confidence:
            continue  # not sure enough to set it aside: it stays English (and untold)
        told[lang] = told.get(lang, 0) + n
        if lang != ENGLISH:
            found.append(Block(s, e, lang, conf, n))
    total = sum(told.values())
    if not total:
        return LanguageResult()
    main = max(told, key=lambda k: (told[k], k == ENGLISH))
    share = told[main] / total
    if main != ENGLISH and share < cfg.main_language_share:
        main = ENGLISH  # no language holds half the text: judged as English, foreign parts aside
    if main != ENGLISH:
        return LanguageResult(main=main, confidence=round(share, 4), foreign=[], told_letters=total)
    return LanguageResult(
        main=ENGLISH, confidence=round(told.get(ENGLISH, 0) / total, 4), foreign=found, told_letters=total
    )
