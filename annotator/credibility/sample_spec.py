"""The hand-made sample layer of the five seed documents, as quotes (never offsets).

``build_sample_layer`` turns this into seeds/sample_layer.json: it finds each
quote in the seed text (whitespace in a quote matches any whitespace, so a
no-break space in the text is found and kept), computes code-point offsets
in Python and checks ``quote == text[start:end]``. A quote must be unique in
its search range (the document, or the span named by ``within``) unless
``occurrence`` picks one.

Each document has the reviewer's gold layer; annotator1 and annotator2 start
from it and differ where real annotators would: a missed span, another
subtype, a wider or narrower boundary, an extra span, a missing link.
"""

SPEAKERS = {
    "Zamir Kabulov": "person",
    "Russian government": "government",
    "Valdai Club": "organisation",
    "Regional governments": "government",
    "Unnamed observers": "anonymous",
    "National Security Committee of Pakistan": "government",
    "Rana Sanaullah": "person",
    "Unnamed officials": "anonymous",
    "CNN": "outlet",
    "Michael Kugelman": "person",
    "Taliban government": "government",
    "Imran Khan": "person",
}

# (id, label, subtype, quote, options); options: occurrence (0-based), within (span id)
DOCUMENTS = {
    "000_3ebc57de493f7aab.txt": {
        "spans": [
            (
                "c1",
                "CLAIM",
                "causal",
                "regional security is jeopardized as a result, which in turn endangers "
                "Pakistan’s own objective interests",
                {"occurrence": 1},
            ),
            (
                "e1",
                "EVIDENCE",
                "quote",
                "“The Americans are openly blackmailing Taliban leaders, threatening them "
                "with a drone attack and forcing them to distance themselves from Russia and China",
                {},
            ),
            ("h1", "HEDGE", "insinuation", "very strongly implied", {}),
            (
                "c2",
                "CLAIM",
                "factual",
                "Pakistan is colluding with the US with respect to the latter’s blackmail "
                "scheme against the Taliban",
                {},
            ),
            (
                "c3",
                "CLAIM",
                "factual",
                "which just unsuccessfully attempted to assassinate former Prime Minister Imran Khan",
                {},
            ),
            (
                "c4",
                "CLAIM",
                "factual",
                "continues at the very least “passively facilitating” those attacks",
                {},
            ),
            ("h2", "HEDGE", "vague_attribution", "like it’s suspected of doing in early August", {}),
            ("c5", "CLAIM", "factual", "the People’s Republic is adamantly opposed to the ETIM", {}),
            ("e2", "EVIDENCE", "document", "Pakistan has also designated that organization accordingly", {}),
            (
                "c6",
                "CLAIM",
                "factual",
                "Russia has recently emerged as the Taliban’s preferred geo-economic partner",
                {},
            ),
            ("c7", "CLAIM", "predictive", "the post-modern coup regime might still be jealous of it", {}),
            ("h3", "HEDGE", "modal", "might", {"within": "c7"}),
            (
                "e3",
                "EVIDENCE",
                "anecdote",
                "the last one of which Russia worried worsened regional security",
                {},
            ),
            (
                "o1",
                "OPINION",
                None,
                "This extremely reckless policy isn’t even popular with the Pakistani masses",
                {},
            ),
            (
                "c8",
                "CLAIM",
                "causal",
                "it’s being promulgated anyhow because America has successfully captured its elite",
                {},
            ),
            (
                "o2",
                "OPINION",
                None,
                "The tragedy that’s unfolding is that the US is regrettably making progress on "
                "transforming Pakistan",
                {},
            ),
        ],
        "relations": [
            ("e1", "supports", "c2"),
            ("e1", "attributed_to", "@Zamir Kabulov"),
            ("c2", "attributed_to", "@Zamir Kabulov"),
            ("h1", "qualifies", "c2"),
            ("h2", "qualifies", "c4"),
            ("e2", "attacks", "c4"),
            ("e3", "supports", "c1"),
            ("e3", "attributed_to", "@Russian government"),
            ("h3", "qualifies", "c7"),
        ],
        "annotator1": {"drop": ["e2", "o2"], "subtype": {"e3": "document"}},
        "annotator2": {
            "drop": ["c3", "h2"],
            "label": {"o1": "CLAIM"},
            "extra": [("x1", "HEDGE", "modal", "might mean", {})],
        },
    },
    "001_64165a36e853f229.txt": {
        "spans": [
            (
                "c1",
                "CLAIM",
                "causal",
                "Russia’s decision to de-list the Afghan Taliban is, at its core, a response to "
                "mounting security threats within the region",
                {},
            ),
            (
                "e1",
                "EVIDENCE",
                "anecdote",
                "The March 2024 attack on a Moscow concert hall, attributed to ISIS-K",
                {},
            ),
            ("c2", "CLAIM", "normative", "Russia’s shift in stance can be seen as a strategic necessity", {}),
            ("h1", "HEDGE", "modal", "can be seen as", {"within": "c2"}),
            (
                "c3",
                "CLAIM",
                "factual",
                "The Taliban’s ongoing support for groups like the Tehreek-e-Taliban "
                "Pakistan, which has been wreaking havoc on Pakistan’s soil, cannot be ignored",
                {},
            ),
            (
                "e2",
                "EVIDENCE",
                "anecdote",
                "These cross-border incursions have caused immense loss of life and destabilized the region",
                {},
            ),
            (
                "o1",
                "OPINION",
                None,
                "What is particularly troubling about Russia’s decision is the apparent "
                "disregard for the views and concerns of neighbouring countries",
                {},
            ),
            (
                "e3",
                "EVIDENCE",
                "quote",
                "Pakistan, Iran, and the Central Asian republics have all voiced concerns "
                "about the Taliban’s role in exacerbating regional instability",
                {},
            ),
            (
                "c4",
                "CLAIM",
                "factual",
                "Russia has chosen to proceed without significant consultation with these stakeholders",
                {},
            ),
            (
                "c5",
                "CLAIM",
                "predictive",
                "this development may also present Pakistan with a unique opportunity",
                {},
            ),
            ("h2", "HEDGE", "modal", "may", {"within": "c5"}),
            (
                "c6",
                "CLAIM",
                "normative",
                "Islamabad must move from being a passive observer of this axis to becoming "
                "a decisive actor within it",
                {},
            ),
            (
                "e4",
                "EVIDENCE",
                "document",
                "Russia and Pakistan have agreed to bolster bilateral ties across diverse "
                "sectors, including energy, trade, defence, and connectivity",
                {},
            ),
            (
                "c7",
                "CLAIM",
                "factual",
                "the corridor from Moscow to Kabul via Islamabad is no longer symbolic but "
                "rapidly materializing into a functional axis",
                {},
            ),
            (
                "e5",
                "EVIDENCE",
                "expert",
                "the Valdai Club’s recent observations on the emerging ‘New World Dis-order’",
                {},
            ),
            (
                "c8",
                "CLAIM",
                "factual",
                "As Western hegemony wanes, regional powers are recalibrating their influence zones",
                {},
            ),
            ("o2", "OPINION", None, "This is a critical moment for Pakistan", {}),
        ],
        "relations": [
            ("e1", "supports", "c1"),
            ("h1", "qualifies", "c2"),
            ("e2", "supports", "c3"),
            ("e3", "supports", "c4"),
            ("e3", "attributed_to", "@Regional governments"),
            ("h2", "qualifies", "c5"),
            ("e4", "supports", "c7"),
            ("e5", "supports", "c8"),
            ("e5", "attributed_to", "@Valdai Club"),
        ],
        "annotator1": {
            "drop": ["h1", "o2"],
            "narrow": {"c3": "The Taliban’s ongoing support for groups like the Tehreek-e-Taliban Pakistan"},
        },
        "annotator2": {"drop": ["e5"], "subtype": {"e2": "statistic"}, "unlink": [("e4", "supports", "c7")]},
    },
    "002_b8e5c74f706f7181.txt": {
        "spans": [
            (
                "c1",
                "CLAIM",
                "factual",
                "Terror attacks from the Pakistani Taliban — aka the Tehreek-e-Taliban "
                "Pakistan or the TTP, who are ideologically affiliated with and politically backed by the Afghan "
                "Taliban — are increasing across Pakistan",
                {},
            ),
            (
                "e1",
                "EVIDENCE",
                "anecdote",
                "In the last two weeks, Pakistani intelligence operatives have been "
                "gunned down in the country’s biggest province, and a detention facility has been overtaken and "
                "officials held hostage",
                {},
            ),
            (
                "c2",
                "CLAIM",
                "factual",
                "were never truly the Pakistani puppets that many observers took them for granted as being",
                {},
            ),
            (
                "e2",
                "EVIDENCE",
                "anecdote",
                "they ultimately refused to cut ties with the TTP even after returning to power in Kabul",
                {},
            ),
            (
                "c3",
                "CLAIM",
                "causal",
                "Pakistani-Taliban tensions mostly remained manageable up until the "
                "US-orchestrated post-modern coup",
                {},
            ),
            (
                "c4",
                "CLAIM",
                "factual",
                "The US drone strike in Kabul in early August against the late Al Qaeda chief "
                "was widely considered to have been passively facilitated by Pakistan’s post-modern coup regime",
                {},
            ),
            ("h1", "HEDGE", "vague_attribution", "widely considered", {"within": "c4"}),
            (
                "c5",
                "CLAIM",
                "causal",
                "The Taliban shortly thereafter instrumentalized their TTP partners as "
                "anti-Pakistani Hybrid Warriors",
                {},
            ),
            (
                "o1",
                "OPINION",
                None,
                "Terrorism is terrorism no matter the justification or strategic intent behind it",
                {},
            ),
            (
                "o2",
                "OPINION",
                None,
                "Pakistan has every right to defend itself from such Afghan-emanating threats",
                {},
            ),
            (
                "o3",
                "OPINION",
                None,
                "Pakistan and the Taliban are equally to blame for catching themselves in a "
                "trap of their own making",
                {},
            ),
            (
                "c6",
                "CLAIM",
                "predictive",
                "The outbreak of a conventional Pakistani-Taliban conflict of any duration "
                "and intensity would likely ruin their relations for years",
                {},
            ),
            ("h2", "HEDGE", "modal", "would likely", {"within": "c6"}),
            (
                "c7",
                "CLAIM",
                "predictive",
                "The scenario of a conventional Pakistani-Taliban conflict only benefits the TPP and the US",
                {},
            ),
            (
                "c8",
                "CLAIM",
                "causal",
                "any decision to still go to war would likely be for ulterior reasons",
                {},
            ),
            ("h3", "HEDGE", "modal", "would likely", {"within": "c8"}),
        ],
        "relations": [
            ("e1", "supports", "c1"),
            ("e2", "supports", "c2"),
            ("h1", "qualifies", "c4"),
            ("c4", "attributed_to", "@Unnamed observers"),
            ("h2", "qualifies", "c6"),
            ("h3", "qualifies", "c8"),
        ],
        "annotator1": {"drop": ["o3"], "label": {"o2": "CLAIM"}},
        "annotator2": {"drop": ["h3", "e2"], "subtype": {"c5": "factual"}},
    },
    "003_53affd6920c61238.txt": {
        "spans": [
            (
                "c1",
                "CLAIM",
                "factual",
                "Pakistan has sent very strong signals lately that it’s seriously "
                "contemplating a “special military operation” in Afghanistan against TTP (“Pakistani Taliban”) "
                "terrorists",
                {},
            ),
            (
                "e1",
                "EVIDENCE",
                "quote",
                "“Pakistan’s security is uncompromisable and the full writ of the state will "
                "be maintained on every inch of the (sic) Pakistan’s territory.”",
                {},
            ),
            (
                "e2",
                "EVIDENCE",
                "quote",
                "Interior Minister Rana Sanaullah publicly implied that a cross-border "
                "operation is in the cards",
                {},
            ),
            ("h1", "HEDGE", "insinuation", "publicly implied", {"within": "e2"}),
            ("h2", "HEDGE", "vague_attribution", "unnamed official sources", {}),
            ("e3", "EVIDENCE", "quote", "“either you are with Pakistan or with the TTP.”", {}),
            ("e4", "EVIDENCE", "quote", "“Pakistan’s Taliban problem is America’s too”", {}),
            (
                "c2",
                "CLAIM",
                "factual",
                "the US seems to hope that it can exploit the Pakistani-Taliban security "
                "dilemma for dividing and ruling South Asia",
                {},
            ),
            ("h3", "HEDGE", "insinuation", "seems to hope", {"within": "c2"}),
            (
                "c3",
                "CLAIM",
                "factual",
                "America’s drone strike against the late Al Qaeda leader in Kabul in early "
                "August was widely considered to have been passively facilitated by Pakistan allowing its traditional "
                "ally to transit its airspace",
                {},
            ),
            ("h4", "HEDGE", "vague_attribution", "widely considered", {"within": "c3"}),
            (
                "c4",
                "CLAIM",
                "predictive",
                "The Taliban is therefore expected to violently react to any major "
                "Pakistani attack against their territory",
                {},
            ),
            ("e5", "EVIDENCE", "quote", "“provocative and baseless.”", {}),
            (
                "e6",
                "EVIDENCE",
                "expert",
                "concluded that Pakistan has “little choice but to launch military operations.”",
                {},
            ),
            ("o1", "OPINION", None, "Pakistan shouldn’t have any problems dealing with them", {}),
            (
                "c5",
                "CLAIM",
                "predictive",
                "any Pakistani special operation in Afghanistan is expected to mostly focus on airstrikes",
                {},
            ),
            ("h5", "HEDGE", "modal", "In all probability", {}),
        ],
        "relations": [
            ("e1", "supports", "c1"),
            ("e1", "attributed_to", "@National Security Committee of Pakistan"),
            ("e2", "supports", "c1"),
            ("e2", "attributed_to", "@Rana Sanaullah"),
            ("e3", "supports", "c1"),
            ("e3", "attributed_to", "@Unnamed officials"),
            ("e4", "supports", "c2"),
            ("e4", "attributed_to", "@CNN"),
            ("h3", "qualifies", "c2"),
            ("h4", "qualifies", "c3"),
            ("c3", "attributed_to", "@Unnamed observers"),
            ("e5", "supports", "c4"),
            ("e5", "attributed_to", "@Taliban government"),
            ("e6", "supports", "c5"),
            ("e6", "attributed_to", "@Michael Kugelman"),
            ("h5", "qualifies", "c5"),
        ],
        "annotator1": {"drop": ["h2", "e5"], "subtype": {"e6": "quote"}},
        "annotator2": {"drop": ["o1"], "unlink": [("e6", "supports", "c5")], "label": {"c4": "OPINION"}},
    },
    "004_f998963fd164dc02.txt": {
        "spans": [
            (
                "e1",
                "EVIDENCE",
                "quote",
                "the second’s Defense Minister just accused that neighboring state of being "
                "an American military proxy that allegedly allows US drones to transit its airspace en route to "
                "Afghanistan",
                {},
            ),
            ("h1", "HEDGE", "vague_attribution", "allegedly", {"within": "e1"}),
            (
                "c1",
                "CLAIM",
                "factual",
                "The abovementioned dynamics regrettably describe the present state of "
                "Pakistani-Taliban relations",
                {},
            ),
            (
                "h2",
                "HEDGE",
                "insinuation",
                "It can only be speculated how Pakistan planned to implement this in practice",
                {},
            ),
            (
                "c2",
                "CLAIM",
                "causal",
                "its intended method seemingly spooked the Taliban into suspecting that "
                "Islamabad had “hegemonic” motives",
                {},
            ),
            ("h3", "HEDGE", "modal", "seemingly", {"within": "c2"}),
            (
                "c3",
                "CLAIM",
                "causal",
                "That all suddenly changed after the US overthrew former Prime Minister Khan "
                "through its post-modern coup plot",
                {},
            ),
            (
                "o1",
                "OPINION",
                None,
                "Pakistan and India are perfect examples of what a security dilemma looks like in practice",
                {},
            ),
            (
                "c4",
                "CLAIM",
                "factual",
                "there was no credible chance of Pakistan ever hosting US military bases or "
                "even “passively facilitating” American drone strikes in Afghanistan",
                {},
            ),
            (
                "e2",
                "EVIDENCE",
                "quote",
                "its former leader famously replied “absolutely not” when asked about this "
                "scenario last summer",
                {},
            ),
            (
                "c5",
                "CLAIM",
                "factual",
                "America’s assassination of the Al Qaeda chief in Afghanistan was widely "
                "suspected to have been “passively facilitated” by Pakistan’s US-installed post-modern coup regime",
                {},
            ),
            ("h4", "HEDGE", "vague_attribution", "widely suspected", {"within": "c5"}),
            (
                "c6",
                "CLAIM",
                "causal",
                "senior TTP leaders started getting killed in Afghanistan too, which was "
                "likely the result of special operations by Pakistani intelligence and their local assets",
                {},
            ),
            ("h5", "HEDGE", "modal", "likely", {"within": "c6"}),
        ],
        "relations": [
            ("e1", "supports", "c1"),
            ("e1", "attributed_to", "@Taliban government"),
            ("h1", "qualifies", "c1"),
            ("h2", "qualifies", "c2"),
            ("h3", "qualifies", "c2"),
            ("e2", "supports", "c4"),
            ("e2", "attributed_to", "@Imran Khan"),
            ("h4", "qualifies", "c5"),
            ("c5", "attributed_to", "@Unnamed observers"),
            ("h5", "qualifies", "c6"),
        ],
        "annotator1": {"drop": ["h2", "o1"], "subtype": {"c3": "factual"}},
        "annotator2": {
            "drop": ["h1"],
            "narrow": {"c6": "senior TTP leaders started getting killed in Afghanistan too"},
        },
    },
}
