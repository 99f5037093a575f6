"""broken-sentence family: broken boundaries, verbless fragments, doubled verbs, split quotes,
truncation.

Everything here is a cheap, tagger-free heuristic over the shared :class:`Document` spans:

- BRK001: ``word. lowercase`` on one line, unless the dotted token is an abbreviation, initial,
  dotted acronym (``U.S.``, ``p.m.``, ``e.g.``), an ellipsis or a list number.
- BRK002: a sentence in running prose (a line with two or more sentences, or a one-sentence
  paragraph between two prose paragraphs) with no word that could be a finite verb. Headlines,
  captions, sign-offs, bullets, quotes, lists and short lines (< 5 words) are skipped. The verb
  test is deliberately *liberal* (any plausible finite form counts) so that only clear fragments
  are reported: a hand-written lexicon of verb lemmas with regular morphology (-s/-es/-ies,
  -ed/-d/-ied, doubled consonants), irregular forms, auxiliaries and modals, plus context: a
  bare lemma counts after a subject-like word, an -s/-ed form unless right after a determiner,
  preposition or adjective, anything after a subject pronoun.
- BRK003: two adjacent finite forms of lexicon verbs in the same tense ("passes tops 5,000")
  followed by a number or determiner; never after be-auxiliaries, never with linking verbs or
  noun-like irregulars ("hit", "cut"), reporting verbs only before a determiner.
- BRK004: a partial quotation (opened mid-sentence in lower case) that breaks into a new short
  capitalised sentence before closing; or a quotation mark left unbalanced in a paragraph
  (multi-paragraph quotes, whose next paragraph re-opens with a quote mark, the same
  convention with the paragraphs run together, and one quotation running across a paragraph
  break into the next paragraph's closing mark are allowed).
- BRK005: a line of prose whose last sentence stops without terminal punctuation after earlier
  complete sentences, or a document whose last paragraph is an unfinished sentence with a verb
  (captions and labels have none).
"""

from __future__ import annotations

import bisect
import re

from ..findings import Finding
from ..text import ABBREVIATIONS, Document, as_document

FAMILY = "broken-sentence"

# --------------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------------

