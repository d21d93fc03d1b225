"""Casualty forms fixed in the second session (issue 5, killed exactness): hand-written sentences, exact values.

Each row: text, killed (low, best, high), injured (low, best, high). The sentences are written for these tests
(none is copied from the evaluation corpus); each one stands for a form that was mis-counted before:
appositions and lists of named people, "along with", relative clauses, "a family of six", perpetrators'
deaths, later deaths of the wounded, totals for several attacks, other (earlier) events, uncertainty, negation.
Conventions: docs/extraction.md.
"""

from __future__ import annotations

import pytest

from geo.extract import extract_casualties

N = None
FORMS: list[tuple[str, tuple, tuple]] = [
    # appositions and lists of people
    ("Gunmen shot and killed Hamid Rasul, a district judge, and his son outside their home.", (2, 2, 2), (N, N, N)),
    ("Gunmen shot dead Farid Aziz, a tribal elder and a member of the provincial council, near the bridge.",
     (1, 1, 1), (N, N, N)),
    ("Assailants killed Layla Omar, the director of the Health and Education Office, in the city.",
     (1, 1, 1), (N, N, N)),
    ("The shell killed a shepherd, a teacher and a child in the valley.", (3, 3, 3), (N, N, N)),
    ("Two engineers, their interpreter and one soldier died when the convoy hit a mine.", (4, 4, 4), (N, N, N)),
    ("The governor, Ali Karim, and two of his aides were killed when the convoy was ambushed.",
     (3, 3, 3), (N, N, N)),
    ("Police found the bodies of a teacher, his wife and two daughters in the house.", (4, 4, 4), (N, N, N)),
    ("The attackers killed a farmer and son near the well.", (2, 2, 2), (N, N, N)),
    ("The gunmen shot him and his two brothers dead.", (3, 3, 3), (N, N, N)),
    ("Gunmen killed an elderly couple in their farmhouse.", (2, 2, 2), (N, N, N)),
    ("A family of six was killed when the shell struck their house.", (6, 6, 6), (N, N, N)),
    ("A guard who worked between the two villages was found dead.", (1, 1, 1), (N, N, N)),
    ("Six gunmen murdered the village treasurer and his brother.", (2, 2, 2), (N, N, N)),
    ("Militants murdered a senior sergeant in the police force and a security volunteer near the station.",
     (2, 2, 2), (N, N, N)),
    ("Gunmen shot and killed Ali al-Nu'man, a teacher, and his brother.", (2, 2, 2), (N, N, N)),
    ("Insurgents gunned down a married couple working on a farm.", (2, 2, 2), (N, N, N)),
    ("The bomber detonated his charge, killing himself and the horse he was riding.", (1, 1, 1), (N, N, N)),
    # "along with", relative clauses, subsets inside the subject
    ("Militants killed Samir Daoud, a senior customs officer, along with his driver and two guards.",
     (4, 4, 4), (N, N, N)),
    ("A local official was killed in the ambush, along with one of his bodyguards.", (2, 2, 2), (N, N, N)),
    ("Three civilians were killed along with two guards who were wounded.", (3, 3, 3), (2, 2, 2)),
    ("Four workers who were repairing the power line were killed in the blast.", (4, 4, 4), (N, N, N)),
    ("Five people, including two policemen, were killed and one was wounded in the ambush.",
     (5, 5, 5), (1, 1, 1)),
    ("The blast killed three soldiers, and seven other people were injured.", (3, 3, 3), (7, 7, 7)),
    ("Four people died when gunmen opened fire, killing a police officer and three passers-by.",
     (4, 4, 4), (N, N, N)),
    # later sentences: more victims, the same victim again, attackers' deaths
    ("A soldier was killed at the checkpoint. Another soldier was also killed in the shooting.",
     (2, 2, 2), (N, N, N)),
    ("A judge was assassinated. Two of his guards were also killed in the attack.", (3, 3, 3), (N, N, N)),
    ("The attackers killed four villagers. Three of the attackers were killed by police.", (7, 7, 7), (N, N, N)),
    ("Four gunmen stormed a mosque. Troops arrived, killing the perpetrators. Two worshippers were also killed.",
     (6, 6, 6), (N, N, N)),
    ("A police officer was shot and killed near the market. He later died of his wounds in hospital.",
     (1, 1, 1), (N, N, N)),
    ("A shopkeeper was killed and a guard was wounded by the gunmen. He later died of his wounds.",
     (2, 2, 2), (1, 1, 1)),
    ("Three people were killed and five were wounded in the blast. One of the wounded later died in hospital.",
     (4, 4, 4), (5, 5, 5)),
    ("The bomb killed two guards and wounded the governor. Haddad later died of his injuries.",
     (3, 3, 3), (1, 1, 1)),
    # figures that are not this incident's toll
    ("Two bombs exploded in the market, killing a total of nine people.", (N, N, N), (N, N, N)),
    ("A policeman was wounded in the shooting. The attack came two days after a car bomb killed five people "
     "in the city.", (N, N, N), (1, 1, 1)),
    ("A trader was killed in the raid. The attack came a week after gunmen killed nine people at a wedding.",
     (1, 1, 1), (N, N, N)),
    ("A bomb damaged a shop in the town. In 2006 a similar bomb killed eight people there.", (N, N, N), (N, N, N)),
    ("A farmer was shot dead in the village. The same night a policeman was killed in a similar manner.",
     (1, 1, 1), (N, N, N)),
    ("A court sentenced 12 militants to death for the bombing.", (N, N, N), (N, N, N)),
    ("The group protested the scheduled execution of a prisoner.", (N, N, N), (N, N, N)),
    ("Reporters said he was the 40th journalist killed in the country.", (N, N, N), (N, N, N)),
    ("Ahmed Karim, the head of ward No. 9, was shot dead.", (1, 1, 1), (N, N, N)),
    ("The mine blew off both legs of a soldier.", (N, N, N), (N, N, N)),
    # uncertainty and negation
    ("Gunmen shot a teacher near the school; it is unclear whether he was killed.", (N, N, N), (N, N, N)),
    ("One driver was killed. Two others may have been killed or kidnapped.", (1, 1, 1), (N, N, N)),
    ("The shot did not kill the guard.", (N, N, N), (N, N, N)),
    # "more than N" is coded as the stated, most conservative figure
    ("More than 30 people were wounded in the blast.", (N, N, N), (30, 30, N)),
]


def _r(rng) -> tuple:  # type: ignore[no-untyped-def]
    return (rng.low, rng.best, rng.high)


@pytest.mark.parametrize("text,killed,injured", FORMS, ids=[f[0][:50] for f in FORMS])
def test_form(text: str, killed: tuple, injured: tuple) -> None:
    cas = extract_casualties(text)
    assert _r(cas.killed) == killed
    assert _r(cas.injured) == injured


def test_total_for_several_attacks_is_kept_as_a_figure() -> None:
    cas = extract_casualties("Two bombs exploded in the market, killing a total of nine people.")
    assert cas.killed.best is None
    assert any(f.best == 9 and "series total" in (f.qualifier or "") for f in cas.figures)


def test_other_event_figure_is_kept_and_marked() -> None:
    text = "A policeman was wounded. The attack came two days after a car bomb killed five people in the city."
    cas = extract_casualties(text)
    five = [f for f in cas.figures if f.best == 5]
    assert five and "background" in (five[0].qualifier or "")


def test_attackers_listed_in_a_sum_are_not_added_twice() -> None:
    text = ("Two policemen and three bombers were killed in the attack. The two bombers were shot dead by "
            "guards.")
    assert extract_casualties(text).killed.best == 5
