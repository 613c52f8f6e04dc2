"""The default label taxonomy every new project starts with."""

DEFAULT_LABELS = [
    {
        "code": "CLAIM",
        "name": "Claim",
        "kind": "claim",
        "color": "#c2410c",
        "shortcut": "c",
        "description": "A statement presented as true that could be checked or disputed.",
        "subtypes": [
            ("factual", "Factual", "Asserts something about the world that evidence could settle."),
            ("causal", "Causal", "Asserts that one thing caused or will cause another."),
            ("predictive", "Predictive", "Asserts what will happen."),
            ("normative", "Normative", "Asserts what should be done."),
        ],
    },
    {
        "code": "EVIDENCE",
        "name": "Evidence",
        "kind": "evidence",
        "color": "#15803d",
        "shortcut": "e",
        "description": "Material offered in support of or against a claim.",
        "subtypes": [
            ("statistic", "Statistic", "Numbers, counts, measurements."),
            ("document", "Document or report", "A named report, law, filing or publication."),
            ("quote", "Direct quote or testimony", "Someone's words, quoted or reported."),
            ("expert", "Expert", "An appeal to a named expert or body."),
            ("anecdote", "Anecdote", "A single story or example."),
        ],
    },
    {
        "code": "OPINION",
        "name": "Opinion",
        "kind": "opinion",
        "color": "#7c3aed",
        "shortcut": "o",
        "description": "A judgement or value statement presented as the writer's view.",
        "subtypes": [],
    },
    {
        "code": "HEDGE",
        "name": "Hedge",
        "kind": "hedge",
        "color": "#0369a1",
        "shortcut": "h",
        "description": "Wording that qualifies, distances or insinuates rather than asserts.",
        "subtypes": [
            ("modal", "Epistemic modal", "Might, may, could, possibly."),
            ("vague_attribution", "Vague attribution", '"Widely considered", "experts say", "some believe".'),
            ("insinuation", "Insinuation", '"Implied", "strongly implied", "innuendo".'),
            # Appended, not inserted after "modal": the digit keys pick subtypes by position.
            (
                "speculation",
                "Speculation",
                '"Seems", "suspected", "it\'s unclear", "it can only be speculated".',
            ),
        ],
    },
]
