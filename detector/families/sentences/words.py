"""Word lists and verb morphology of the broken-sentence family (hand-written, news register)."""

from __future__ import annotations

import re

from ...memo import CappedMemo

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
# "word. lowercase": a full stop after a word character, ")" or "%" (checked by a lookbehind
# after the dot, so the regex engine skips to full stops), optional closers, spaces, a lower-case
# word. Group 1 is empty, at the dot.
_DOT_LOWER_RE = re.compile(r"()\.(?<=[\w)%]\.)([\"'”’)\]]*)[ \t]+([a-z][\w'’\-]*)")
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


# The lemmas of _VERB_LEMMAS that WordNet 3.0 (via the Debian mythes-en-us thesaurus) lists with
# verb senses only: their -s form cannot be a plural noun, so "the clinic remembers", "the animal
# weighs" have a finite verb whatever the word before looks like. Generated once from
# th_en_US_v2.dat (338 of 835 lemmas).
_VERB_ONLY_LEMMAS = frozenset(
    """
    accept accompany accuse achieve acknowledge acquire adjust admit adopt advise affirm agree
    allege allow alter amass amend analyse announce anticipate appear apply appoint approve
    argue arrange arrive ask assert assess assume assure attend attract authorise avoid become
    believe belong bless borrow bring bury calculate celebrate choose commit compensate compete
    compile complain complicate comply compose concede conclude condemn confer confirm confront
    connect consider consolidate consult consume contain continue contribute convince create
    criticise criticize decide declare dedicate defend defy delete deliver demolish demonstrate
    denounce deny depart depend deploy describe deserve destroy detain detect determine develop
    devote disagree disappear disclose discourage discover discuss dismiss disrupt distribute
    dominate donate drown dub earn educate eliminate emerge emphasise emphasize enable encourage
    endorse endure enforce engage enhance enjoy enlist ensure enter erupt escalate establish
    evacuate evaluate evolve examine exceed exclude execute exist expand expect explain explode
    extend fail finalise flee follow forget frustrate generate govern greet grow halve happen
    heal hear identify ignore illustrate imagine imply impose imprison improve include indicate
    inform inherit inject injure insist inspect inspire install integrate intend introduce
    invade invent invest investigate involve justify kidnap languish learn lend liken locate
    lose maintain manage merge mislead mobilise mobilize negotiate nominate observe obtain
    occupy occur offend operate oppose organise organize oust outpace outperform overcome
    oversee overtake owe participate perform persuade plead possess postpone pour pray preach
    predict prefer prepare preside prevent proceed proclaim prohibit promote pronounce propel
    propose prosecute protect prove provide provoke publish punish qualify quit react realise
    realize reassure rebuild receive reclaim recognise recognize recommend recover rectify
    redeem reduce refer reflect regain regulate reinforce reiterate relate relax relieve
    relocate rely remain remember remind renew reorganise repay replace represent reproduce
    require resemble reside resign resist respond restore restrict retain retire reveal revive
    rob seem seize send sing sit solve speak spend stimulate streamline strengthen stun submit
    succeed suffer suggest summarise summon supervise suppose surpass survive suspend sustain
    swear tend thank threaten tighten tolerate transform translate undergo undermine underpin
    understand unite unlock unveil uphold vanish vary warn weaken weigh widen wield withdraw
    write
    """.split()
)


def pres3_of_verb_only(w: str) -> bool:
    """Is ``w`` the -s form of a verb that is never a noun or adjective (``_VERB_ONLY_LEMMAS``)?"""
    if not w.endswith("s"):
        return False
    for lem in _lemma_candidates(w):
        if lem in _VERB_LEMMAS:
            return lem in _VERB_ONLY_LEMMAS
    return False


_FORM_CACHE = CappedMemo()


def verb_form(w: str) -> str:
    """Classify a lower-case token: 'aux', 'past', 'pres3' (3rd-person -s), 'irr' (irregular
    finite), 'base' (lemma), or '' (not a known verb form)."""
    f = _FORM_CACHE.get(w)
    if f is None:
        f = _FORM_CACHE(w, _verb_form)
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