# Lemmas of common verbs (news register). Regular inflections are derived by morphology below.
_VERB_LEMMAS = frozenset(
    """
    accept accuse achieve acknowledge acquire act add address admit adopt advise advocate affect
    agree aim allege allow amass announce answer appeal appear apply appoint approve argue arrest
    arrive ask assert assess assist assume attack attempt attend attract avoid back ban base
    battle beat become begin believe belong benefit block blame boost borrow break bring build
    buy call campaign cancel capture care carry cause cease celebrate challenge change charge
    chase check choose claim clash clear climb close collapse collect combine come comment commit
    compare compete complain complete concede concern conclude condemn confirm connect consider
    consult contain continue contribute control convict cost count create criticise criticize cross
    cut damage deal debate decide declare decline defeat defend deliver demand deny depend deploy
    describe design destroy detain determine develop die disagree disappear discover discuss
    dismiss dispute do double drive drop earn ease eliminate emerge employ enable encourage end
    endorse enjoy ensure enter escalate escape establish estimate evacuate examine exceed exist
    expand expect explain explode express extend face fail fall fear feel fight file fill finance
    find finish fire flee fly follow force forecast forget form free fund gain gather get give go
    grant grow halt handle happen hate head hear help hire hit hold hope host hurt identify ignore
    impose improve include increase indicate inform insist install intend introduce invade invest
    investigate invite involve issue join judge jump keep kill know lack land last launch lead
    learn leave let lift like limit link list live lose love maintain make manage mark matter
    mean meet mention miss mobilise mobilize move name need negotiate note notice obtain occupy
    occur offer open operate oppose order organise organize own pass pay plan play plead pledge
    point possess post postpone predict prefer prepare present press prevent proceed produce
    promise promote propose protect protest prove provide publish pull punish purchase push put
    quit raise rank reach react read realise realize receive recognise recognize recommend record
    recover reduce refer refuse regard reject release rely remain remember remove renew repeat
    replace reply report represent request require rescue resign resist resolve respond rest
    restore result resume retain retire return reveal review rise risk rule run sack save say
    score search see seek seem seize sell send sentence serve set settle shake share shoot show
    shut sign signal sink sit slam slip slow slump soar sound speak spend spread stand star start
    state stay step stick stop strengthen stress strike struggle study submit succeed suffer
    suggest supply support suppose surge surpass surround survive suspect suspend sustain swear
    take talk target teach tell tend test thank think threaten throw tie top total touch track
    trade train travel treat trigger trust try turn understand undergo undermine unveil urge use
    value vote wait walk want warn watch wear welcome win wish withdraw wonder work worry write
    secure spark outline dominate languish plug liken triple surprise consume hatch confer browse
    accompany adjust advance affirm alert alter amend analyse anticipate arrange assure authorise
    award bar bear bind blast bless boast bolster bomb bounce breach brief broadcast burn bury
    calculate capture cast chair cite claim clean climb close coach compensate compile
    complicate comply compose compromise conduct confront consolidate construct convert convince
    cook cope correct counter cover crash crack crush cure curb dash decrease dedicate defy delay
    delete demolish demonstrate denounce depart deposit deserve desire detect devote dig direct
    disclose discourage dislike display disrupt distribute divide donate downgrade draft drag draw
    dress drink drown dub dump earn edge educate elect embrace emphasise emphasize endure enforce
    engage enhance enlist equal erupt evaluate evolve exclude execute exercise exhibit expose
    extract fade favour feature feed fetch finalise fit fix flag flood focus fold forge found
    frustrate fuel generate govern greet guarantee guard guide hail halve hammer hand hang harm
    heal heat highlight hint hire honour hunt illustrate imagine implement imply import impress
    imprison inherit inject injure inspect inspire integrate interrupt interview invent jail
    justify kick kidnap knock label lag lay lend level license lie light line load loan lobby
    locate lock lodge lower merge mirror mislead mount multiply nominate nurture object observe
    offend oust outline outpace outperform overcome overhaul oversee overtake overturn owe pack
    paint park participate pause perform permit persuade pick pile pin place plunge poll pose
    pour praise pray preach preside pressure pretend probe proclaim process profit progress
    prohibit prompt pronounce propel prosecute provoke qualify query question quote race rally
    range rate reassure rebuild recall reclaim recruit rectify redeem reflect reform regain
    register regret regulate reinforce reiterate relate relax relieve relocate remark remind
    render rent reorganise repair repay reproduce resemble reserve reside restrict retreat
    revise revive reward ride ring rip rob roll rush sail scrap seal select separate shape shift
    shine ship shrink sing skip slash smash smile solve sort spell spill split spot spur squeeze
    stage stamp steal steer stem stimulate stir store strain streamline strip stun suit
    summarise summon supervise surrender survey swap sweep switch tackle tap tax tear tighten
    tip tolerate trace transfer transform translate trap triple tumble underline underpin unite
    unlock update upgrade uphold urge vanish vary veto visit voice vow wage warrant waste weaken
    weigh widen wield wipe witness wrap yield
    """.split()
)

# Irregular finite forms (past tense and present forms that morphology would not derive).
_IRREGULAR_FINITE = frozenset(
    """
    am is are was were has have had does did do says said went goes ran arose awoke bore bound
    bred dug fed forbade grew hung knelt leapt meant mistook overcame rode sped spun strode strove
    swung wept wound
    became began beat bit blew broke brought built bought came caught chose cost cut dealt drew
    drove ate fell felt fought found fled flew forgot forbade forgave froze gave got grew hung
    heard hid hit held hurt kept knew laid led left lent let lay lost made meant met paid put quit
    ran read rose rang saw sought sold sent set shook shot showed shut sang sank sat slept slid
    spoke spent spread stood stole stuck struck swore swept swam took taught tore told thought
    threw understood undertook underwent upheld woke wore won withdrew wrote overturned overtook
    overcame oversaw
    """.split()
)

_AUX = frozenset(
    """
    am is are was were be been being has have had having do does did done
    will would shall should can could may might must ought
    isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't
    shouldn't can't cannot couldn't mightn't mustn't it's he's she's that's there's what's who's
    i'm we're they're you're i've we've they've you've i'd we'd they'd he'd she'd i'll we'll
    they'll he'll she'll it'll let's
    """.split()
)

# Words after which a bare lemma reads as a verb ("they say", "officials agree", "to act").
_SUBJECTLIKE = frozenset(
    """
    i we you they who which that to not never also still now just then often always already
    people police children men women others many some both all few most these those
    """.split()
)

# Words after which an -s/-ed form reads as a noun/adjective ("the injured", "its plans").
_NOMINAL_CONTEXT = frozenset(
    """
    a an the this that these those its their his her our your my whose each every no any some
    of in on at for with from by into onto over under about after before between among against
    during without within through across around per than as
    one two three four five six seven eight nine ten several many few more most other such
    another
    """.split()
)

