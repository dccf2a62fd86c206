"""General English the answerer relies on, as data: one place, no names of any corpus.

Reporting verbs say who is speaking; titles and role nouns describe speakers; question
words and head nouns say what kind of thing a question asks for. Everything specific to
a corpus (who is a person, which word is a place) comes from the NLP model instead.
"""

from __future__ import annotations

# Verbs that report speech ("X said", "X warned that ..."), in the forms news uses.
REPORTING_VERBS = (
    "said says saying stressed stressing noted noting added adding emphasized emphasised emphasizing "
    "emphasising reiterated questioned insisted wrote warned warning stated stating told explained suggested "
    "mentioned alleged anticipated threatened reacted slammed slamming clarified commented inferred argued "
    "claimed asked replied responded announced urged described declared remarked acknowledged confirmed denied "
    "expressed reaffirmed repeated quoted cautioned criticized criticised called accused vowed pledged affirmed "
    "speculated tweeted posted admitted predicted revealed recalled conceded observed "
    "say state clarify stress note warn add emphasize emphasise explain insist reiterate question comment"
).split()

# Reporting verbs that also follow the speaker's name ("..., said Smith").
REPORTING_VERBS_BEFORE_NAME = "said says added wrote stressed noted insisted asked told explained".split()

# Adverbs and auxiliaries that may stand between a speaker and the reporting verb.
SPEECH_ADVERBS = (
    "also further then has had have promptly strongly reportedly later again continued to went on to"
).split()

# Nouns that describe a speaker's role; a role noun in a question ("the ambassador") picks speakers.
ROLE_NOUNS = (
    "diplomat ambassador envoy minister ministry spokesman spokeswoman spokesperson president leader official "
    "government newspaper chairman chairwoman chair secretary chief head governor mayor senator lawmaker "
    "representative director executive ceo founder coach manager judge prosecutor commissioner"
).split()

# Role nouns that cover many others ("which official" may be a minister, a mayor or a judge).
GENERIC_ROLES = frozenset("official leader representative executive chief head".split())

# Role nouns that stand for the same role ("the envoy" may be called "the ambassador").
ROLE_EQUIVALENTS = {
    "diplomat": ("ambassador", "envoy", "diplomat"), "envoy": ("ambassador", "envoy", "diplomat"),
    "ambassador": ("ambassador", "envoy", "diplomat"),
    "spokesman": ("spokesman", "spokesperson", "spokeswoman"),
    "spokeswoman": ("spokeswoman", "spokesperson"), "spokesperson": ("spokesperson", "spokesman", "spokeswoman"),
    "chairman": ("chairman", "chair", "chairwoman"), "chief": ("chief", "head"), "head": ("head", "chief"),
}

# Nouns naming a body rather than a person: "the ministry said" is an institution speaking.
BODY_NOUNS = "ministry government office department agency committee council administration cabinet".split()

# Words in a title before a name ("Foreign Minister", "former Deputy Prime Minister").
TITLE_WORDS = frozenset(
    ROLE_NOUNS
    + "deputy vice former acting senior general prime foreign defense defence national security interior "
      "finance state affairs of the to".split()
)

# Honorifics that may precede a person's name.
HONORIFICS = frozenset("mr mrs ms miss dr prof sir dame lord lady rev gen col capt sgt lt".split())

# Capitalised words that open a sentence or a phrase without naming anyone.
CAPITALISED_FUNCTION_WORDS = frozenset(
    """the a an in on at for and but if as it its this that these those there their they he she we our his her
    unfortunately however meanwhile regarding since when while after before during such last earlier later
    then also according monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december""".split()
)

# Words that shape a question without being its subject ("the date", "according to the report").
QUESTION_WORDS = frozenset(
    """what who whom whose which when where why how did does do is are was were has have had can could would
    should will and or but about the a an according on in at for to from by under since as if after before
    during between""".split()
)

# The words that open what a question asks ("which team", "who", "how many").
WH_WORDS = frozenset("what which who whom whose where when why how".split())

# What a wh-word alone asks for, as spaCy entity labels (best first).
WH_LABELS = {
    "who": ("PERSON", "ORG"),
    "whom": ("PERSON", "ORG"),
    "whose": ("PERSON", "ORG"),
    "where": ("GPE", "LOC", "FAC", "ORG"),
    "when": ("DATE", "TIME", "EVENT"),
    "how many": ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"),
    "how much": ("MONEY", "PERCENT", "QUANTITY", "CARDINAL"),
    "how long": ("DATE", "TIME", "QUANTITY"),
    "how old": ("DATE", "CARDINAL"),
    "how far": ("QUANTITY",),
}

