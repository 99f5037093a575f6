"""Shared word lists, patterns and token helpers of the repetition family (REP001, REP002)."""

from __future__ import annotations

import re

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


# Between a loop's first copy and the comma before its second copy: plain words only.
_PLAIN_GAP_RE = re.compile(r"[\w\s'’\-]*")
_LOOP_SEP_RE = re.compile(r"\s*(?:[,;]|[\-–—])\s*")
_CLAUSE_PUNCT_BEFORE_RE = re.compile(r"""[,;:(\[“‘"'\-–—]\s*$""")
_PUNCT_AFTER_RE = re.compile(r"""\s*(?:[,;:.!?…)\]”"]|$)""")


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")