# Linking verbs take a predicate ("seemed surprised", "got married the day after"): never the
# first of a doubled pair.
_LINKING = frozenset(
    """
    seemed seems appeared appears looked looks felt feels became becomes remained remains
    sounded sounds proved proves got gets kept keeps left leaves stayed stays went goes came
    comes found finds let lets considered considers called calls named names turned turns
    grew grows fell falls
    """.split()
)
# Verbs that take a clause ("said costs rose", "warned talks about ..."): the first of a doubled
# pair only when a determiner or number follows ("reported exceeded a rise").
_CLAUSE_TAKING = frozenset(
    """
    said says told tells claimed claims believed believes thought thinks knew knows hoped hopes
    feared fears warned warns argued argues insisted insists suggested suggests noted notes
    added adds stated states denied denies admitted admits confirmed confirms reported reports
    made makes saw sees heard hears wanted wants needed needs helped helps expected expects
    """.split()
)
_STRICT_OBJECT = frozenset("a an the its their his her this these those our my your".split())

# After a doubled verb an object-like word usually follows ("tops 5,000", "hit the ...").
_OBJECT_START = frozenset(
    """
    a an the this these those its their his her our your my some more than over about
    nearly almost around roughly just only up down
    """.split()
)

_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)

_SIGNOFF_RE = re.compile(
    r"^(?:additional\s+)?(?:reporting|editing|writing|compiled|photo|photos|image|images|source|"
    r"credit|copyright|follow|contact|email|tel|phone|watch|listen|read|see|related|more)\b",
    re.I,
)

_SUFFIX_ADJ_RE = re.compile(r"(?:ing|al|ive|ous|ful|ic|ical|ary|ern|ish|ese|ian|less|able|ible)$")
_TERMINAL = frozenset(".!?…")
_CLOSERS = frozenset("\"'”’)]»")

# "word." + optional closers + spaces + lower-case word, on one line.
_DOT_LOWER_RE = re.compile(r"(?<=\w|[)%])()\.([\"'”’)\]]*)[ \t]+([a-z][\w'’\-]*)")
_DOTTED_TOKEN_RE = re.compile(r"[\w.'’\-&]+$")


def _lemma_candidates(w: str):
    """Possible lemmas for an inflected lower-case form (-s/-ed)."""
    if w.endswith("ies") and len(w) > 4:
        yield w[:-3] + "y"
    if w.endswith("es") and len(w) > 3:
        yield w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 2:
        yield w[:-1]
    if w.endswith("ied") and len(w) > 4:
        yield w[:-3] + "y"
    if w.endswith("ed") and len(w) > 3:
        yield w[:-2]
        yield w[:-1]
        if len(w) > 4 and w[-3] == w[-4]:
            yield w[:-3]


_FORM_CACHE: dict[str, str] = {}


def verb_form(w: str) -> str:
    """Classify a lower-case token: 'aux', 'past', 'pres3' (3rd-person -s), 'irr' (irregular
    finite), 'base' (lemma), or '' (not a known verb form)."""
    f = _FORM_CACHE.get(w)
    if f is None:
        if len(_FORM_CACHE) > 200_000:
            _FORM_CACHE.clear()
        f = _FORM_CACHE[w] = _verb_form(w)
    return f


def _verb_form(w: str) -> str:
    if w in _AUX:
        return "aux"
    if w in _IRREGULAR_FINITE:
        return "irr"
    if w in _VERB_LEMMAS:
        return "base"
    if w.endswith("s"):
        for lem in _lemma_candidates(w):
            if lem in _VERB_LEMMAS:
                return "pres3"
        return ""
    if w.endswith("ed"):
        if w.endswith("eed") and len(w) <= 6 and w not in ("agreed", "freed"):
            return ""  # seed, speed, breed
        for lem in _lemma_candidates(w):
            if lem in _VERB_LEMMAS:
                return "past"
        return ""
    return ""


_TLDS = frozenset("com org net co uk gov edu io info biz de fr eu us".split())


def _is_abbrev_token(tok: str) -> bool:
    t = tok.lower().lstrip("(\"'“‘[")
    if not t:
        return True
    if t in ABBREVIATIONS:
        return True
    if len(t) == 1:
        return not t.islower() or t in "cpv"  # initials, c. (circa), p. (page), v.; not "a."
    if "." in t:  # U.S, p.m, e.g, i.e, nbc.com; but not 21.8bn
        parts = t.split(".")
        if any(ch.isdigit() for ch in t):
            return False
        return all(len(x) <= 3 for x in parts[:-1]) or parts[-1] in _TLDS
    if t.endswith("."):  # ellipsis "..." -> token ends with dots
        return True
    return False


