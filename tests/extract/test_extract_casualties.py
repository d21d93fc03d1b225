"""Casualty extraction: a table of hand-written sentences with the exact values expected.

Each row: sentence, killed (low, best, high), injured (low, best, high), expected categories.
``None`` in a range means unknown; ``...`` means "not checked". Conventions: docs/extraction.md.
"""

from __future__ import annotations

import pytest

from geo.extract import extract_casualties
from geo.extract.numbers import parse_number

N = None
CASES: list[tuple[str, tuple, tuple, dict]] = [
    # digits and number words
    ("Thirteen people were killed in the attack.", (13, 13, 13), (N, N, N), {}),
    ("13 people were killed in the attack.", (13, 13, 13), (N, N, N), {}),
    ("Twenty-one people died and thirty-four were wounded in the blast.", (21, 21, 21), (34, 34, 34), {}),
    ("One hundred and twenty people were injured.", (N, N, N), (120, 120, 120), {}),
    ("The explosion killed 1,200 people.", (1200, 1200, 1200), (N, N, N), {}),
    ("A dozen people were wounded when the shell landed.", (N, N, N), (12, 12, 12), {}),
    # qualifiers
    ("At least 13 people were killed and 20 wounded.", (13, 13, N), (20, 20, 20), {}),
    ("More than 40 civilians were killed in the air strike.", (40, 40, N), (N, N, N),
     {"killed.civilians": (40, 40, N)}),
    ("Up to 15 soldiers may have died in the ambush.", (N, 15, 15), (N, N, N), {}),
    ("About 30 people were injured in the blast.", (N, N, N), (N, 30, N), {}),
    ("Some 200 people were injured in the stampede.", (N, N, N), (N, 200, N), {}),
    ("An estimated 300 people were killed.", (N, 300, N), (N, N, N), {}),
    ("Nearly 50 people were killed.", (N, 50, 50), (N, N, N), {}),
    ("Almost 100 people were wounded.", (N, N, N), (N, 100, 100), {}),
    ("Fewer than ten people were hurt.", (N, N, N), (N, 9, 9), {}),
    ("Between 12 and 15 people were killed.", (12, 12, 15), (N, N, N), {}),
    ("The bombing killed 12 to 15 people, officials said.", (12, 12, 15), (N, N, N), {}),
    # ACLED vague words: dozens 12, hundreds 100, several 3, many 10 (ACLED fatality coding)
    ("Dozens of people were killed in the shelling.", (12, 12, N), (N, N, N), {}),
    ("Hundreds of people were injured in the clashes.", (N, N, N), (100, 100, N), {}),
    ("Several civilians were killed in the raid.", (2, 3, N), (N, N, N), {"killed.civilians": (2, 3, N)}),
    ("Many people were killed, residents said.", (2, 10, N), (N, N, N), {}),
    ("A few people were wounded.", (N, N, N), (2, 3, N), {}),
    # sums across coordinated groups, subsets
    ("The gunmen killed three policemen and four civilians before fleeing.", (7, 7, 7), (N, N, N),
     {"killed.security forces": (3, 3, 3), "killed.civilians": (4, 4, 4)}),
    ("Two soldiers and a civilian were injured in the explosion.", (N, N, N), (3, 3, 3),
     {"injured.security forces": (2, 2, 2), "injured.civilians": (1, 1, 1)}),
    ("The raid killed six militants and a civilian.", (7, 7, 7), (N, N, N),
     {"killed.militants": (6, 6, 6), "killed.civilians": (1, 1, 1)}),
    ("13 people at least were killed, among them four children and three women.", (13, 13, N), (N, N, N),
     {"killed.children": (4, 4, 4), "killed.women": (3, 3, 3)}),
    ("The strike killed 9 people, including five children.", (9, 9, 9), (N, N, N), {"killed.children": (5, 5, 5)}),
    ("The attack killed seven civilians and wounded 24 others, including four police.", (7, 7, 7), (24, 24, 24),
     {"injured.security forces": (4, 4, 4)}),
    ("Three aid workers, two Swiss and an Italian, were gunned down on the road.", (3, 3, 3), (N, N, N), {}),
    ("Five people were killed on Monday. Two more people were killed on Tuesday.", (7, 7, 7), (N, N, N), {}),
    ("A bomb killed two and wounded eight in a crowded market.", (2, 2, 2), (8, 8, 8), {}),
    ("Nine people were killed and at least sixty others injured when the tanker exploded.", (9, 9, 9),
     (60, 60, N), {}),
    ("Eight people were injured and fifteen officers and village guards were killed.", (15, 15, 15), (8, 8, 8), {}),
    ("The blast left five people dead and 12 injured.", (5, 5, 5), (12, 12, 12), {}),
    ("A bomb exploded in the capital, with one reported dead and a further five injured.", (1, 1, 1), (5, 5, 5), {}),
    ("The death toll rose to 27 on Monday.", (27, 27, 27), (N, N, N), {}),
    ("The bodies of eight men were found in a ditch.", (8, 8, 8), (N, N, N), {}),
    # singular persons, names, pronouns
    ("Gunmen shot dead a village chief in the market.", (1, 1, 1), (N, N, N), {}),
    ("A policeman was killed and two others were wounded.", (1, 1, 1), (2, 2, 2), {}),
    ("The mayor was assassinated outside his home.", (1, 1, 1), (N, N, N), {}),
    ("He was seriously injured in the attack.", (N, N, N), (1, 1, 1), {}),
    ("A man and his wife were stabbed to death.", (2, 2, 2), (N, N, N), {}),
    ("Omar Haddad and Lina Saleh were killed when the car exploded.", (2, 2, 2), (N, N, N), {}),
    ("Karim Nassar, a local councillor, was shot dead outside the mosque.", (1, 1, 1), (N, N, N), {}),
    ("The journalist, 34, was shot dead on Friday.", (1, 1, 1), (N, N, N), {}),
    ("The 5-year-old boy was wounded by shrapnel.", (N, N, N), (1, 1, 1), {"injured.children": (1, 1, 1)}),
    ("Insurgents shot and killed a 39-year-old farmer near the village.", (1, 1, 1), (N, N, N), {}),
    # perpetrators
    ("A suicide bomber blew himself up outside the station, wounding five policemen.", (1, 1, 1), (5, 5, 5),
     {"killed.perpetrator": (1, 1, 1)}),
    ("The attacker blew himself up, killing himself and two guards.", (3, 3, 3), (N, N, N),
     {"killed.perpetrator": (1, 1, 1)}),
    # zeros, negation, sides
    ("There were no casualties.", (0, 0, 0), (0, 0, 0), {}),
    ("No one was hurt in the explosion.", (0, 0, 0), (0, 0, 0), {}),
    ("Nobody was killed or injured.", (0, 0, 0), (0, 0, 0), {}),
    ("No injuries were reported.", (N, N, N), (0, 0, 0), {}),
    ("The bomb exploded without causing injuries.", (N, N, N), (0, 0, 0), {}),
    ("There were no US casualties.", (N, N, N), (N, N, N), {"killed.US forces": (0, 0, 0),
                                                           "injured.US forces": (0, 0, 0)}),
    ("There were no immediate reports of any militants being killed.", (N, N, N), (N, N, N),
     {"killed.militants": (0, 0, N)}),
    # not casualties
    ("The militants tried to kill the governor but he escaped unhurt.", (N, N, N), (N, N, N), {}),
    ("The group issued death threats against journalists.", (N, N, N), (N, N, N), {}),
    ("Fighters fired 20 rockets, killing one person.", (1, 1, 1), (N, N, N), {}),
    ("The rocket hit a house 5 km from the border, injuring two children.", (N, N, N), (2, 2, 2),
     {"injured.children": (2, 2, 2)}),
    ("The attack on 12 May killed two people.", (2, 2, 2), (N, N, N), {}),
    ("Two bodies were found between the ages of 25 and 35.", (2, 2, 2), (N, N, N), {}),
    # other events, claims by the attackers, near misses
    ("Twenty police officers narrowly escaped death when the bomb exploded.", (N, N, N), (N, N, N), {}),
    ("Gunmen shot and wounded a policeman. The Taliban claimed that eight were killed.", (N, N, N), (1, 1, 1), {}),
    ("The rocket attack was in retaliation for an air strike that killed five militants.", (N, N, N), (N, N, N), {}),
    ("The bomb killed eight people, five of them policemen.", (8, 8, 8), (N, N, N), {}),
    ("Gunmen attacked a vehicle carrying five civilians, all of whom were killed.", (5, 5, 5), (N, N, N), {}),
    ("The ensuing firefight claimed the lives of four police officers.", (4, 4, 4), (N, N, N), {}),
    ("Police found the body of a policeman in the canal.", (1, 1, 1), (N, N, N), {}),
    # the seed sentences
    ("Chief of The Syrian Observatory for Human Rights, Rami Abdel Rahman, confirmed “13 people at least were "
     "killed, among them four children and three women, during the operation”.", (13, 13, N), (N, N, N),
     {"killed.children": (4, 4, 4), "killed.women": (3, 3, 3)}),
    ("One resident said at least 12 people were killed in the raid that took place around midnight.",
     (12, 12, N), (N, N, N), {}),
    ("One resident said several people were killed in the raid, while another said rescuers pulled out at "
     "least 12 bodies from the rubble of a multi-story building, including children and women.",
     (12, 12, N), (N, N, N), {}),
    ("Press Secretary John Kirby said “the mission was successful. There were no US casualties”.",
     (N, N, N), (N, N, N), {"killed.US forces": (0, 0, 0)}),
]


