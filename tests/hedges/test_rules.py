"""Every rule of the hedge suggester on positive and negative sentences.

Each case names the sentence, then the cues expected in it as (text, kind,
rule); the test finds each cue's offsets in the sentence by hand (``str.find``)
and checks the suggester's offsets, kind and rule exactly. An empty list means
the sentence holds no cue (the trap must not fire).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.hedges.suggester import RULES, suggest

M, S, W, INS = "modal", "speculation", "weasel", "insinuation"

CASES = [
    # modal.might
    ("The offensive might begin before the monsoon.", [("might", M, "modal.might")]),
    ("Military might alone will not end the insurgency.", []),
    ("All isn't as simple as it might seem.", []),
    ("The envoy might soon likely resign.", [("might", M, "modal.might"), ("likely", M, "modal.likely")]),
    # modal.may
    ("Stability for one may mean insecurity for another.", [("may", M, "modal.may")]),
    ("Be that as it may, the talks resumed.", []),
    ("The talks resumed in May after a pause.", []),
    ("Theresa May visited Islamabad.", []),
    # modal.could
    ("The dispute could spark a wider conflict.", [("could", M, "modal.could")]),
    ("Such a move could be a turning point.", [("could", M, "modal.could")]),
    ("With Russian backing, Pakistan could push for tougher sanctions.", []),
    ("If the talks succeed, Kabul could compel the militants to disarm.", []),
    ("The army could not reach the village.", []),
    ("Oil prices could climb next year.", [("could", M, "modal.could")]),
    ("The government could raise taxes.", []),
    ("A sudden shock could overwhelm the state.", [("could", M, "modal.could")]),
    ("The first could rely on them, while the second could exploit them.", []),
    ("They armed the group in the hopes that it could deter an offensive.", []),
    # modal.should
    ("The shipment should arrive by the end of the week.", [("should", M, "modal.should")]),
    ("The government should release the detainees.", []),
    ("Should the talks fail, the crossings will close.", []),
    # modal.likely / probable / possible / potential / apparent
    ("The most likely outcome is a truce.", [("most likely", M, "modal.likely")]),
    ("It's likely that the truce holds.", [("It's likely", M, "modal.likely")]),
    ("The rules probably favour incumbents.", [("probably", M, "modal.probable")]),
    ("The most probable explanation is a shortage.", [("most probable", M, "modal.probable")]),
    ("It's possible that the convoy was diverted.", [("It's possible", M, "modal.possible")]),
    ("The visit was possibly the most important one.", [("possibly", M, "modal.possible")]),
    ("They want it built as soon as possible.", []),
    ("It is possible to travel there in a day.", []),
    ("The deal was made possible by mediation.", []),
    ("A potential deal on transit fees was discussed.", [("potential", M, "modal.potential")]),
    ("The corridor has enormous potential for trade.", []),
    ("The apparent aim was to reassure investors.", [("apparent", M, "modal.apparent")]),
    ("It became apparent that the talks had failed.", []),
    ("The leaders seemingly agreed.", [("seemingly", M, "modal.apparent")]),
    ("The rebels are almost certainly regrouping.", [("almost certainly", M, "modal.almost_certainly")]),
    ("There's a chance the border reopens.", [("There's a chance", M, "modal.chance")]),
    ("The students had a chance to ask questions.", []),
    ("A new offensive is in the cards.", [("in the cards", M, "modal.cards")]),
    ("Perhaps the envoy misread the mood.", [("Perhaps", M, "modal.perhaps")]),
    # speculation
    ("The ceasefire seems to be holding.", [("seems", S, "speculation.seem")]),
    ("It is not as simple as it seems.", []),
    ("The envoy appears to have misjudged the mood.", [("appears to", S, "speculation.appear")]),
    ("The minister appeared in court on Monday.", []),
    ("The figures suggest that trade is recovering.", [("suggest", S, "speculation.suggest")]),
    ("The envoy suggested that both sides should meet in Doha.", []),
    ("He suggested a ceasefire.", []),
    ("He suggested Pakistan was colluding.", [("suggested", S, "speculation.suggest")]),
    ("The data suggest a slowdown.", [("suggest", S, "speculation.suggest")]),
    ("It's not clear whether the truce holds.", [("It's not clear", S, "speculation.unclear")]),
    ("The sky is not clear today.", []),
    ("It's unclear whether the truce will hold.", [("It's unclear", S, "speculation.unclear")]),
    ("It's unknown how many crossed.", [("It's unknown", S, "speculation.unclear")]),
    ("Unknown gunmen attacked the checkpoint.", []),
    (
        "It's impossible to predict the outcome.",
        [("It's impossible to predict", S, "speculation.impossible_to_know")],
    ),
    ("It is impossible to defeat them by force.", []),
    ("A second attack can't be ruled out.", [("can't be ruled out", S, "speculation.ruled_out")]),
    (
        "The council will, in all probability, refuse.",
        [("in all probability", S, "speculation.in_all_probability")],
    ),
    (
        "It can only be speculated what he was told.",
        [("It can only be speculated", S, "speculation.speculation")],
    ),
    ("There is no reason to speculate about motives.", []),
    (
        "The drone strike is suspected of being launched from abroad.",
        [("suspected", S, "speculation.suspect")],
    ),
    # a holder's conjecture is still conjecture: suspect is not among the attitude verbs a named
    # holder turns into reported fact (believe, regard, fear, ...)
    (
        "Taliban leaders suspected that Pakistan wanted to dominate Afghanistan.",
        [("suspected", S, "speculation.suspect")],
    ),
    ("Both suspect their counterparts of colluding.", [("suspect", S, "speculation.suspect")]),
    ("Islamabad believes that Kabul is sheltering the militants.", []),
    ("Neither government suspected that the ceasefire would fail.", []),
    ("It's unrealistic to suspect Moscow of engineering the crisis.", []),
    ("Police arrested the suspect on Friday.", []),
    ("Pakistan, suspected of harbouring them, denied it.", [("suspected", S, "speculation.suspect")]),
    ("I suspect that the closure is a bargaining chip.", [("suspect", S, "speculation.suspect")]),
    ("We assume that the cabinet will be more hawkish.", [("assume", S, "speculation.assume")]),
    ("The minister will assume office next week.", []),
    ("Nobody assumed that the deal would hold.", []),
    ("The shift can be seen as a strategic necessity.", [("can be seen as", S, "speculation.seen_as")]),
    ("The Taliban were seen by Russia as a stabilizing force.", []),
    (
        "The feud deepened the Taliban's suspicions of the other's terrorist sympathies.",
        [("suspicions", S, "speculation.suspicion")],
    ),
    ("The feud deepened both sides' suspicions of their intentions.", []),
    # the writer's "I think" is an attitude verb whose holder the byline names; "I guess" is conjecture
    ("I think the talks will fail.", []),
    ("I guess the talks will fail.", [("guess", S, "speculation.first_person")]),
    ("They think the talks will fail.", []),
    # weasel
    (
        "The strike was widely considered to have been facilitated.",
        [("widely considered", W, "weasel.widely")],
    ),
    ("The TTP Was Regarded By The Taliban As A Credible Deterrence Tool.", []),
    ("Beijing considers the group a terrorist organisation.", []),
    ("The deal is expected to be signed next week.", [("expected to", W, "weasel.expected_to")]),
    ("The minister expected to win the vote.", []),
    (
        "Russian instructors, believed to number two thousand, arrived.",
        [("believed to", W, "weasel.believed_to")],
    ),
    ("The deal was reportedly signed in secret.", [("reportedly", W, "weasel.reported")]),
    ("The commander allegedly ordered the raid.", [("allegedly", W, "weasel.allegedly")]),
    ("The attack, attributed to ISIS-K, killed twelve.", [("attributed to", W, "weasel.attributed_to")]),
    ("The attack was attributed to ISIS-K by the ministry.", []),
    ("Many observers doubt the offer.", [("Many observers", W, "weasel.unnamed_sources")]),
    (
        "According to unnamed officials, the envoy was recalled.",
        [("unnamed officials", W, "weasel.unnamed_sources")],
    ),
    ("Many people died in the floods.", []),
    # officials named by country or service at most are the guideline's "unnamed official sources"
    (
        "Western officials say the arrangement is stable.",
        [("Western officials", W, "weasel.unnamed_sources")],
    ),
    (
        "Security sources in Peshawar said the target was a compound.",
        [("Security sources", W, "weasel.unnamed_sources")],
    ),
    (
        "Russian officials have signalled that trade will grow.",
        [("Russian officials", W, "weasel.unnamed_sources")],
    ),
    ("The officials said the talks were over.", []),
    ("Her officials have been quiet.", []),
    ("Competition officials have tough questions.", []),
    ("A European diplomat said a deal was near.", [("European diplomat", W, "weasel.unnamed_sources")]),
    ("Whether the reserves suffice is uncertain.", [("uncertain", S, "speculation.unclear")]),
    ("They face an uncertain future.", []),
    ("Experts say the ceasefire is fragile.", [("Experts", W, "weasel.unnamed_sources")]),
    # a view put on a profession: "the fears of ... scholars", "the consensus among economists"
    (
        "One of the greatest fears of International Relations scholars is a security dilemma.",
        [("International Relations scholars", W, "weasel.unnamed_sources")],
    ),
    (
        "The consensus among economists is that rates will fall.",
        [("economists", W, "weasel.unnamed_sources")],
    ),
    ("The fears of the two scholars were unfounded.", []),
    ("A group of economists met in Paris.", []),
    ("The experts who visited the site said it was safe.", []),
    (
        "It remains to be seen whether the truce holds.",
        [("remains to be seen", S, "speculation.remains_to_be_seen")],
    ),
    ("The Taliban are seen as a stabilizing force.", [("seen", W, "weasel.agentless_view")]),
    ("The bill was considered in committee on Monday.", []),
    ("It is said that the envoy resigned.", [("said", W, "weasel.believed_to")]),
    # insinuation
    (
        "The envoy very strongly implied that Kabul was lying.",
        [("strongly implied", INS, "insinuation.implied")],
    ),
    ("The envoy's innuendo angered Islamabad.", [("innuendo", INS, "insinuation.implied")]),
    ("The spokesman did not imply that Pakistan was involved.", []),
    # other non-cues of the guideline
    ("The offensive risks sparking a wider war.", []),
    ("The move clearly signaled a change of course.", []),
    ("Hopefully the talks will resume.", []),
    ("He undoubtedly understood, and he rightly refused.", []),
    ("Whether the talks succeed or fail, the border stays tense.", []),
    ("Foreign fighters are supposed to leave within thirty days.", []),
    ("Kabul must act, and Islamabad can help.", []),
    ("If the army crosses, the war would spread.", []),
    # could: the consequent of a conditional is judged like any clause; the antecedent is not a cue
    ("If rates stay high, house prices could drop by a tenth.", [("could", M, "modal.could")]),
    ("Prices could drop by a tenth if rates stay high.", [("could", M, "modal.could")]),
    ("If the army could cross the river, it would.", []),
    # could of ability: a means phrase, "easily afford", "hardly", past ability, comparisons, embedded questions
    ("The institute agreed, and with its existing lines it could turn out a million doses.", []),
    ("With a larger surplus, he could fund the rail line.", []),
    ("Rovers could easily afford the fee.", []),
    ("For parents, the news could hardly be better.", []),
    ("The boat turned back before it could reach the shoal.", []),
    ("The protection may last longer than the trial could measure.", [("may", M, "modal.may")]),
    ("It is worth wondering how far it could go.", [("could", M, "modal.could")]),
    ("It is worth wondering what he could do.", []),
    ("The question is whether the truce could hold.", []),
    ("Drought Could Cut Spain's Olive Harvest By Half", [("Could", M, "modal.could")]),
    ("Turnout could decide the result.", [("could", M, "modal.could")]),
    ("The minister could decide to resign.", []),
    ("If turnout falls, the party could lose its majority.", [("could", M, "modal.could")]),
    # it + adjective: whole only for the expletive "it"
    ("It is unlikely that the drug reaches clinics.", [("It is unlikely", M, "modal.likely")]),
    ("The drug is in trials, but it is unlikely to reach clinics.", [("unlikely", M, "modal.likely")]),
    (
        "It's impossible right now to predict the outcome.",
        [("It's impossible right now to predict", S, "speculation.impossible_to_know")],
    ),
    # should: the time must be in the should's clause; "shouldn't have any problems" expects
    ("She said the bank should not be guided by the market, as it was twice in two years.", []),
    ("Pakistan shouldn't have any problems dealing with them.", [("shouldn't", M, "modal.should")]),
    ("Observers shouldn't fall for it.", []),
    # negation and denial reach past adverbs; denials of attribution and suggestion
    ("Neither side had hitherto publicly implied that the other was a threat.", []),
    ("Pakistan can't comply with the Taliban's implied demand.", [("implied", INS, "insinuation.implied")]),
    ("There is no suggestion that it skewed the results.", []),
    ("A single dry year cannot be attributed to warming.", []),
    ("Observers shouldn't fall for the speculation that they are colluding.", []),
    # suspect: attributive after numerals and possessives; "began to suspect" and gerunds
    ("Three suspected cases were recorded in March.", [("suspected", S, "speculation.suspect")]),
    ("It was Pakistan's subsequently suspected facilitation.", [("suspected", S, "speculation.suspect")]),
    ("Pakistan began to suspect that the talks were a trap.", [("suspect", S, "speculation.suspect")]),
    (
        "Observers can assume that it's begun to suspect the worst.",
        [("assume", S, "speculation.assume"), ("suspect", S, "speculation.suspect")],
    ),
    ("We began to suspect that the talks were a trap.", [("suspect", S, "speculation.suspect")]),
    (
        "The raid spooked the Taliban into suspecting that Islamabad had motives.",
        [("suspecting", S, "speculation.suspect")],
    ),
    ("The raid never led anyone to suspect a plot.", []),
    (
        "There are suspicions in Manila that the deal was a ruse.",
        [("suspicions", S, "speculation.suspicion")],
    ),
    ("The suspicions about Chinese intentions are old.", []),
    (
        "The messages suggest either that they disagree or that they deceive.",
        [("suggest", S, "speculation.suggest")],
    ),
    # weasels: attributive "reported" after a possessive; experts named by their profession's ending
    ("The Taliban appreciated Pakistan's reported patronage.", [("reported", W, "weasel.reported")]),
    ("The club reported a loss.", []),
    (
        "Many hydrologists say the basin cannot sustain it.",
        [("Many hydrologists", W, "weasel.unnamed_sources")],
    ),
    ("Some scientists have questioned the design.", [("Some scientists", W, "weasel.unnamed_sources")]),
    ("The hydrologists at the university say it is dry.", []),
    ("Sources close to the club insist a fee was agreed.", [("Sources", W, "weasel.unnamed_sources")]),
    # should of expectation without a time: a thing's outcome, "be able to", a trend, "have enough"
    ("The talks should produce a deal.", [("should", M, "modal.should")]),
    ("It should hold through the winter.", [("should", M, "modal.should")]),
    ("The map should settle the matter.", [("should", M, "modal.should")]),
    ("The figure, due on Tuesday, should be lower still.", [("should", M, "modal.should")]),
    ("The plant should be able to restart.", [("should", M, "modal.should")]),
    ("The reservoir should have enough water to last the summer.", [("should", M, "modal.should")]),
    # deontic should: a person or agent advised, hindsight, "should not", a reported proposal, a bare comparative
    ("You should vote on Thursday.", []),
    ("The bank should cut rates in January.", []),
    ("Every child should have enough to eat.", []),
    ("The bank should have acted sooner.", []),
    ("The law should not change.", []),
    ("Governments have said publicly that rates should come down.", []),
    ("Taxes should be lower.", []),
    # could: an imminent act warned of is possibility; an option with "if", or what was feasible, is not
    ("The militants could strike the capital at any time.", [("could", M, "modal.could")]),
    ("The bank could reverse the cut at any time if wages rose.", []),
    ("It was the best that could be achieved, and all that could be done.", []),
    ("Cutting too early, the hawks argue, could undo its reputation.", [("could", M, "modal.could")]),
    ("Spain's harvest could fall by half.", [("could", M, "modal.could")]),
    ("This relationship, if nurtured, could allow Pakistan to rise.", [("could", M, "modal.could")]),
    ("Pakistan, if pressed, could close the border.", []),
    # could: an agent's act at a point in time is a possible event; a duration is a capacity
    ("Parliament could vote on the bill as early as Tuesday.", [("could", M, "modal.could")]),
    ("Negotiators could meet again next week.", [("could", M, "modal.could")]),
    ("The army could soon launch an offensive.", [("could", M, "modal.could")]),
    ("The army could retake the villages within a week.", []),
    ("The government could raise taxes.", []),
    ("Unnamed officials said the talks had stalled.", [("Unnamed officials", W, "weasel.unnamed_sources")]),
    ("The navy could now operate further west than at any time since the war.", []),
    # could: the head of a subject that ends in a place name decides thing or agent
    ("A ship in trouble off Chukotka could wait days for help.", [("could", M, "modal.could")]),
    ("Troops in Donetsk could dig in.", []),
    # should: a thing's effect at a time; a question heading is no expectation
    ("The tariffs should push prices down in the spring.", [("should", M, "modal.should")]),
    ("What Should Happen Next", []),
    # possible: an impossibility asserted is no hedge
    ("In winter no clean-up is possible.", []),
    ("A deal is not possible.", []),
    ("A deal is possible.", [("possible", M, "modal.possible")]),
    # uncertainty phrased as an open question or "far from certain"
    ("Whether they would help is an open question.", [("open question", S, "speculation.unclear")]),
    ("Funding is far from certain.", [("far from certain", S, "speculation.unclear")]),
    ("The town is far from the coast, and the question is open.", []),
    # a passive view under a deontic modal is a recommendation
    ("The secretary argues that the duties should be seen as leverage.", []),
    ("The duties are seen as leverage.", [("seen", W, "weasel.agentless_view")]),
    # uncertainty: "by no means certain", "nobody knows whether"
    ("The outcome is by no means certain.", [("by no means certain", S, "speculation.unclear")]),
    ("No one knows whether the dam will hold.", [("No one knows", S, "speculation.unclear")]),
    ("Nobody knows the trouble, and by no means all of it.", []),
    ("It could open a chapter, or it could close one. Nobody knows which.", [("could", M, "modal.could")]),
    ("It is doubtful that the strikes will stop.", [("It is doubtful", S, "speculation.unclear")]),
    ("The evidence is doubtful.", []),
    # speculation of the market is no conjecture
    ("The reform removes speculative projects from the queue.", []),
    ("Currency speculation weakened the peso.", []),
    (
        "Regardless of the speculative US role, the army will move.",
        [("speculative", S, "speculation.speculation")],
    ),
    # experts by profession
    ("Many engineers doubt that the cable can be built.", [("Many engineers", W, "weasel.unnamed_sources")]),
    # a timed event is expected whoever the subject; advice to "you" is not
    ("Rates rose in winter, and they should fall further in the spring.", [("should", M, "modal.should")]),
    ("You should arrive by nine.", []),
    # appear: appearance as image hedges nothing
    ("The bank is wary of appearing to respond to them.", []),
    ("The minister was careful not to appear weak.", []),
    ("The deal appears to favour Baku.", [("appears to", S, "speculation.appear")]),
    # more of the guideline's non-cues: approximators, named holders, either/or, embedded questions
    ("Prices often rise in winter and mostly fall in spring, somewhat predictably.", []),
    ("Kabul fears that the talks are a trap, and the Taliban accuse Islamabad of bad faith.", []),
    ("Either the mission is strengthened or it will be withdrawn.", []),
    ("Officials asked whether the depots were new.", []),
    # round six (ten blind articles): a negative subject however far back, "assume" without "that"
    ("Nobody at the paper, he added, had suspected that readers would mind.", []),
    ("No one in his department had suspected the decision would be read as a punishment.", []),
    (
        "Someone tells me they assumed the fire would stop at the highway.",
        [("assumed", S, "speculation.assume")],
    ),
    ("He will assume the role of chairman next year.", []),
    # "alleged to" keeps its "to"; sources at a place; one side's lawyers are no vague authority
    ("Its chief executive is alleged to have met the minister.", [("alleged to", W, "weasel.allegedly")]),
    ("Sources at the club insist there is no crisis.", [("Sources", W, "weasel.unnamed_sources")]),
    ("Sources of funding are scarce in the region.", []),
    ("Government lawyers argue that the store is a monopoly.", []),
    # should: feast days as times, learning a result, a long relative clause, the head of the subject
    ("The inquiry should report by Easter.", [("should", M, "modal.should")]),
    ("We should know by the end of March whether the schedule holds.", [("should", M, "modal.should")]),
    (
        "The monsoon, which usually brings storms and some relief to Arizona and New Mexico, should arrive in early July.",
        [("should", M, "modal.should")],
    ),
    ("Residents in high-risk areas should clear dry vegetation before June.", []),
    # potential for an event vs a capacity
    ("The region has above-normal potential for significant fires.", [("potential", M, "modal.potential")]),
    # could: a capacity with its quantity, joined to "can", "only X could", people coming in
    ("Once complete, the pipeline could carry 33 billion cubic metres a year.", []),
    ("Its air tankers could drop retardant on three fires at once.", []),
    ("If turnout falls, the Liberals could hold on to two dozen seats.", [("could", M, "modal.could")]),
    ("The vehicle can carry eleven soldiers and could be fitted with a cannon.", []),
    ("A requirement which only Ardent's prototype could meet was added late.", []),
    ("Patients could come in for an infusion once a month.", []),
    ("The breakthrough could come next year.", [("could", M, "modal.could")]),
    # may of permission: a rule grants or withholds
    ("Under league rules, a player may not negotiate with another club.", []),
    ("Landlords may apply for a hardship exemption.", []),
    ("Foreign crews may only be deployed once a request is made.", []),
    ("Why the cut may only be the start", [("may", M, "modal.may")]),
    ("Under the new rules the treaty may collapse.", [("may", M, "modal.may")]),
    ("Presumably the board knew about the bond sale.", [("Presumably", S, "speculation.presumably")]),
    # round seven (six more blind articles): negative subjects past a parenthetical
    (
        "None of the officials I spoke to, including two who had defended him, suspected that the reports were altered.",
        [],
    ),
    ("Not one member of the board, including its chair, suspected any wrongdoing.", []),
    (
        "Nobody believed it, but the auditors suspected that the data were wrong.",
        [("suspected", S, "speculation.suspect")],
    ),
    # vague groups by their ending, one modifier allowed; somebody's own people are not vague
    ("Most traders think the selling has further to run.", [("Most traders", W, "weasel.unnamed_sources")]),
    (
        "Some election lawyers say the jam is serious.",
        [("Some election lawyers", W, "weasel.unnamed_sources")],
    ),
    ("Some grandmasters say the bank will walk away.", [("Some grandmasters", W, "weasel.unnamed_sources")]),
    ("Some teachers were late.", []),
    ("Both sides' lawyers told the judge it would last a month.", []),
    ("No flood was reported to the building's insurer.", []),
    # could: a throughput, always-capacity verbs, an intended option, a prospect, a headline's "as"
    ("Before the clinics opened, the department could vaccinate only about 200 children a week.", []),
    (
        "If the findings hold, the shot could prevent thousands of deaths a year.",
        [("could", M, "modal.could")],
    ),
    ("Its reserves could absorb a loss several times this size.", []),
    ("The airlines could offer to give up slots at Manchester.", []),
    (
        "There is speculation that Brazil could restrict exports.",
        [("speculation", S, "speculation.speculation"), ("could", M, "modal.could")],
    ),
    ("Insurers Head to Court as Tanker Claim Could Top $200 Million", [("Could", M, "modal.could")]),
    ("They ran as fast as they could.", []),
    # should already be; may with a restriction; a proposal in the subjunctive
    ("Adults born before 1957 should already be immune.", [("should", M, "modal.should")]),
    ("Roasters may pass on cost changes only once a quarter.", []),
    ("Under state rules, unvaccinated pupils may return to school after 21 days.", []),
    ("Laura Binns, the chief executive, suggested on Wednesday that the airlines meet her officials.", []),
    (
        "Laura Binns suggested that the figures overstated the damage.",
        [("suggested", S, "speculation.suggest")],
    ),
    # round eight (eight more blind articles): should
    ("That fear should be addressed by the mission before anything else.", []),
    ("A ten-year term should be agreed by the end of the month.", [("should", M, "modal.should")]),
    ("Donors should see the first tenders issued by March.", [("should", M, "modal.should")]),
    ("The school budget should be safe for this year.", [("should", M, "modal.should")]),
    # may of a ruling; litotes; plausible; the referential "it" of a scenario
    ("Judge Castillo noted that the plaintiffs may seek damages.", []),
    (
        "It is unlikely within 2027, but not impossible.",
        [("unlikely", M, "modal.likely"), ("not impossible", M, "modal.possible")],
    ),
    ("It's likely that the deal holds.", [("It's likely", M, "modal.likely")]),
    ("Scenario 2 becomes more plausible.", [("plausible", M, "modal.possible")]),
    ("A deal was impossible after the vote.", []),
    # suggest, assume, unknown, I don't know, touch and go
    ("New credit lines would suggest Beijing is backing a faction.", [("suggest", S, "speculation.suggest")]),
    ("The case is weaker than the headlines suggest.", []),
    (
        "Agencies that assume one policy can cover everything will fail.",
        [("assume", S, "speculation.assume")],
    ),
    ("Whether napping changes its course is unknown.", [("unknown", S, "speculation.unclear")]),
    ("After that, I don't know.", [("don't know", S, "speculation.dont_know")]),
    ("I don't know him.", []),
    ("The manager said he was touch and go.", [("touch and go", S, "speculation.touch_and_go")]),
    # vague sources: familiar with / close to, counted experts, insiders, talk, understood
    (
        "Government lawyers familiar with the case say an appeal is planned.",
        [("Government lawyers familiar with the case", W, "weasel.unnamed_sources")],
    ),
    (
        "People close to the squad say he will not start.",
        [("People close to the squad", W, "weasel.unnamed_sources")],
    ),
    (
        "Two independent statisticians who reviewed the paper said it was flawed.",
        [("Two independent statisticians", W, "weasel.unnamed_sources")],
    ),
    ("Two cars crashed on the bridge.", []),
    ("Insiders in the capitol say the emails were wiped.", [("Insiders", W, "weasel.unnamed_sources")]),
    (
        "There's talk in Democratic circles that Pratt will stand down.",
        [("There's talk", W, "weasel.there_is_talk")],
    ),
    ("The talk lasted an hour.", []),
    ("It's understood the club's staff cleared him.", [("It's understood", W, "weasel.believed_to")]),
    ("A crowd of around 31,000 is expected.", [("expected", W, "weasel.expected_alone")]),
    ("A fire, blamed at the time on a faulty cable, shut the plant.", [("blamed", W, "weasel.blamed_on")]),
    ("Police blamed the fire on a faulty cable.", []),
    (
        "Roth's lawyer hinted last week that there was more to the story.",
        [("hinted", INS, "insinuation.implied")],
    ),
    (
        "The insinuations about the company rest on a misreading.",
        [("insinuations", INS, "insinuation.implied")],
    ),
    # could of people
    ("He's a player who could come on and win it for us.", []),
    # round ten (ten more blind articles)
    (
        "Videos said to show tanks in the streets turned out to be old.",
        [("said to", W, "weasel.believed_to")],
    ),
    ("He has said to friends that he will stay.", []),
    ("The new quay could accommodate the largest tankers afloat.", []),
    ("Turkey played a role that no other NATO member could play.", []),
    ("The bill should require the Treasury to report every quarter.", []),
    ("Ankara now appears determined to keep both at arm's length.", [("appears", S, "speculation.appear")]),
    # round eleven (eight more blind articles)
    ("Scenario 1: A Limited Deal (probability 25%)", []),
    (
        "What matters is the suspicion, held by investigators, that the anchor was dragged.",
        [("suspicion", S, "speculation.suspicion")],
    ),
    ("With its bases in doubt, Moscow is moving equipment west.", [("in doubt", S, "speculation.in_doubt")]),
    ("Her commitment to renters is not in doubt.", []),
    (
        "Pashinyan believes, we are told, that Russia failed Armenia.",
        [("we are told", W, "weasel.we_are_told")],
    ),
    ("He was told to leave.", []),
    (
        "Djibouti charges, by most estimates, well over a billion dollars.",
        [("most estimates", W, "weasel.unnamed_sources")],
    ),
    ("They hinted as much at the time.", [("hinted", INS, "insinuation.implied")]),
    (
        "He was denied access, according to party officials.",
        [("party officials", W, "weasel.unnamed_sources")],
    ),
    (
        "A senior official in the commission, who spoke on condition of anonymity, said the forms were forged.",
        [("senior official", W, "weasel.unnamed_sources")],
    ),
    ("U.S. officials have said the order was given.", [("U.S. officials", W, "weasel.unnamed_sources")]),
    ("Armenian officials signalled their irritation.", []),
    ("Ethiopian planners assume that Eritrea would not fight alone.", [("assume", S, "speculation.assume")]),
    ("Several indicators suggest this.", [("suggest", S, "speculation.suggest")]),
    ("What Could Happen Next", [("Could", M, "modal.could")]),
    ("The list circulated among diplomats in the capital.", []),
    # round twelve (eight more blind articles)
    ("The juntas could, in principle, negotiate with some commanders.", []),
    (
        "A sharp escalation between Pakistan and Afghanistan could make any Russian role irrelevant.",
        [("could", M, "modal.could")],
    ),
    ("It is not clear that Kim is interested.", [("It is not clear", S, "speculation.unclear")]),
    ("The new refinery suggests as much.", [("suggests", S, "speculation.suggest")]),
    (
        "The law's first enforcement actions, reported in early 2025, were aimed at small outlets.",
        [("reported", W, "weasel.reported")],
    ),
    ("Reporters reported by phone from the border.", []),
    (
        "Some diplomats in Islamabad privately suspect that the leader agrees.",
        [("Some diplomats", W, "weasel.unnamed_sources"), ("suspect", S, "speculation.suspect")],
    ),
    # round nine (eight more blind articles)
    ("Who is behind those wallets is anyone's guess.", [("anyone's guess", S, "speculation.fixed")]),
    (
        "Could this be the end of the romance? Only time will tell.",
        [("Could", M, "modal.could"), ("Only time will tell", S, "speculation.fixed")],
    ),
    ("It's still far too early to call.", [("too early to call", S, "speculation.fixed")]),
    (
        "What it means for patients is harder to say.",
        [("harder to say", S, "speculation.impossible_to_know")],
    ),
    ("Make of that what you will.", [("Make of that what you will", INS, "insinuation.make_of_that")]),
    ("Could you send the file?", []),
    ("Implied volatility fell to its lowest reading since March.", []),
    ("The final poll of likely voters had Ruiz up 4 points.", []),
    ("Workers could start seeing notices as early as May.", [("could", M, "modal.could")]),
    (
        "But the most plausible reading is that the plan is settled.",
        [("most plausible", M, "modal.possible")],
    ),
    ("BW-207 has the potential to be a best-in-class therapy.", [("potential", M, "modal.potential")]),
    ("Frankly, neither hospital could afford a new lab on its own.", []),
    ("Traders who want protection could buy puts at the lower strike.", []),
    ("On Saturday Northgate could have denied the memo outright.", []),
    ("The fire could have started in the kitchen.", [("could", M, "modal.could")]),
    ("The office, which under state law, may attach conditions.", []),
    ("The obesity drug market could exceed $100 billion a year by 2030.", [("could", M, "modal.could")]),
    ("A request that could point to a deeper inquiry was made.", [("could", M, "modal.could")]),
    ("Antitrust concerns appear limited.", [("appear", S, "speculation.appear")]),
    ("He appeared in court on Monday.", []),
    ("Such a commission should be easier to agree on than a border.", [("should", M, "modal.should")]),
    ("Data from the study should be available in mid-2027.", [("should", M, "modal.should")]),
    ("Certificate prices should track the carbon price closely.", [("should", M, "modal.should")]),
    ("Talks between the two companies were first reported last week.", [("reported", W, "weasel.reported")]),
    (
        "“They are barely speaking,” a palace insider told The Star.",
        [("palace insider", W, "weasel.unnamed_sources")],
    ),
    (
        "A senior Ruiz aide told the Herald the numbers were good.",
        [("senior Ruiz aide", W, "weasel.unnamed_sources")],
    ),
    (
        "The market could grow, according to some estimates.",
        [("could", M, "modal.could"), ("some estimates", W, "weasel.unnamed_sources")],
    ),
    (
        "A listing is planned, according to two people briefed on the matter.",
        [("people briefed on the matter", W, "weasel.unnamed_sources")],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_rule_on_sentence(sentence, expected):
    got = [(s.start, s.end, s.text, s.kind, s.rule) for s in suggest(sentence)]
    want = []
    for text, kind, rule in expected:
        start = sentence.find(text)
        assert start >= 0, f"case error: {text!r} not in sentence"
        want.append((start, start + len(text), text, kind, rule))
    assert got == want


def test_every_rule_is_documented():
    """docs/hedges.md has a row for each registered rule (its name in back-quotes)."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "hedges.md").read_text(encoding="utf-8")
    assert [name for name in RULES if f"| `{name}` |" not in doc] == []