# --------------------------------------------------------------------------------------------
# Helpers over the document
# --------------------------------------------------------------------------------------------


class _Ctx:
    __slots__ = ("doc", "text", "wstarts", "words", "by_line")

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.text
        self.words = doc.words
        self.wstarts = [s for s, _ in self.words]
        self.by_line = _sentences_by_line(doc)

    def words_in(self, s: int, e: int) -> list[tuple[int, int]]:
        i = bisect.bisect_left(self.wstarts, s)
        j = bisect.bisect_left(self.wstarts, e, i)
        return self.words[i:j]


def _sentences_by_line(doc: Document) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """Pair each line with the sentence spans inside it (sentences never cross lines)."""
    sents = doc.sentences
    out = []
    k = 0
    n = len(sents)
    for ls, le in doc.lines:
        group = []
        while k < n and sents[k][0] < ls:
            k += 1
        while k < n and sents[k][1] <= le:
            group.append(sents[k])
            k += 1
        out.append(((ls, le), group))
    return out


def _last_visible(text: str, s: int, e: int) -> int:
    """Index of the last character of text[s:e] that is not a closing quote/bracket (or -1)."""
    j = e - 1
    while j >= s and (text[j] in _CLOSERS or text[j].isspace()):
        j -= 1
    return j


def _ends_terminal(text: str, s: int, e: int) -> bool:
    j = _last_visible(text, s, e)
    return j >= s and text[j] in _TERMINAL


# --------------------------------------------------------------------------------------------
# BRK001
# --------------------------------------------------------------------------------------------


def _brk001(ctx: _Ctx, out: list[Finding]) -> None:
    text = ctx.text
    for m in _DOT_LOWER_RE.finditer(text):
        dot = m.start(2) - 1
        # the token before the dot (may contain dots: U.S, p.m, e.g)
        j = dot
        while j > 0 and not text[j - 1].isspace():
            j -= 1
        tok = text[j:dot]
        if not tok or not (tok[-1].isalnum() or tok[-1] in ")%"):
            continue
        core = tok.rstrip(")%")
        if _is_abbrev_token(core):
            continue
        if core.isdigit() and (j == 0 or text[j - 1] == "\n"):
            continue  # "1. item"
        nxt = m.group(3)
        if any(c.isupper() for c in nxt[1:]):  # iPhone, eBay
            continue
        if nxt in ("com", "org", "net", "co", "uk", "gov", "edu"):
            continue
        # prefer the alphabetic part of the previous token for the suggestion
        ws = j
        while ws < dot and not text[ws].isalnum():
            ws += 1
        nstart = m.start(3)
        # extend the span over one more word of the continuation, for context
        k = m.end(3)
        m2 = re.match(r"[ \t]+[\w'’\-]+", text[k : k + 40])
        end = k + m2.end() if m2 else k
        joined = text[ws:dot] + m.group(2) + " " + text[nstart:end]
        out.append(
            Finding(
                FAMILY,
                "BRK001",
                ws,
                end,
                f"full stop before lower-case '{nxt}': sentence broken in two",
                joined,
                "warning",
            )
        )


# --------------------------------------------------------------------------------------------
# BRK002 / BRK003 (word-level verb analysis per sentence)
# --------------------------------------------------------------------------------------------


_PRONOUN_SUBJ = frozenset("i we you they he she it who which that there".split())
_NOT_S_VERB_RE = re.compile(r"(?:ss|us|is|ous|ics|ness|ies)$")


