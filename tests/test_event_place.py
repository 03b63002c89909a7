"""The event's place: which toponym of a sentence is where the event happened (own sentences)."""

from __future__ import annotations

from sentence_places import place_at as _place
from sentence_places import place_lexicon as _lex

from tocsin.mentions.place.bracket_cuts import join_bracket_cuts
from tocsin.mentions.place.candidates import locative_candidates
from tocsin.mentions.place.event import event_candidates, place_of_event
from tocsin.mentions.place.ranking import choose_place
from tocsin.mentions.typing.triggers import TriggerLexicon

TRIGGERS = TriggerLexicon.load()


def locate_event(parsed, span: tuple[int, int], places: list, displacement: bool = False):
    """The place ``find_events`` gives the event word at ``span`` (as for a gold verb), and the
    candidates it was chosen from."""
    anchor = parsed.char_span(span[0], span[1], alignment_mode="expand").root
    others = [t.anchor for t in TRIGGERS.find_triggers(anchor.sent)]
    category = "DISPLACEMENT" if displacement else "ASSAULT"
    pick = place_of_event(_lex(), anchor, anchor, category, places, others, [], None)
    sentence = join_bracket_cuts(parsed, anchor.sent)[anchor.i].sent
    return pick, event_candidates(_lex(), sentence, places)


def _pick(nlp, text: str, verb: str, names: list[str], **kw) -> str | None:
    parsed = nlp(text)
    start = text.index(verb)
    places = [_place(text, n, **kw) for n in names]
    pick, _ = locate_event(parsed, (start, start + len(verb)), places)
    return pick.text if pick else None


def test_town_in_the_prepositional_phrase_wins_over_its_country(nlp) -> None:
    text = "Gunmen ambushed a convoy near Dorvale in northern Karistan on Monday."
    parsed = nlp(text)
    places = [_place(text, "Dorvale"), _place(text, "Karistan", precision="country")]
    start = text.index("ambushed")
    pick, _ = locate_event(parsed, (start, start + 8), places)
    assert pick is not None and pick.text == "Dorvale"


def test_a_country_naming_the_actor_is_not_the_place(nlp) -> None:
    # "Freedonian soldiers": the country describes who acted, not where.
    text = "Freedonia soldiers shot two fishermen on Tuesday."
    assert _pick(nlp, text, "shot", ["Freedonia"], precision="country") is None


def test_a_metonym_is_never_the_place(nlp) -> None:
    text = "Ostrava condemned the shelling of Velmor."
    parsed = nlp(text)
    places = [_place(text, "Ostrava", metonym=True), _place(text, "Velmor")]
    start = text.index("shelling")
    pick = choose_place(_lex(), parsed[text[:start].count(" ")], parsed[:], places, [])
    assert pick is None or pick.text == "Velmor"


def test_origin_of_a_movement_is_the_place_only_for_displacement(nlp) -> None:
    text = "Hundreds of families fled from Pelmar to Quenby after the raids."
    parsed = nlp(text)
    places = [_place(text, "Pelmar"), _place(text, "Quenby")]
    start = text.index("fled")
    moved, _ = locate_event(parsed, (start, start + 4), places, displacement=True)
    assert moved is not None and moved.text == "Pelmar"


def test_names_the_syntax_marks_as_places_become_candidates(nlp) -> None:
    text = "Artillery shelled the village of Tal Morrin and houses in Kefr Allun."
    parsed = nlp(text)
    found = {p.text for p in locative_candidates(_lex(), parsed[:], [])}
    assert "Kefr Allun" in found
    assert any("Morrin" in name for name in found)
    start = text.index("shelled")
    pick, candidates = locate_event(parsed, (start, start + 7), [])
    assert pick is not None and pick.text in found and len(candidates) == len(found)


def test_no_toponym_means_no_place(nlp) -> None:
    text = "At least ten fighters were killed in the airstrike."
    assert _pick(nlp, text, "killed", []) is None


def test_the_agent_of_a_passive_verb_is_not_the_place(nlp) -> None:
    # "by Freedonia" says who captured, "in Velmor" says where.
    text = "The two sailors were captured by Freedonia in Velmor last week."
    assert _pick(nlp, text, "captured", ["Freedonia", "Velmor"]) == "Velmor"