def test_every_rule_has_a_positive_case():
    """Each registered rule fires in at least one case above (no rule goes untested)."""
    fired = {rule for _, expected in CASES for _, _, rule in expected}
    assert fired == set(RULES)


def test_cue_across_no_break_space_keeps_code_point_offsets():
    """A cue after a no-break space and an astral character starts after the space, in code points."""
    text = "𝐀 The envoy\u00a0very strongly\u00a0implied that Kabul lied; talks\u00a0might\u00a0resume."
    got = [(s.start, s.end, s.text) for s in suggest(text)]
    assert got == [(17, 33, "strongly\u00a0implied"), (57, 62, "might")]
    assert text[56] == "\u00a0" and text[62] == "\u00a0"


def test_confidence_and_disabled_rules():
    text = "While Russia may view them as partners, the talks might fail."
    assert [(s.text, s.confidence) for s in suggest(text)] == [("may", 0.7), ("might", 0.95)]
    assert [s.text for s in suggest(text, min_confidence=0.8)] == ["might"]
    assert [s.text for s in suggest(text, disabled=["modal.might"])] == ["may"]


def test_long_paragraph_opening_like_furniture_is_article_text():
    text = (
        "Recommended by the committee last year, "
        + "the plan was debated at length. " * 10
        + "It might pass."
    )
    assert [s.text for s in suggest(text)] == ["might"]