def _has_finite_verb(
    text: str, words: list[tuple[int, int]], title: bool = False, strict: bool = False
) -> bool:
    """Liberal: True when any word could plausibly be a finite verb in context. ``strict`` only
    trusts lexicon verbs (no guessing from -s/-ed endings, no imperatives)."""
    prev = ""
    prev_raw = ""
    after_pron = False
    for idx, (s, e) in enumerate(words):
        raw = text[s:e]
        w = raw.lower().replace("’", "'")
        f = verb_form(w)
        nominal_prev = (
            prev in _NOMINAL_CONTEXT
            or prev in _ADJECTIVES
            or (prev_raw.islower() and bool(_SUFFIX_ADJ_RE.search(prev)))
        )
        if title and idx > 0 and not raw.islower():
            prev, prev_raw = w, raw
            continue  # in a Title Case line only lower-case words can be verbs
        if f == "aux":
            return True
        if f == "irr":
            if w not in _AMBIGUOUS_IRR or not (nominal_prev or (idx == 0 and w != "let")):
                return True
        elif f == "base":
            if (
                prev in _SUBJECTLIKE
                or after_pron
                or prev.endswith("ly")
                or (
                    idx > 0
                    and prev.endswith("s")
                    and not _NOT_S_VERB_RE.search(prev)
                    and prev not in _NOMINAL_CONTEXT
                )
            ):
                return True
            if idx > 0 and not nominal_prev and prev not in _FUNCTION_WORDS and not prev_raw.islower():
                return True  # "Arsenal go", "Sohu.com maintain"
            if idx == 0 and not strict and raw[:1].isupper():  # imperative
                return True
        elif strict:
            if f in ("past", "pres3") and idx > 0 and not nominal_prev:
                return True
        elif raw.islower() or idx == 0:
            if after_pron and w not in _NOMINAL_CONTEXT and not w.endswith("ing"):
                return True
            if f == "past" or (w.endswith("ed") and len(w) > 4):
                if idx == 0:
                    # "Asked about ..., he", "Founded in 1990, the firm": participle + preposition;
                    # "Renewed fighting ..." is an adjective.
                    if len(words) > 1:
                        nxt = text[words[1][0] : words[1][1]].lower()
                        if nxt in _NOMINAL_CONTEXT or nxt.endswith("ly") or "," in text[e : words[1][0]]:
                            return True
                elif prev not in _NOMINAL_CONTEXT or prev in ("this", "that"):
                    return True
            elif w.endswith("s") and idx > 0 and len(w) > 3 and not _NOT_S_VERB_RE.search(w):
                if prev in ("this", "that") or (not nominal_prev and prev not in _FUNCTION_WORDS):
                    return True
            elif f == "pres3" and idx > 0 and not nominal_prev:
                return True
        if w in _PRONOUN_SUBJ and idx < len(words) - 1:
            after_pron = True
        elif w not in _ADVERBS:
            after_pron = False
        prev = w
        prev_raw = raw
    return False


_AMBIGUOUS_IRR = frozenset(
    "cut set hit cost put let read spread beat quit shut hurt forecast lay left found saw felt "
    "rose fell won lost led sat struck bit".split()
)
_ADJECTIVES = frozenset(
    """
    new fresh old growing renewed heavy further more fewer higher lower major minor serious strong
    weak deep early late recent rising falling mounting increasing big great small large wide wider
    broad broader long short high low full total possible key main top senior junior local foreign
    bitter sharp steep huge vast massive mass global free fair hard soft sudden rapid slow quick
    """.split()
)
_ADVERBS = frozenset(
    "also still now just then often always already never not only even really soon later again too".split()
)
_FUNCTION_WORDS = frozenset(
    """
    and or but nor so yet if because while although though whether when where how why what
    """.split()
)


def _is_title_case(text: str, words: list[tuple[int, int]]) -> bool:
    small = {"and", "of", "the", "a", "an", "in", "on", "for", "to", "at", "with", "by", "or"}
    caps = 0
    for s, e in words:
        w = text[s:e]
        if w.lower() in small:
            continue
        if not w[:1].isupper():
            return False
        caps += 1
    return caps >= 2


_SKIP_FRAGMENT_RE = re.compile(r"[\"“”«»:;(]")


def _brk002_candidate(text: str, s: int, e: int, words: list[tuple[int, int]], n_in_line: int) -> bool:
    if n_in_line < 2 or len(words) < 5 or len(words) > 25:
        return False
    if not text[s].isupper():
        return False  # lower-case starts are BRK001's business; bullets, numbers, quotes
    if text[e - 1] != ".":
        return False
    seg = text[s:e]
    if _SKIP_FRAGMENT_RE.search(seg):
        return False
    if sum(1 for a, b in words if b - a >= 3) < 3:
        return False  # S.T.A.L.K.E.R., initials
    if _SIGNOFF_RE.match(seg):
        return False
    digits = sum(1 for a, b in words if text[a].isdigit())
    if digits * 3 > len(words):
        return False
    lower = sum(1 for a, b in words if text[a].islower())
    title = _is_title_case(text, words)
    if not title and lower * 2 < len(words):
        return False  # name lists, line-ups
    if text[words[-1][0] : words[-1][1]].lower() in _MONTHS:
        return False
    return True


def _prose_line(text: str, line, sents) -> bool:
    """A line of running prose: two or more sentences, or one long sentence ending in . ! ?"""
    return len(sents) >= 2 or (line[1] - line[0] > 80 and _ends_terminal(text, line[0], line[1]))