# Head nouns of "which X" / "what X" questions, grouped by the entity label that answers them.
# A head noun not listed here is matched to these by meaning (embedding similarity).
HEAD_NOUN_LABELS = {
    "PERSON": "person man woman people actor actress singer rapper player athlete star superstar celebrity politician "
              "leader president candidate author writer director artist musician comedian host judge coach "
              "character member official chief executive billionaire founder scientist footballer boxer pope king "
              "queen prince princess monarch bishop priest dancer model chef designer broadcaster senator lawmaker governor "
              "mayor quarterback pitcher goalkeeper striker golfer skier swimmer astronaut novelist poet journalist "
              "reporter",
    "ORG": "company firm business brand chain retailer team club organization organisation group band party "
           "agency network broadcaster newspaper union university school college bank airline studio label "
           "league court committee government manufacturer maker carrier platform",
    "GPE": "country nation state city town capital province region county village territory kingdom republic",
    "LOC": "continent ocean sea river lake mountain island coast area desert valley planet",
    "FAC": "venue building stadium airport bridge arena hotel prison museum park station",
    "NORP": "nationality religion ethnicity community",
    "WORK_OF_ART": "film movie show series book novel song album play painting documentary cartoon sitcom "
                   "musical comedy drama opera poem",
    "EVENT": "event holiday festival tournament championship war storm hurricane election race award ceremony",
    "PRODUCT": "product device phone car vehicle app software drug vaccine model rocket aircraft weapon game",
    "LAW": "law act bill treaty regulation policy amendment agreement pact accord deal",
    "LANGUAGE": "language",
    "DATE": "date day year month week decade century season",
    "TIME": "time hour",
    "MONEY": "price cost amount fee fine salary budget sum",
    "PERCENT": "percentage rate share",
    "CARDINAL": "number count total",
}

# The kinds of place a question may ask for, by the nouns that ask for each: a candidate place is
# judged by which kind's name it is closest to in meaning ('Ohio' ~ 'state', 'Lima' ~ 'city').
PLACE_KINDS = {
    "country": "country nation kingdom republic",
    "state": "state province",
    "city": "city town capital village",
}

# Entity labels that name something (as opposed to a date or a figure).
NAME_LABELS = frozenset("PERSON ORG GPE LOC FAC NORP WORK_OF_ART EVENT PRODUCT LAW LANGUAGE".split())
# Entity labels that are a quantity or a point in time.
VALUE_LABELS = frozenset("DATE TIME MONEY PERCENT QUANTITY CARDINAL ORDINAL".split())
# Labels that may stand for one another when a question's expected type is uncertain.
LABEL_NEIGHBOURS = {
    "GPE": ("LOC", "FAC"), "LOC": ("GPE", "FAC"), "FAC": ("LOC", "ORG", "GPE"), "ORG": ("PRODUCT", "FAC"),
    "PRODUCT": ("ORG", "WORK_OF_ART"), "WORK_OF_ART": ("PRODUCT", "EVENT", "ORG"), "EVENT": ("WORK_OF_ART", "DATE"),
    "PERSON": ("ORG",), "NORP": ("GPE",), "CARDINAL": ("QUANTITY", "MONEY", "PERCENT"),
    "QUANTITY": ("CARDINAL",), "MONEY": ("CARDINAL",), "DATE": ("TIME",), "TIME": ("DATE",),
}

# Words that ask about time relative to now ("the latest", "this week"): prefer recent articles.
RECENCY_WORDS = frozenset(
    "now latest recent recently currently current today tonight yesterday new newest newly this week month "
    "year next upcoming".split()
)

# Irregular English verbs, each line the forms of one verb ("win won"): a question asking who won
# finds "Roe wins", and one asking when she won her first title finds "won her first". Forms that are
# as often another word ("found", "left", "saw", "rose", "felt", "lay") are left out.
IRREGULAR_VERBS = """
win won | lead led | beat beaten | buy bought | sell sold | hold held | meet met | run ran
take took taken | give gave given | make made | send sent | spend spent | pay paid | think thought
bring brought | build built | choose chose chosen | fall fell fallen | fly flew flown | grow grew grown
know knew known | see seen | shoot shot | sink sank sunk | speak spoke spoken | steal stole stolen
strike struck stricken | swim swam swum | throw threw thrown | wear wore worn | write wrote written
begin began begun | break broke broken | drive drove driven | eat ate eaten | get got gotten | go went gone
keep kept | lose lost | sit sat | stand stood | teach taught | catch caught | fight fought | hear heard
lend lent | mean meant | ride rode ridden | ring rang rung | seek sought | shake shook shaken
sing sang sung | sleep slept | spin spun | stick stuck | swear swore sworn | sweep swept | swing swung
tear tore torn | wake woke woken | bite bitten | bleed bled | blow blew blown | draw drew drawn | feed fed
flee fled | forget forgot forgotten | forgive forgave forgiven | freeze froze frozen | hang hung
hide hid hidden | rise risen | arise arose arisen | sell sold | withdraw withdrew withdrawn
undergo underwent undergone | overtake overtook overtaken | forecast forecast | dig dug | slide slid
"""

