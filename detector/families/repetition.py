"""repetition family: duplicated words (REP001) and repeated phrases / loops (REP002).

REP001 -- the same word twice in a row ("the the"), compared case-insensitively, separated only by
spaces. Not flagged: grammatical doubles ("had had a year", "that that decision", "what it is is"),
emphatic reduplication ("very very", "no no"), numbers and scores ("6-4 6-4", "505 505"), and
doubled capitalised names or titles ("Duran Duran", "Bora Bora"; "lord Lord Bingham"). A
grammatical double still counts where the context rules the grammatical reading out: "that that
the ...", "had had been / had had reported", "as there there was", "is is" outside a pseudo-cleft.

REP002 -- a phrase of two or more words that recurs within one sentence (or a whole
sentence/clause that recurs in the next one or two). Machine spinning and MT produce loops such as
"their intentions, their strategy, their intentions", "70 km from the city, 70 km from the city"
or "pleaded not guilty to fraud and theft, guilty to fraud". Normal prose repeats phrases too
(parallelism: "firms want to maximise profit, governments want to maximise votes"; lists: "the
mayor of Leeds, the mayor of York"), so a repeat only counts when it is:

- an immediate repeat ("to fall to fall", "in the in the", "a major a major"), with both copies
  punctuated alike, not a reduplication idiom ("stronger and stronger", "back to back"), a
  definition ("makes a gadget a gadget") or an "X for X" title ("for Measure for Measure");
- a list item repeated: the first copy is closed by punctuation, the second is set off by
  punctuation on both sides ("X, Y, X,"), outside parentheses;
- a loop spliced into running text, "P Q, P ..." with Q one to five plain words (P at least
  three words, or two with a content word), when something says the text is broken rather than
  parallel: the first copy does not open a clause and the repeat is long (two content words) or
  does not open with a word parallel items open with; the comma cuts a phrase ("revised down
  the, said it had"); or the repeat is left hanging before punctuation. A repeat followed by a
  completion as long as Q and a further list item ("good for savers, good for borrowers and")
  is parallelism;
- or (across sentences) most of a sentence repeated in one of the next two sentences.

Candidates come from a hash of word bigrams -> last position, so the cost is linear in words
(each candidate is extended to the longest common run; no pairwise comparison of sentences).
The finding spans the first copy through the last repeat; the suggestion is that text with the
repeat removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import settings
from ..findings import Finding
from ..text import Document, as_document

FAMILY = "repetition"

# Function words: an n-gram made only of these ("of the", "more than") never counts as a phrase.
STOPWORDS = frozenset(
    """
    a an the and or but nor so yet if then than that this these those there here of in on at by
    for to from with without into onto upon over under about above below after before as is are
    was were be been being am do does did done have has had having i me my mine we us our ours you
    your yours he him his she her hers it its they them their theirs who whom whose which what
    when where why how not no all any some more most less least few many much such only also just
    very can could will would shall should may might must one s t said says say per cent percent
    own same other another each every both either neither lot lots
    """.split()
)

# Legitimate doubles: grammatical ("had had", "that that", "is is", "do do") and emphatic.
LEGIT_DOUBLES = frozenset(
    """
    had that is do does did very really so no yes bye ha hah ho go knock tut now there well oh
    yeah ok okay wow far long many much too please blah bla ping pong chop mm ah boo ooh hush yum
    choo hip beep la ta dum tick tock hey hi baa quack
    """.split()
)

# Reduplication idioms "W p W" ("back to back", "side by side", "word for word").
IDIOM_WORDS = frozenset(
    """
    back face side day one step year time hand head neck door end bumper cheek shoulder toe heart
    wall person peer point case word dollar like measure man week month night minute bit little
    more less again over through round on out up down inch mile house block
    """.split()
)
IDIOM_LINKS = frozenset("to by after for in on upon against from".split())
COORD = frozenset(("and", "or", "nor"))
ARTICLES = frozenset(("a", "an", "the"))  # "what makes a gadget a gadget"

# Words after which "make/call X a X" is a definition, not a loop ("what makes a gadget a gadget").
DEFINING_VERBS = frozenset(
    "make makes made making call calls called consider considers considered keep keeps kept".split()
)
# Words a parallel clause or list item typically opens with ("the president of France, the
# president of Germany"; "I love X, I love Y"): a loop whose copies open with one of these and
# sit at a clause start is left alone unless other evidence says it is broken.
OPENERS = frozenset(
    """
    i we you he she it they i'm i've i'd i'll we're we've we'd we'll you're you've he's she's it's
    they're they've that's there's here's what's who's let's the a an this that these those some
    most many all both each every no not one two three four five six seven eight nine ten lots lot
    part half none plenty several any such in on at to from of for with without by into about after
    before under over through across against among between during like since until within via
    what how if where when who why which whether while because and or but nor so as than my our
    your his her its their there here maybe perhaps always never just only even still also
    """.split()
)
# A word before which a clause may start without punctuation ("... and that could ...").
CLAUSE_LINKS = frozenset("and but or so then while because as when if that which who".split())
# Words that cannot close a phrase: a comma right after one of these cuts a phrase in two
# ("revised down the, said it had"), which is how a loop splices a copy into running text.
DANGLING = frozenset(
    """
    a an the of to in on at by for from with into onto upon over under about above below after
    before as than and or but nor if my your his her its our their whose this these those could
    would should will shall may might must can very such
    """.split()
)
_I_FORMS = frozenset("i i'm i've i'd i'll".split())  # capitalised anywhere in a sentence
# Contractions that end in 's but are not possessives.
_S_CONTRACTIONS = frozenset("it's that's he's she's there's here's what's who's let's".split())
# Copula/auxiliary doubles that are grammatical only in a pseudo-cleft ("what it is is ...").
CLEFT_DOUBLES = frozenset(("is", "does", "did"))
CLEFT_WORDS = frozenset("what whatever all thing problem question point reason truth fact issue".split())
# After "that that" these show the second "that" is a slip: "said that that the ...".
_AFTER_THAT = frozenset(
    "the a an we it he she they i you his her their its our my there this these those".split()
)
_PARTICIPLES = frozenset(
    """been gone become begun taken given shown known seen written spoken chosen fallen grown
    driven broken risen thought brought bought told said found left lost paid won sold""".split()
)

_DIGIT_RE = re.compile(r"\d")
# What may sit between two equal words for REP001: horizontal whitespace only.
_HSPACE_RE = re.compile(r"[ \t\u00a0]+")
# A phrase boundary right after a copy: optional closing quote/bracket, then , ; : . ! ? … or a dash.
_CLOSE_AFTER_RE = re.compile(r"""["'”’\]]*(?:[,;:.!?…]|\s*[\-–—](?:\s|$))""")
_CONJ_AFTER_RE = re.compile(r"\s+(?:and|or|but)\b", re.I)
_OPEN_BEFORE_RE = re.compile(r"""(?:[,;:–—]|\s[\-–—])["'“‘]?\s*$""")