def test_boilerplate_is_skipped():
    """Comment forms, "Read more" teasers, disclaimers and author bios hold no cues."""
    body = "The talks might fail.\n\n"
    page = (
        body
        + "Read more: Why the pipeline may never be built\n\n"
        + "Disclaimer: The views expressed are the author's own and may not reflect ours.\n\n"
        + "Jane Roe is a Kabul-based journalist who might write again.\n\n"
        + "Leave a Reply\n\nYou may also like: the deal could collapse\n"
    )
    assert [(s.start, s.text) for s in suggest(page)] == [(10, "might")]


def test_teaser_list_comment_prompt_tip_line_and_bio_are_skipped():
    """A "Read more:" heading's teaser lines up to the blank line, comment prompts, tip lines
    and bios in "X covers ... for the Y" / "is education editor" shape hold no cues."""
    body = "The launch might slip. " + "The board met again on Tuesday and agreed the budget. " * 30 + "\n\n"
    page = (
        body
        + "Read more:\nWhy Europe's rockets might never catch up\nInside the spaceport that could be the last\n\n"
        + "After the list, the vote could fail.\n\n"
        + "Dana Whitcombe covers competition policy for the Ledger. She may write again.\n\n"
        + "Owen Pritchard is education editor of the Ledger. He might reply.\n\n"
        + "Got a story? We may not be able to reply to every message.\n\n"
        + "Join the conversation: Comments may be moderated and could take a day to appear.\n\n"
        + "What do you think? Tell us below. Comments are moderated and may take a day to appear.\n\n"
        + "Correction: an earlier version said the launch might be in May.\n\n"
        + "You may unsubscribe at any time. Leave a comment below; comments that seem abusive go.\n\n"
        + "Our Standards: The Trust Principles. Information may be delayed; see our disclaimer.\n\n"
        + "He may be reached via the contact page. This brief reflects the author's views only.\n\n"
        + "This note does not constitute an offer to buy securities. Forward-looking statements may prove"
        + " inaccurate. Past performance is not a reliable indicator; the analyst may hold positions.\n"
    )
    assert [s.text for s in suggest(page)] == ["might", "could"]
    assert suggest(page)[1].start == page.index("the vote could") + len("the vote ")