def test_a_source_is_never_the_place(nlp) -> None:
    text = "Two fighters were killed during the clashes, according to the Ostrava Media Center."
    assert _pick(nlp, text, "killed", ["Ostrava Media Center"]) is None


def test_the_named_town_wins_over_the_area_that_modifies_it(nlp) -> None:
    # "the Karistan city of Dorvale": the event is in Dorvale, Karistan only situates it.
    text = "Soldiers shot two protesters in the Karistan city of Dorvale on Friday."
    assert _pick(nlp, text, "shot", ["Karistan", "Dorvale"], precision="admin1") == "Dorvale"


def test_a_noun_placed_by_a_preposition_keeps_its_toponym(nlp) -> None:
    # "his Velmor home" is a location because "on the doorstep of" places it.
    text = "The judge was shot on the doorstep of his Velmor home."
    assert _pick(nlp, text, "shot", ["Velmor"]) == "Velmor"



# --- Rules for an event verb in running text ([sentence_rules] in event_place.toml)


class _KnownNames:
    """A stand-in gazetteer that knows a fixed set of names."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def lookup(self, name: str) -> list[str]:
        return [name] if name in self.names else []


def _locate(nlp, text: str, verb: str, names: list[str], **kw):
    parsed = nlp(text)
    start = text.index(verb)
    places = [_place(text, n, **kw) for n in names]
    return locate_event(parsed, (start, start + len(verb)), places)






def test_coordinated_names_after_a_place_noun_are_candidates(nlp) -> None:
    text = "Jets struck the towns of Arvelo, Briskan and Colmara on Monday."
    _, candidates = _locate(nlp, text, "struck", [])
    assert {"Arvelo", "Briskan", "Colmara"} <= {c.text for c in candidates}


def test_a_name_ending_in_a_place_noun_is_a_candidate(nlp) -> None:
    text = "Gunmen attacked the Varnel Checkpoint on Sunday morning."
    pick, _ = _locate(nlp, text, "attacked", [])
    assert pick is not None and pick.text == "Varnel Checkpoint"




def test_a_reference_point_weighs_less_than_the_place_it_measures_from(nlp) -> None:
    from tocsin.mentions.place.ranking import rank_places

    text = "Rebels clashed with troops in a market 40 km south of Quenby on Monday."
    parsed = nlp(text)
    anchor = parsed[text[: text.index("clashed")].count(" ")]
    places = [_place(text, "Quenby")]
    plain = rank_places(_lex(), anchor, anchor.sent, places, [])
    running = rank_places(_lex(), anchor, anchor.sent, places, [], sentence_rules=True)
    assert running[0][0] > plain[0][0]


def test_the_named_part_of_a_city_beats_the_city(nlp) -> None:
    text = "A car bomb exploded in the Sarnoth neighbourhood of Quenby on Monday."
    assert _pick(nlp, text, "exploded", ["Sarnoth", "Quenby"]) == "Sarnoth"


def test_a_name_with_a_lower_case_article_is_a_candidate_in_running_text(nlp) -> None:
    text = "Rebels entered the western outskirts of al-Zorvan, a border town, on Friday."
    assert _pick(nlp, text, "entered", []) == "al-Zorvan"
    sentence = next(nlp(text).sents)
    # coders' notes keep capitalised names only
    assert locative_candidates(_lex(), sentence, []) == []


def test_a_spot_verb_keeps_a_place_named_far_from_it(nlp) -> None:
    ending = " as he was leaving a long meeting with the elders of Quenby."
    assert _pick(nlp, "A guard was shot" + ending, "shot", ["Quenby"]) == "Quenby"
    assert _pick(nlp, "A guard was questioned" + ending, "questioned", ["Quenby"]) is None


def test_a_toponym_naming_a_past_war_is_background(nlp, monkeypatch) -> None:
    text = "The ridge was captured in the 1971 Karistan war and held for years."
    assert _pick(nlp, text, "captured", ["Karistan"]) is None
    text = "The ridge was captured in the Karistan hills and held for years."
    assert _pick(nlp, text, "captured", ["Karistan"]) == "Karistan"
    # The hand rules also take an operation named after a place for background; the learned
    # ranker (which gives "background" a weaker weight) places such an event there.
    monkeypatch.setenv("TOCSIN_EVENT_PLACE_RANKER", "rules")
    text = "Two fighters were killed in the Quenby offensive last week."
    assert _pick(nlp, text, "killed", ["Quenby"]) is None


def test_an_unknown_name_after_a_known_city_and_part_noun_is_the_place(nlp) -> None:
    text = "Three men were shot in the Quenby neighbourhood of Sarnoth on Monday."
    parsed = nlp(text)
    start = text.index("shot")
    places = [_place(text, "Quenby"), _place(text, "Sarnoth", precision=None)]
    pick, _ = locate_event(parsed, (start, start + 4), places)
    assert pick is not None and pick.text == "Sarnoth"






def test_the_possessor_of_a_place_noun_is_the_place(nlp) -> None:
    text = "Heavy gunfire rang out as militiamen shelled Varnoth's northern suburbs on Monday."
    assert _pick(nlp, text, "shelled", []) == "Varnoth"




def test_the_first_word_of_a_group_name_weighs_more(nlp, monkeypatch) -> None:
    from tocsin.mentions.place.ranking import rank_places

    text = "Boko Haram gunmen killed two guards on Monday."
    parsed = nlp(text)
    anchor = parsed[text[: text.index("killed")].count(" ")]
    places = [_place(text, "Boko")]
    weighted = rank_places(_lex(), anchor, anchor.sent, places, [], sentence_rules=True)[0][0]
    monkeypatch.setitem(_lex().words.event_weights, "name_part", 0.0)
    plain = rank_places(_lex(), anchor, anchor.sent, places, [], sentence_rules=True)[0][0]
    assert weighted > plain


def test_a_place_in_phrases_about_the_event_is_nearer_than_its_arcs(nlp, monkeypatch) -> None:
    from tocsin.mentions.place.ranking import rank_places

    text = "Nine people were killed in a bomb attack on a crowded market in Quenby on Friday."
    parsed = nlp(text)
    anchor = parsed[text[: text.index("killed")].count(" ")]
    places = [_place(text, "Quenby")]
    nested = rank_places(_lex(), anchor, anchor.sent, places, [], sentence_rules=True)[0][0]
    assert _pick(nlp, text, "killed", ["Quenby"]) == "Quenby"
    monkeypatch.setitem(_lex().words.event_weights, "nested_phrase", 0.0)
    plain = rank_places(_lex(), anchor, anchor.sent, places, [], sentence_rules=True)[0][0]
    assert nested < plain
    # another verb on the way: the place belongs to that verb's phrase, no discount
    text = "Nine people were killed after gunmen stormed a market in the centre of Quenby."
    parsed = nlp(text)
    anchor = parsed[text[: text.index("killed")].count(" ")]
    places = [_place(text, "Quenby")]
    with_verb = rank_places(_lex(), anchor, anchor.sent, places, [], sentence_rules=True)[0][0]
    monkeypatch.setitem(_lex().words.event_weights, "nested_phrase", -0.5)
    assert rank_places(_lex(), anchor, anchor.sent, places, [],
                       sentence_rules=True)[0][0] == with_verb


def test_a_country_another_verb_takes_as_object_is_a_participant(nlp) -> None:
    text = "Students marched on Friday, thanking Karistan for its help."
    assert _pick(nlp, text, "marched", ["Karistan"], precision="country") is None


def test_a_toponym_across_a_quotation_mark_weighs_more(nlp, monkeypatch) -> None:
    from tocsin.mentions.place.ranking import rank_places

    text = 'Crowds marched through the square chanting "we will return to Quenby" on Sunday.'
    parsed = nlp(text)
    anchor = parsed[text[: text.index("marched")].count(" ")]
    places = [_place(text, "Quenby")]
    quoted = rank_places(_lex(), anchor, anchor.sent, places, [], sentence_rules=True)[0][0]
    monkeypatch.setitem(_lex().words.event_weights, "across_quote", 0.0)
    plain = rank_places(_lex(), anchor, anchor.sent, places, [], sentence_rules=True)[0][0]
    assert quoted == plain + 3.0


def test_a_name_after_a_part_noun_or_before_a_place_apposition_is_a_candidate(nlp) -> None:
    text = "Rebels stormed the eastern perimeter of Varnoth before dawn."
    assert _pick(nlp, text, "stormed", []) == "Varnoth"
    text = "Militiamen patrolled Varnoth's perimeter all night."
    assert "Varnoth" in {c.text for c in _locate(nlp, text, "patrolled", [])[1]}
    text = "Tel Morrin, a small desert town, was captured after heavy fighting."
    assert "Tel Morrin" in {c.text for c in _locate(nlp, text, "captured", [])[1]}


def test_a_province_before_its_country_is_not_taken_for_the_wider_area(nlp) -> None:
    # "Deir ez-Velmor province, eastern Karistan": the gazetteer says the province is the finer
    # level, so the syntax must not make it the container of the country.
    from tocsin.mentions.place.ranking import rank_places

    text = "Forty fighters were killed in Deir ez-Velmor province, eastern Karistan, on Monday."
    parsed = nlp(text)
    anchor = parsed[text[: text.index("killed")].count(" ")]
    province = _place(text, "Deir ez-Velmor", precision="admin1", country="KAR")
    country = _place(text, "Karistan", precision="country", country="KAR")
    ranked = rank_places(_lex(), anchor, anchor.sent, [province, country], [], sentence_rules=True)
    assert ranked[0][1].text == "Deir ez-Velmor"


def test_a_country_around_another_candidate_weighs_more_wherever_it_stands(nlp) -> None:
    from tocsin.mentions.place.ranking import rank_places

    text = "In Karistan, militants attacked a police post in Dorvale on Friday."
    parsed = nlp(text)
    anchor = parsed[text[: text.index("attacked")].count(" ")]
    country = _place(text, "Karistan", precision="country", country="KAR")
    town = _place(text, "Dorvale", precision="town", country="KAR")
    alone = dict((p.text, s) for s, p in rank_places(_lex(), anchor, anchor.sent, [country], [],
                                                     sentence_rules=True))
    both = dict((p.text, s) for s, p in rank_places(_lex(), anchor, anchor.sent,
                                                    [country, town], [], sentence_rules=True))
    assert both["Karistan"] > alone["Karistan"]
    abroad = _place(text, "Dorvale", precision="town", country="FRE")
    other = dict((p.text, s) for s, p in rank_places(_lex(), anchor, anchor.sent,
                                                     [country, abroad], [], sentence_rules=True))
    assert other["Karistan"] == alone["Karistan"]


def test_a_place_inside_what_a_protest_is_against_weighs_more(nlp) -> None:
    from tocsin.mentions.place.ranking import rank_places

    def best(text: str) -> float:
        parsed = nlp(text)
        anchor = parsed[text[: text.index("protested")].count(" ")]
        return rank_places(_lex(), anchor, anchor.sent, [_place(text, "Velmor")], [],
                           sentence_rules=True)[0][0]

    against = best("Hundreds of students protested on Friday against the bombing of Velmor.")
    after = best("Hundreds of students protested on Friday after the bombing of Velmor.")
    assert against > after


def test_a_negated_event_weighs_its_places_more(nlp) -> None:
    from tocsin.mentions.place.ranking import rank_places

    def best(text: str) -> float:
        parsed = nlp(text)
        anchor = parsed[text[: text.index("hurt")].count(" ")]
        return rank_places(_lex(), anchor, anchor.sent, [_place(text, "Velmor")], [],
                           sentence_rules=True)[0][0]

    assert best("Two guards were not hurt in Velmor.") > best("Two guards were hurt in Velmor.")


def test_a_name_before_a_junction_or_township_is_a_candidate(nlp) -> None:
    text = "A roadside bomb exploded at Kelvara junction on Tuesday morning."
    pick, _ = _locate(nlp, text, "exploded", [])
    assert pick is not None and pick.text == "Kelvara"


def test_a_name_in_capitals_is_a_dateline_not_the_place(nlp) -> None:
    text = "VELMOR -- Gunmen shot a guard on Monday."
    assert _pick(nlp, text, "shot", ["VELMOR"]) is None
    from tocsin.mentions.place.ranking import rank_places

    def ranked(line: str, name: str) -> list[str]:
        parsed = nlp(line)
        anchor = parsed[line[: line.index("shot")].count(" ")]
        return [p.text for _, p in rank_places(_lex(), anchor, anchor.sent,
                                               [_place(line, name)], [], sentence_rules=True)]

    assert ranked("Gunmen shot a guard in VELMOR on Monday.", "VELMOR") == []
    assert ranked("Gunmen shot a guard in Velmor on Monday.", "Velmor") == ["Velmor"]
    abbreviated = "Gunmen shot a guard near a U.S. base on Monday."
    assert _pick(nlp, abbreviated, "shot", ["U.S."]) == "U.S."




def test_a_name_after_a_place_noun_is_a_candidate_whatever_its_entity_label(nlp) -> None:
    text = "Gunmen shot a teacher in the village of May last week."
    _, candidates = _locate(nlp, text, "shot", [])
    assert "May" in {c.text for c in candidates}


def test_a_name_after_hometown_or_farms_is_a_candidate(nlp) -> None:
    text = "A soldier was killed in his hometown of Berlavo on Monday."
    pick, _ = _locate(nlp, text, "killed", [])
    assert pick is not None and pick.text == "Berlavo"


def test_a_sentence_cut_at_a_bracket_is_read_whole(nlp) -> None:
    text = ("Eleven people were killed and nine wounded on Saturday [31 October] in firing as a "
            "clash broke out in Velmor Town, Karistan.")
    parsed = nlp(text)
    assert len(list(parsed.sents)) == 2  # the parser's cut this rule repairs
    start = text.index("wounded")
    anchor = parsed.char_span(start, start + 7).root
    joined = join_bracket_cuts(parsed, anchor.sent)
    assert joined[anchor.i].sent.text == text
    assert len(list(parsed.sents)) == 2  # the caller's parse is left alone
    pick, _ = locate_event(parsed, (start, start + 7), [_place(text, "Velmor Town")])
    assert pick is not None and pick.text == "Velmor Town"
    plain = nlp("Gunmen shot a guard in Velmor. Police arrived later.")
    assert join_bracket_cuts(plain, next(plain.sents)) is plain
    paragraphs = nlp("Gunmen shot a guard in Velmor\n\n(Photo) Police arrived later.")
    assert join_bracket_cuts(paragraphs, next(paragraphs.sents)) is paragraphs




def test_a_capitalised_name_tagged_as_adjective_before_a_place_noun_is_a_candidate(nlp) -> None:
    text = "Herders attacked Palouch village, far from the county seat."
    pick, _ = _locate(nlp, text, "attacked", [])
    assert pick is not None and pick.text == "Palouch"
    districts = "Government troops shelled the southern Aleppo districts on Monday."
    assert _pick(nlp, districts, "shelled", ["Aleppo"]) == "Aleppo"
    # an English adjective before a place noun is no name
    plain = "Rebels attacked the Medieval town on Monday."
    assert _locate(nlp, plain, "attacked", []) == (None, [])


def test_a_word_broken_before_a_hyphen_is_no_candidate(nlp) -> None:
    text = "A car bomb went off in the Shiite- dominated Sadr city on Friday."
    _, candidates = _locate(nlp, text, "went", [])
    assert "Shiite-" not in {c.text for c in candidates}
    assert "Sadr" in {c.text for c in candidates}


def test_names_before_a_station_or_after_fringes_are_candidates(nlp) -> None:
    text = "A bomb exploded at the Velmor police station on Monday."
    pick, _ = _locate(nlp, text, "exploded", [])
    assert pick is not None and pick.text == "Velmor"
    edge = "The militia is on the fringes of Tal Morrin tonight."
    assert "Tal Morrin" in {c.text for c in locative_candidates(_lex(), nlp(edge)[:], [],
                                                               conjuncts=True)}