@settings.register("repetition")
@dataclass(frozen=True, slots=True)
class RepetitionSettings:
    """Knobs of the repetition family (``[settings.repetition]`` in the configuration)."""

    max_gap: int = settings.knob(8, "tokens allowed between the two copies of a repeated list item; tuned on injected repeats (BBC train split)")
    max_loop_gap: int = settings.knob(5, "tokens allowed between the copies of a loop spliced into running text; tuned on injected loops (BBC train split)")
    max_sentence_distance: int = settings.knob(2, "a repeated phrase is looked for up to N sentences later; further apart it is style, not a loop")


# Between a loop's first copy and the comma before its second copy: plain words only.
_PLAIN_GAP_RE = re.compile(r"[\w\s'’\-]*")
_LOOP_SEP_RE = re.compile(r"\s*(?:[,;]|[\-–—])\s*")
_CLAUSE_PUNCT_BEFORE_RE = re.compile(r"""[,;:(\[“‘"'\-–—]\s*$""")
_PUNCT_AFTER_RE = re.compile(r"""\s*(?:[,;:.!?…)\]”"]|$)""")


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


def _word_repeats(text: str, words: list[tuple[int, int]], toks: list[str]) -> list[Finding]:
    out = []
    for k in range(len(toks) - 1):
        t = toks[k]
        if t != toks[k + 1]:
            continue
        (s1, e1), (s2, e2) = words[k], words[k + 1]
        if not _HSPACE_RE.fullmatch(text, e1, s2):
            continue
        if _DIGIT_RE.search(t) or (t in LEGIT_DOUBLES and not _slipped_double(text, toks, words, k)):
            continue
        a, b = text[s1:e1], text[s2:e2]
        if b[0].isupper() and (a[0].isupper() or not a[0].isalpha()) and t not in STOPWORDS:
            continue  # "Duran Duran", "Bora Bora": a doubled name or title
        if a[0].islower() and b[0].isupper():
            continue  # "law lord Lord Bingham"
        if len(t) == 1 and t not in ("a", "i"):
            continue  # initials, list letters
        out.append(
            Finding(
                FAMILY,
                "REP001",
                s1,
                e2,
                f'word repeated: "{text[s1:e2]}"',
                suggestion=a,
                severity="warning",
            )
        )
    return out