def _r(rng) -> tuple:  # type: ignore[no-untyped-def]
    return (rng.low, rng.best, rng.high)


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("sentence,killed,injured,cats", CASES, ids=[c[0][:50] for c in CASES])
def test_sentence(sentence: str, killed: tuple, injured: tuple, cats: dict) -> None:
    cas = extract_casualties(sentence)
    assert _r(cas.killed) == killed
    assert _r(cas.injured) == injured
    for key, rng in cats.items():
        assert key in cas.categories, (key, cas.categories)
        assert _r(cas.categories[key]) == rng


def test_every_figure_points_at_its_text() -> None:
    text = "Residents said 13 people were killed. Police said four more were wounded."
    cas = extract_casualties(text, article_id="a1")
    assert cas.figures
    for f in cas.figures:
        ev = f.evidence
        assert ev.article_id == "a1"
        assert text[ev.start:ev.end] == ev.text
        assert ev.sentence_start <= ev.start < ev.end <= ev.sentence_end
        assert text[ev.sentence_start:ev.sentence_end] == ev.sentence


def test_attribution_is_kept() -> None:
    cas = extract_casualties("According to the Syrian Observatory for Human Rights, 7 civilians were killed.")
    assert cas.figures[0].attribution == "Syrian Observatory for Human Rights"
    cas = extract_casualties("One resident said at least 12 people were killed in the raid.")
    assert cas.figures[0].attribution == "a resident"


def test_no_us_casualties_is_a_side_not_a_civilian_toll() -> None:
    cas = extract_casualties("Several civilians were killed. There were no US casualties.")
    zero = [f for f in cas.figures if f.best == 0]
    assert zero and all(f.side == "US forces" and f.category != "civilians" for f in zero)
    assert cas.killed.best == 3  # the vague civilian toll, not the US zero


def test_vague_figures_yield_to_numbers() -> None:
    cas = extract_casualties("Several people were killed. Later, officials said at least 12 people were killed.")
    assert (cas.killed.low, cas.killed.best) == (12, 12)


def test_is_is_not_a_number_and_years_are_not_counts() -> None:
    assert parse_number(["2019", "raid"], 0) is None
    cas = extract_casualties("The 2019 raid killed the group's leader.")
    assert cas.killed.best == 1


def test_background_events_are_not_counted() -> None:
    import datetime as dt

    text = "At least 5 people were killed on Thursday. A 2019 raid killed 40 people."
    cas = extract_casualties(text, published=dt.date(2022, 2, 3))
    assert cas.killed.best == 5
    assert any("background" in (f.qualifier or "") and f.best == 40 for f in cas.figures)