def _brk002(ctx: _Ctx, out: list[Finding]) -> None:
    text = ctx.text
    by_line = ctx.by_line
    nlines = len(by_line)
    for li, (_line, sents) in enumerate(by_line):
        n = len(sents)
        if n == 1:
            # a one-sentence paragraph counts as body text only between two prose paragraphs
            if not (
                0 < li < nlines - 1
                and _prose_line(text, *by_line[li - 1])
                and _prose_line(text, *by_line[li + 1])
            ):
                continue
            n = 2 if not _is_title_case(text, ctx.words_in(*sents[0])) else 1  # headings: boilerplate
        for s, e in sents:
            words = ctx.words_in(s, e)
            if _brk002_candidate(text, s, e, words, n) and not _has_finite_verb(
                text, words, _is_title_case(text, words)
            ):
                frag = text[s:e]
                out.append(
                    Finding(
                        FAMILY,
                        "BRK002",
                        s,
                        e,
                        f"sentence without a verb: '{_short(frag)}'",
                        None,
                        "warning",
                    )
                )


_FINITE = frozenset(("pres3", "past", "irr"))
_PERSONAL_PRONOUNS = frozenset("i we you they he she it".split())
_HAVE = frozenset("has have had having 've".split())


def _brk003(ctx: _Ctx, out: list[Finding]) -> None:
    """Doubled verbs, one pass over the document's words (pairs never cross punctuation)."""
    text = ctx.text
    prev_f = ""
    prev_w = ""
    cache = _FORM_CACHE
    for i, (s2, e2) in enumerate(ctx.words):
        w2 = text[s2:e2]
        f2 = cache.get(w2)
        if f2 is None:
            f2 = verb_form(w2) if w2.islower() else ""
        if f2 in _FINITE and prev_f in _FINITE and i + 1 < len(ctx.words):
            _check_double(ctx, i, prev_w, prev_f, w2, f2, out)
        prev_f = f2
        prev_w = w2


def _check_double(ctx: _Ctx, i: int, w1: str, f1: str, w2: str, f2: str, out: list[Finding]) -> None:
    text = ctx.text
    words = ctx.words
    s1, e1 = words[i - 1]
    s2, e2 = words[i]
    if text[e1:s2] != " " or w1 in _LINKING:
        return
    t1 = "s" if f1 == "pres3" or w1.endswith("s") else "d"
    t2 = "s" if f2 == "pres3" or w2.endswith("s") else "d"
    if t1 != t2:
        return
    if f1 == "irr" and f2 == "irr":
        return  # "hit cost", "cut set": too ambiguous
    if w1 in _AMBIGUOUS_IRR or (f2 == "irr" and w2 in _AMBIGUOUS_IRR):
        return  # "helped put her", "the hit topped"
    if i >= 2:
        p = text[words[i - 2][0] : words[i - 2][1]].lower()
        if p in _NOMINAL_CONTEXT or _SUFFIX_ADJ_RE.search(p):
            return  # "the plans cuts", "rising costs rose"
        if w1 in _CLAUSE_TAKING and p in _PERSONAL_PRONOUNS:
            return  # "which he claims proves", "that she believed strengthened"
        k = i - 2
        while k > 0 and (p in _ADVERBS or p.endswith("ly")):
            k -= 1
            p = text[words[k][0] : words[k][1]].lower()
        if p in _AUX and (p not in _HAVE or f1 != "past"):
            return  # "was introduced remained"; but "has continued jumped its" is doubled
    s3, e3 = words[i + 1]
    between = text[e2:s3]
    if between.strip() not in ("", "$", "£", "€"):
        return
    w3 = text[s3:e3].lower()
    numeric = w3[:1].isdigit() or bool(between.strip())
    if w1 in _CLAUSE_TAKING:
        if not (numeric or w3 in _STRICT_OBJECT):
            return
    elif not (numeric or w3 in _OBJECT_START):
        return
    out.append(Finding(FAMILY, "BRK003", s1, e2, f"two verbs in a row: '{w1} {w2}'", None, "warning"))