def _slipped_double(text: str, toks: list[str], words: list[tuple[int, int]], k: int) -> bool:
    """Is a normally grammatical double ("had had", "that that", "is is") a slip here?"""
    t = toks[k]
    nxt = toks[k + 2] if k + 2 < len(toks) else ""
    if nxt and not _HSPACE_RE.fullmatch(text, words[k + 1][1], words[k + 2][0]):
        nxt = ""  # punctuation follows: "There, there." / "had had." say nothing
    if t == "that":  # "that that decision" is fine, "said that that the" is not
        return nxt in _AFTER_THAT
    if t == "had":  # "had had a year" / "had had limited success" are fine, "had had been" is not
        if nxt in _PARTICIPLES:
            return True
        if len(nxt) >= 5 and nxt.endswith("ed") and not nxt.endswith("eed") and k + 3 < len(toks):
            # a verb, not an adjective, when a function word follows ("had had expected more")
            return toks[k + 3] in STOPWORDS
        return False
    if t == "there":  # "There, there" consoles; "as there there was" is a slip
        return bool(nxt)
    if t in CLEFT_DOUBLES:  # "what it is is" is a pseudo-cleft; "the web is is" is a slip
        return not any(toks[m] in CLEFT_WORDS for m in range(max(0, k - 12), k))
    return False


def _sentence_index(words: list[tuple[int, int]], sentences: list[tuple[int, int]]) -> list[int]:
    out = []
    k = 0
    last = len(sentences) - 1
    for s, _ in words:
        while k < last and sentences[k][1] <= s:
            k += 1
        out.append(k)
    return out


def _is_idiom(toks: list[str], i: int) -> bool:
    """Immediate bigram repeat "A B A B": is it a reduplication idiom rather than a loop?"""
    a, b = toks[i], toks[i + 1]
    if a in COORD or b in COORD:  # "stronger and stronger and", "time and time and time again"
        return True
    if b in IDIOM_LINKS and a in IDIOM_WORDS:  # "back to back to"
        return True
    if a in IDIOM_LINKS and b in IDIOM_WORDS:  # "to back to back"
        return True
    return False


def _is_content(text: str, words: list[tuple[int, int]], toks: list[str], k: int) -> bool:
    t = toks[k]
    if _DIGIT_RE.search(t):
        return False
    if t not in STOPWORDS:
        return True
    w = text[words[k][0] : words[k][1]]
    return len(w) >= 2 and w.isupper()  # "US", "IT": an acronym, not the pronoun


def _immediate_ok(text: str, words, toks: list[str], i: int, j: int, n: int, ncontent: int) -> bool:
    """Copies at i and j = i + n, nothing but spaces or one comma/semicolon between them."""
    e1, s2 = words[j - 1][1], words[j][0]
    between = text[e1:s2].strip()
    if "(" in between or ")" in between:
        return False
    if n == 2 and between not in ("", ",", ";"):
        return False
    phrase = toks[j : j + n]
    if len(set(phrase)) == 1:
        return False  # "no no no no", "very, very, very": a chain of one word (REP001's business)
    # both copies must read the same, inner punctuation included ("what it is, not what it is not")
    for m in range(n - 1):
        if (
            text[words[i + m][1] : words[i + m + 1][0]].strip()
            != text[words[j + m][1] : words[j + m + 1][0]].strip()
        ):
            return False
    if n >= 3:
        return True
    if _is_idiom(toks, i):
        return False  # "stronger and stronger", "back to back"
    if not between:
        if toks[i] in ARTICLES and i > 0 and toks[i - 1] in DEFINING_VERBS:
            return False  # "what makes a gadget a gadget"
        if (
            toks[i] in IDIOM_LINKS
            and ncontent
            and all(text[words[k][0]].isupper() for k in range(j, j + n) if toks[k] not in STOPWORDS)
        ):
            return False  # "for Measure for Measure": a title of the form "X for X"
    return True