# Regular English plural endings and what each becomes in the singular, tried in order ("cities" -> "city").
PLURAL_ENDINGS = (("ies", "y"), ("ses", "s"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("s", ""))

# Words after "how" that ask for a measure ("how many", "how long"), not for an account of what happened.
# Adjectives that rank like a superlative but are not tagged as one ('the first celebration', 'the last World Cup').
RANKING_ADJECTIVES = frozenset("first last second third".split())

HOW_MEASURES = frozenset("many much long old far often soon big large tall high fast early late".split())

# The kind of answer named by a few question frames that have no entity label.
BYLINE_QUESTION_NOUNS = frozenset("author reporter writer journalist correspondent byline".split())
OUTLET_QUESTION_NOUNS = frozenset(
    "outlet newspaper paper agency publication broadcaster daily wire media".split()
)

# Words that negate a statement: a sentence that says "did not" does not confirm a claim that "did".
NEGATIONS = frozenset("not no never nor neither none n't cannot without denied denies deny refused".split())

# Words that make a statement a possibility, a plan or someone's suggestion: "X was considering sending
# weapons" does not confirm that X sent them.
HEDGES = frozenset("may might could would should suggest suggested suggests suggesting considering consider considers "
                   "considered possibility possible possibly rumor rumors rumour rumours reportedly allegedly plan plans "
                   "planned planning if whether expected expects likely unlikely potential potentially".split())

# How a quiz-style yes/no question marks the claim it asks about ("True or false: ...", "Is it true that ...").
TRUE_OR_FALSE = r"true\s+or\s+false|false\s+or\s+true"
IS_IT_TRUE = r"is\s+it\s+true\s+that"

# Capitalised words of a date that name no day of their own ("September", "last Monday", "Sept.").
CALENDAR_WORDS = frozenset(
    """january february march april may june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday last next this
    early late mid""".split()
)

# Numbers written as words ("for eight years", "two dozen").
NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
                "million billion dozen half").split()

# Words just before a place that make it where something happened ("in Paris", "visited the U.K."),
# not a place merely mentioned.
LOCATIVE_WORDS = "in at near from to into inside outside of visit visits visited visiting toured reached".split()
# Of those, the ones that name the place itself as where it happened ("launched from X", "held in X"),
# not a place related some other way ("sanctions on X", "the capital of X", "a message to X") ...
SITE_WORDS = frozenset(LOCATIVE_WORDS) - {"to", "of"}
# ... and the phrases that make a forum, summit or other gathering the place ("on the sidelines of the X Forum").
VENUE_PHRASES = ("on the sidelines of", "held in", "held at", "hosted by", "during")

# "How many times ...": the counted noun is any occasion ("five Final Four trips", "three titles").
FREQUENCY_NOUNS = frozenset("time occasion".split())

# How English makes an adjective of a place's name ("Scott-ish", "Israel-i", "Chin-ese", "Russi-an").
DEMONYM_ENDINGS = ("ish", "ian", "ean", "ese", "an", "ic", "i")
# What a place's name may add to its adjective's stem, or to the whole adjective ("Valdor-a" from "Valdorese", "Norlandi-a").
PLACE_NAME_ENDINGS = ("a", "y", "ia", "e", "o", "")

# Abstract nouns that articles paraphrase rather than repeat ("the cause" is "started by ..."):
# a "What is the N of X?" question with one of these does not need N in its evidence.
ABSTRACT_NOUNS = frozenset(
    """cause reason result outcome purpose goal aim impact effect consequence response reaction verdict
    status situation state condition problem issue point message meaning significance motive decision plan
    idea process change difference advantage benefit risk danger concern question answer""".split()
)

# Words that shape a question, not its subject: a date need not sit next to "date" (stemmed when used).
QUESTION_FRAME_WORDS = ("long many much date day week year month time when number figure amount report reports "
                        "article story news according place where happen happened take took newspaper "
                        "agency outlet paper publication give gave wrote author")

# Nouns that only frame the real head: "the name of X", "which part of X".
FRAMING_NOUNS = frozenset("name title form part piece".split())
# "What kind of aid": asks for a description ("humanitarian"), not a named thing.
DESCRIPTION_NOUNS = frozenset("kind type sort".split())

# The auxiliaries a yes-or-no question opens with ('Did the council approve ...?').
POLAR_OPENERS = frozenset("did does do is are was were has have had will would can could".split())

# Role words that pick out one speaker ("the envoy said"), as a question's target (stemmed when used).
SPEAKER_ROLE_WORDS = ("ambassador envoy diplomat spokesman spokeswoman spokesperson president minister chairman "
                      "leader deputy ministry official chief secretary head")
# Targets too generic to pick a speaker: "what did officials say" asks for whoever speaks for the side.
GENERIC_SPEAKERS = frozenset("official officials government side leader leadership authority authorities".split())
# Words of a question about who wrote the article: a byline line answers it.
BYLINE_WORDS = frozenset("wrote write written report reporter author byline journalist story article".split())