def _short(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


# --------------------------------------------------------------------------------------------
# BRK004: quotations
# --------------------------------------------------------------------------------------------

_QUOTE_MARK_RE = re.compile(r"[\"“”„«»]")
_OPENING_GLYPHS = "“„«"


def _quote_spans(text: str, ps: int, pe: int):
    """Yield (kind, pos) for quote marks in a paragraph: kind 'open'/'close'. The direction comes
    from the position (space before and a word after = opening; a word before and a space or
    punctuation after = closing), so „German“ and ”Nordic” conventions pair up; the glyph
    decides only when the position does not."""
    for m in _QUOTE_MARK_RE.finditer(text, ps, pe):
        c = m.group()
        i = m.start()
        before = text[i - 1] if i > ps else " "
        after = text[i + 1] if i + 1 < pe else " "
        if before.isdigit() and c == '"':
            continue  # 5' 10" (inches)
        if i > ps and before.isspace() and after.isspace():
            k = i - 1
            while k > ps and text[k].isspace():
                k -= 1
            yield ("close" if text[k] in ",.!?;:" else "open"), i
        elif before.isspace() or before in "([—–-" or i == ps:
            yield "open", i
        elif after.isspace() or after in ".,;:!?)]—–-" or i + 1 == pe:
            yield "close", i
        elif c in _OPENING_GLYPHS or (c == '"' and before in "([{"):
            yield "open", i
        else:
            yield "close", i


def _brk004(ctx: _Ctx, out: list[Finding]) -> None:
    text = ctx.text
    paras = ctx.doc.paragraphs
    for pi, (ps, pe) in enumerate(paras):
        stack: list[int] = []
        unmatched_close: list[int] = []
        for kind, pos in _quote_spans(text, ps, pe):
            if kind == "open":
                if stack:
                    # A second opening before a close. At a sentence start this is the
                    # multi-paragraph convention with the paragraphs run together: fine.
                    if not _at_sentence_start(text, pos, ps):
                        _check_unclosed(ctx, paras, pi, stack[-1], pos, out, nested=True)
                    stack.clear()
                stack.append(pos)
            else:
                if stack:
                    _check_split_quote(ctx, stack.pop(), pos, out)
                else:
                    unmatched_close.append(pos)
        if stack and not _next_para_closes_first(text, paras, pi):
            _check_unclosed(ctx, paras, pi, stack[-1], pe, out, nested=False)
        for pos in unmatched_close:
            # a paragraph continuing a multi-paragraph quote may legally close without opening
            if pi > 0 and _para_has_unclosed(ctx, paras[pi - 1]):
                continue
            if pos == ps:
                continue
            out.append(
                Finding(
                    FAMILY,
                    "BRK004",
                    pos,
                    pos + 1,
                    "closing quotation mark without an opening one",
                    None,
                    "info",
                )
            )


def _next_para_closes_first(text: str, paras, pi: int) -> bool:
    """The next paragraph's first quote mark closes: one quotation runs across a paragraph break
    (copy re-flowed into new paragraphs, one segment per line); the close is then excused by
    :func:`_para_has_unclosed`, so neither half is reported."""
    if pi + 1 >= len(paras):
        return False
    ns, ne = paras[pi + 1]
    for kind, _ in _quote_spans(text, ns, ne):
        return kind == "close"
    return False


def _at_sentence_start(text: str, pos: int, ps: int) -> bool:
    k = pos - 1
    while k >= ps and text[k].isspace():
        k -= 1
    if k < ps:
        return True
    while k >= ps and text[k] in _CLOSERS:
        k -= 1
    return k >= ps and text[k] in _TERMINAL


def _para_has_unclosed(ctx: _Ctx, para: tuple[int, int]) -> bool:
    depth = 0
    for kind, _ in _quote_spans(ctx.text, para[0], para[1]):
        depth = depth + 1 if kind == "open" else max(0, depth - 1)
    return depth > 0


def _check_unclosed(ctx: _Ctx, paras, pi: int, pos: int, end: int, out: list[Finding], nested: bool) -> None:
    text = ctx.text
    if not nested and pi + 1 < len(paras):
        ns = paras[pi + 1][0]
        if text[ns] in '"“„«':
            return  # multi-paragraph quotation
    # opening quote right at the paragraph start that is a heading-like quote? keep: report info
    out.append(
        Finding(
            FAMILY,
            "BRK004",
            pos,
            min(end, pos + 1 + len(_short(text[pos + 1 : end], 40))),
            "quotation opened but never closed",
            None,
            "info",
        )
    )


_INNER_SPLIT_RE = re.compile(r"[a-z0-9,]\.\s+([A-Z][\w'’\-]*)")


def _check_split_quote(ctx: _Ctx, qs: int, qe: int, out: list[Finding]) -> None:
    """A partial quotation (lower-case start, opened mid-sentence) whose last piece is a new
    short sentence: `to “see ... tough questions. The military needs to ask.”`."""
    text = ctx.text
    if qe - qs < 20:
        return
    first = text[qs + 1 : qs + 2]
    if not first.islower():
        return
    # opened mid-sentence: the text before the quote on the line does not end a sentence
    k = qs - 1
    while k >= 0 and text[k] == " ":
        k -= 1
    if k < 0 or text[k] in ".!?\n:":
        return
    inner = text[qs + 1 : qe]
    last = None
    for m in _INNER_SPLIT_RE.finditer(inner):
        last = m
    if last is None:
        return
    tail_start = qs + 1 + last.start(1)
    tail = text[tail_start:qe]
    nwords = len(tail.split())
    if nwords > 6 or nwords < 2:
        return
    if not _ends_terminal(text, tail_start, qe):
        return
    if last.group(1) in ("I", "Mr", "Mrs", "Ms", "Dr"):
        return
    dot = qs + 1 + last.start(1)
    while dot > qs and text[dot - 1] != ".":
        dot -= 1
    out.append(
        Finding(
            FAMILY,
            "BRK004",
            dot - 1,
            qe + 1,
            "quotation split mid-sentence: a short new sentence inside a partial quote",
            None,
            "warning",
        )
    )


# --------------------------------------------------------------------------------------------
# BRK005: truncation
# --------------------------------------------------------------------------------------------


def _proseish(text: str, words: list[tuple[int, int]]) -> bool:
    if not words:
        return False
    lower = sum(1 for a, _ in words if text[a].islower())
    return lower * 2 >= len(words)


def _brk005(ctx: _Ctx, out: list[Finding]) -> None:
    text = ctx.text
    by_line = ctx.by_line
    flagged_lines = set()
    for li, (_line, sents) in enumerate(by_line):
        if len(sents) < 2:
            continue
        s, e = sents[-1]
        if _ends_terminal(text, s, e):
            continue
        last = text[_last_visible(text, s, e)]
        if not (last.isalnum() or last in ",-"):
            continue
        words = ctx.words_in(s, e)
        last_line = li == len(by_line) - 1
        if len(words) < (1 if last_line else 4) or not (last_line or _proseish(text, words)):
            continue
        if not all(_ends_terminal(text, a, b) for a, b in sents[:-1]):
            continue
        cont = li + 1 < len(by_line) and not text[by_line[li + 1][0][0]].isupper()
        _report_trunc(ctx, s, e, words, out, continued=cont)
        flagged_lines.add(li)
    # the document's last prose paragraph stops mid-sentence
    if not by_line:
        return
    li = len(by_line) - 1
    if li in flagged_lines:
        return
    (ls, le), sents = by_line[li]
    if len(sents) != 1 or len(by_line) < 2:
        return
    s, e = sents[0]
    if _ends_terminal(text, s, e):
        return
    lastc = text[_last_visible(text, s, e)]
    if not (lastc.isalnum() or lastc in ","):
        return
    words = ctx.words_in(s, e)
    if len(words) < 8 or not _proseish(text, words):
        return
    if text[s].islower() or _SIGNOFF_RE.match(text[s:e]):
        return
    if not _has_finite_verb(text, words, strict=True):
        return  # a caption or label ("Rescue workers near the harbour wall on Monday")
    # the document must have prose before it (at least two earlier lines ending a sentence)
    prose_before = sum(1 for (a, b), ss in by_line[:-1] if b - a > 40 and _ends_terminal(text, a, b))
    if prose_before < 1:
        return
    _report_trunc(ctx, s, e, words, out)


def _report_trunc(ctx: _Ctx, s: int, e: int, words, out: list[Finding], continued: bool = False) -> None:
    ws, we = words[-1]
    start = words[-3][0] if len(words) >= 3 else s
    last = ctx.text[ws:we]
    if continued:  # the next line carries on in lower case: text lost at a line break
        msg = f"sentence breaks off after '{last}' and resumes on a new line (text missing)"
    else:
        msg = f"text stops mid-sentence after '{last}' (truncated)"
    out.append(Finding(FAMILY, "BRK005", start, e, msg, None, "warning"))


# --------------------------------------------------------------------------------------------


def detect(text: str | Document) -> list[Finding]:
    doc = as_document(text)
    if not doc.text.strip():
        return []
    ctx = _Ctx(doc)
    out: list[Finding] = []
    _brk001(ctx, out)
    _brk002(ctx, out)
    _brk003(ctx, out)
    _brk004(ctx, out)
    _brk005(ctx, out)
    # BRK002 on the piece after a BRK001 break duplicates the evidence: drop it
    breaks = [f.end for f in out if f.code == "BRK001"]
    if breaks:
        out = [f for f in out if not (f.code == "BRK002" and any(f.start <= b <= f.end for b in breaks))]
    out.sort(key=lambda f: (f.start, f.end, f.code))
    return out