def _clause_start(text: str, words, toks: list[str], sidx: list[int], i: int) -> bool:
    if i == 0 or sidx[i - 1] != sidx[i] or toks[i - 1] in CLAUSE_LINKS:
        return True
    return bool(_CLAUSE_PUNCT_BEFORE_RE.search(text, max(0, words[i][0] - 3), words[i][0]))


def _loop_ok(
    text: str, words, toks: list[str], sidx: list[int], i: int, j: int, n: int, ncontent: int
) -> bool:
    """A phrase spliced back into running text a few words later: "P Q, P ..." in one sentence.

    Parallel clauses and lists have the same shape ("the president of France, the president of
    Germany"; "I love X, I love Y"), so it takes evidence that the text is broken: the first
    copy does not open a clause, the comma cuts a phrase ("revised down the, said it had"), the
    repeat is left hanging before punctuation, or a long repeat of several content words.
    """
    e1, s2 = words[i + n - 1][1], words[j][0]
    q_end = words[j - 1][1]
    if not _PLAIN_GAP_RE.fullmatch(text, e1, q_end) or not _LOOP_SEP_RE.fullmatch(text, q_end, s2):
        return False
    if n < 3 and not ncontent:
        return False
    if toks[i] in COORD:
        return False  # "how useful and how powerful ..., and how bands": coordination
    q = toks[j - 1]
    dangling = q in DANGLING or (q.endswith("'s") and q not in _S_CONTRACTIONS)
    hanging = bool(_PUNCT_AFTER_RE.match(text, words[j + n - 1][1]))
    if (
        (i == 0 or sidx[i - 1] != sidx[i])
        and text[s2].isupper()
        and text[words[i][0]].isupper()
        and toks[i] not in _I_FORMS
        and n >= 3
    ):
        # the opening of the sentence comes back mid-sentence with its capital ("Critics of the
        # plan, Critics of the ..."): the copy was spliced in, not written as a parallel clause
        return True
    content_words = [k for k in range(j, j + n) if _is_content(text, words, toks, k)]
    if (
        content_words
        and all(text[words[k][0]].isupper() for k in content_words)
        and not (dangling or hanging)
    ):
        return False  # names and titles listed ("Carry On at your Convenience, Carry On Matron")
    if not _clause_start(text, words, toks, sidx, i):
        if dangling or hanging:
            return True
        if ncontent >= 2 or toks[i] not in OPENERS:
            return not _parallel(text, words, toks, sidx, j, n, j - (i + n))
        return False
    return hanging or (dangling and toks[i] not in OPENERS)


def _parallel(text: str, words, toks: list[str], sidx: list[int], j: int, n: int, qlen: int) -> bool:
    """After "P Q, P": does a completion as long as Q follow and then a further list item
    ("good for consumers, good for communities and ...")? A loop instead runs on into the
    sentence."""
    m = j + n
    end = len(toks)
    r = 0
    while m < end and sidx[m] == sidx[j] and r <= qlen + 1:
        if r and (toks[m] in COORD or not _HSPACE_RE.fullmatch(text, words[m - 1][1], words[m][0])):
            break
        m += 1
        r += 1
    if r != qlen or m >= end or sidx[m] != sidx[j]:
        return False
    return toks[m] in COORD or text[words[m - 1][1] : words[m][0]].strip()[:1] in (",", ";")


def _phrase_repeats(doc: Document, toks: list[str]) -> list[tuple[int, int, int, int]]:
    """Return (first_start_tok, second_start_tok, n, sentence_distance) for accepted repeats.

    Candidates come from a hash of word bigrams -> last position (linear in words); each is
    extended to the longest common run and judged by the shape around it.
    """
    cfg = settings.get(RepetitionSettings)
    text = doc.text
    words = doc.words
    ntok = len(toks)
    if ntok < 4:
        return []
    sidx = _sentence_index(words, doc.sentences)
    sent_len: dict[int, int] = {}
    for k in sidx:
        sent_len[k] = sent_len.get(k, 0) + 1
    last: dict[tuple[str, str], int] = {}
    accepted: list[tuple[int, int, int, int]] = []
    covered = 0
    for j in range(ntok - 1):
        key = (toks[j], toks[j + 1])
        i = last.get(key)
        last[key] = j
        if i is None or j < covered or i + 2 > j:
            continue
        ds = sidx[j] - sidx[i]
        if ds > cfg.max_sentence_distance:
            continue
        if sidx[i + 1] != sidx[i] or sidx[j + 1] != sidx[j]:
            continue
        n = 2
        while (
            j + n < ntok
            and i + n < j
            and toks[i + n] == toks[j + n]
            and sidx[i + n] == sidx[i]
            and sidx[j + n] == sidx[j]
        ):
            n += 1
        ncontent = sum(1 for k in range(j, j + n) if _is_content(text, words, toks, k))
        gap = j - (i + n)
        e1 = words[i + n - 1][1]
        s2, e2 = words[j][0], words[j + n - 1][1]
        ok = False
        if ds == 0:
            if gap == 0:
                # immediate repeat: "to fall to fall", "70 km from the city, 70 km from the city"
                ok = _immediate_ok(text, words, toks, i, j, n, ncontent)
            if not ok and ncontent and gap <= cfg.max_gap:
                # a list item repeated: "their intentions, their strategy, their intentions,"
                if (
                    _CLOSE_AFTER_RE.match(text, e1)
                    and (_CLOSE_AFTER_RE.match(text, e2) or _CONJ_AFTER_RE.match(text, e2))
                    and _OPEN_BEFORE_RE.search(text, max(0, s2 - 4), s2)
                    and "(" not in text[e1:s2]
                    and ")" not in text[e1:s2]
                ):
                    ok = True
            if not ok and 1 <= gap <= cfg.max_loop_gap:
                # a loop spliced into running text: "not guilty to fraud and theft, guilty to fraud."
                ok = _loop_ok(text, words, toks, sidx, i, j, n, ncontent)
        elif ncontent:
            # a sentence (or nearly all of one) repeated in the next one or two sentences of the
            # same line; rhetorical anaphora ("We needed to cut X. We needed to cut Y") repeats
            # only the opening, so both sentences must be mostly the repeat
            longer = max(sent_len[sidx[i]], sent_len[sidx[j]])
            starts_sentence = sidx[j - 1] != sidx[j]
            ok = (
                starts_sentence and n >= 4 and ncontent >= 2 and n >= 0.8 * longer and "\n" not in text[e1:s2]
            )
        if not ok and ncontent and accepted and accepted[-1][1] == i and accepted[-1][2] == n and ds == 0:
            ok = gap <= cfg.max_gap  # the chain goes on: "the storm, the storm, the storm"
        if ok:
            accepted.append((i, j, n, ds))
            covered = j + n
    return accepted


def detect(text: str | Document) -> list[Finding]:
    doc = as_document(text)
    src = doc.text
    words = doc.words
    if len(words) < 2:
        return []
    toks = [_norm(src[s:e]) for s, e in words]
    out = _word_repeats(src, words, toks)

    reps = _phrase_repeats(doc, toks)
    # merge chains ("X, X, X") into one finding: same phrase, overlapping or touching spans
    merged: list[list[int]] = []  # [first_tok, second_tok, last_end_tok, n]
    for i, j, n, _ in reps:
        if merged and toks[i : i + n] == toks[merged[-1][0] : merged[-1][0] + n] and i <= merged[-1][2]:
            merged[-1][2] = j + n
            continue
        merged.append([i, j, j + n, n])
    for i, j, end_tok, n in merged:
        start = words[i][0]
        end = words[end_tok - 1][1]
        second = words[j][0]
        phrase = src[words[j][0] : words[j + n - 1][1]]
        keep = src[start:second].rstrip(" \t,;:-–—")
        out.append(
            Finding(
                FAMILY,
                "REP002",
                start,
                end,
                f'phrase repeated (loop): "{phrase}"',
                suggestion=keep,
                severity="warning",
            )
        )
    # an immediate two-word repeat is also a REP001-style double; keep only the phrase finding
    # where a REP001 lies inside a REP002 span of the same words
    phrase_spans = [(f.start, f.end) for f in out if f.code == "REP002"]
    if phrase_spans:
        out = [
            f
            for f in out
            if f.code == "REP002" or not any(s <= f.start and f.end <= e for s, e in phrase_spans)
        ]
    return out
