"""The place of a coder's note: the event toponym resolved within the note's own admin areas."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sentence_places import place_at as _place

from tocsin.mentions.lexicons import Lexicons
from tocsin.mentions.place.note.location import note_location
from tocsin.records import Place

if TYPE_CHECKING:
    from tocsin.mentions.place.words import PlaceLexicon



def _lexicons() -> Lexicons:
    """The lexicons ``find_events`` reads (with the spaCy model's adjectives), one per process."""
    from tocsin.resources import shared_resources

    return shared_resources().lexicons


def _places() -> PlaceLexicon:
    return _lexicons().places


class _FakeEntry:
    def __init__(self, gid: int, name: str, code: str, country: str, admin1: str,
                 admin2: str | None, lat: float, lon: float, population: int = 0) -> None:
        self.geonameid, self.name, self.asciiname, self.feature_code = gid, name, name, code
        self.country2: str | None = None
        self.country3, self.admin1_name, self.admin2_name = country, admin1, admin2
        self.lat, self.lon, self.population = lat, lon, population
        self.feature_class = "A" if code.startswith("ADM") else "P"


class _FakeGazetteer:
    """Two towns called Pelmar; the note's qualifiers say which one."""

    def __init__(self) -> None:
        dune = "Tal Dune"
        self.entries = {
            "pelmar": [_FakeEntry(1, "Pelmar", "PPL", "AAA", "North Rim", None, 10.0, 10.0, 90000),
                       _FakeEntry(2, "Pelmar", "PPL", "BBB", "Quenby", dune, 40.0, 40.0, 500)],
            "tal dune": [_FakeEntry(3, dune, "ADM2", "BBB", "Quenby", dune, 40.1, 40.1)],
            "quenby": [_FakeEntry(4, "Quenby", "ADM1", "BBB", "Quenby", None, 41.0, 41.0)],
        }

    def get(self, geonameid: int) -> _FakeEntry | None:
        found = [e for es in self.entries.values() for e in es if e.geonameid == geonameid]
        return found[0] if found else None

    def lookup(self, name: str) -> list[_FakeEntry]:
        return self.entries.get(name.lower(), [])

    # whole-country questions: none covered in full, no province seats unless a test says so
    full_countries: frozenset[str] = frozenset()
    seats: tuple[_FakeEntry, ...] = ()

    def fully_imported_countries(self, min_features: int) -> frozenset[str]:
        return self.full_countries

    def province_seats(self, admin1_name: str) -> list[_FakeEntry]:
        return [e for e in self.seats if e.admin1_name == admin1_name]

    # no country entries, capitals, demonyms or name index: no spelling variants either
    path = Path("fake.sqlite")

    def country(self, iso: str) -> _FakeEntry | None:
        return None

    def capital(self, iso3: str) -> _FakeEntry | None:
        return None

    def country_names(self, country2: str) -> list[tuple[str, int]]:
        return []

    def demonym(self, word: str) -> str | None:
        return None


def test_note_location_resolves_the_place_within_its_parenthetical_areas(nlp) -> None:
    text = ("On 3 May 2021, unknown gunmen attacked a checkpoint in Pelmar (Tal Dune, Quenby), "
            "killing two soldiers.")
    parsed = nlp(text)
    wrong = _place(text, "Pelmar", country="AAA", lat=10.0, lon=10.0, geonameid=1)
    place = note_location(parsed, [wrong], [], _FakeGazetteer(), lexicons=_lexicons())
    assert place is not None and place.country == "BBB" and place.lat == 40.0


def test_note_location_falls_back_to_the_qualifier_when_the_place_is_unknown(nlp) -> None:
    text = "On 3 May 2021, militants burned a granary in Kefr Allun (Tal Dune, Quenby)."
    place = note_location(nlp(text), [], [], _FakeGazetteer(), lexicons=_lexicons())
    assert place is not None and place.lat == 40.1


def test_note_location_without_any_place_is_none(nlp) -> None:
    parsed = nlp("Mob kills suspected thief.")
    assert note_location(parsed, [], [], _FakeGazetteer(), lexicons=_lexicons()) is None


def test_a_name_typed_by_a_trailing_word_is_looked_up_without_it(nlp) -> None:
    text = "On 3 May 2021, snipers shot a farmer in the east of Pelmar town (Tal Dune, Quenby)."
    parsed = nlp(text)
    start = text.index("Pelmar town")
    unresolved = Place(text="Pelmar town", start=start, end=start + len("Pelmar town"),
                       sentence=0, precision="town")
    place = note_location(parsed, [unresolved], [], _FakeGazetteer(), lexicons=_lexicons())
    assert place is not None and place.country == "BBB" and place.lat == 40.0


def test_a_country_that_only_describes_a_currency_does_not_move_the_place(nlp) -> None:
    text = ("On 3 May 2021, traders protested against the weak Karistan dollar exchange rate "
            "in Pelmar.")
    parsed = nlp(text)
    currency = _place(text, "Karistan", precision="country", country="AAA", lat=11.0, lon=11.0,
                      geonameid=9)
    town = _place(text, "Pelmar", country="BBB", lat=40.0, lon=40.0, geonameid=2)
    place = note_location(parsed, [currency, town], [], _FakeGazetteer(), lexicons=_lexicons())
    assert place is not None and place.country == "BBB" and place.lat == 40.0


class _HomonymGazetteer(_FakeGazetteer):
    """Adds a Mordale that lies in another province than the note's."""

    def __init__(self) -> None:
        super().__init__()
        self.entries["mordale"] = [
            _FakeEntry(5, "Mordale", "PPL", "BBB", "Oster", None, 60.0, 60.0, 7000)]


def test_a_qualifier_outside_the_named_province_gives_way_to_the_province(nlp) -> None:
    text = "On 3 May 2021, militants burned a granary in Kefr Allun (Mordale, Quenby)."
    place = note_location(nlp(text), [], [], _HomonymGazetteer(), lexicons=_lexicons())
    assert place is not None and place.lat == 41.0


class _NamesGazetteer(_FakeGazetteer):
    """Names the geoparser is not given: a town of one country, a longer name holding a shorter
    one of another country, and a province with a village inside it."""

    def __init__(self) -> None:
        self.entries = {
            "vantor": [_FakeEntry(11, "Vantor", "PPLA2", "BBB", "Quenby", None, 30.0, 30.0)],
            "kel": [_FakeEntry(12, "Kel", "PPLA", "AAA", "North Rim", None, 5.0, 5.0, 80000)],
            "kel e marra": [_FakeEntry(13, "Kel e Marra", "PPLA2", "BBB", "Quenby", None,
                                       31.0, 31.0)],
            "quenby": [_FakeEntry(4, "Quenby", "ADM1", "BBB", "Quenby", None, 32.0, 32.0)],
            "osk": [_FakeEntry(14, "Osk", "PPL", "BBB", "Quenby", None, 32.4, 32.3),
                    _FakeEntry(15, "Osk", "PPL", "AAA", "North Rim", None, 6.0, 6.0, 9000)],
        }


def test_a_name_the_geoparser_missed_gives_the_place_of_a_note_without_one(nlp) -> None:
    parsed = nlp("On 2 June 2022, the house of the Mayor of Vantor was shot at by an unknown man.")
    place = note_location(parsed, [], [], _NamesGazetteer(), lexicons=_lexicons())
    assert place is not None and place.text == "Vantor" and place.lat == 30.0


def test_a_capitalised_actor_name_is_not_taken_for_a_place(nlp) -> None:
    parsed = nlp("On 2 June 2022, the Vantor Force arrested two men after a brawl.")
    assert note_location(parsed, [], [], _NamesGazetteer(), lexicons=_lexicons()) is None


def test_a_longer_known_name_wins_over_the_shorter_name_inside_it(nlp) -> None:
    text = "On 4 June 2022, about forty street sweepers in Kel e Marra protested over late pay."
    parsed = nlp(text)
    kel = _place(text, "Kel", country="AAA", lat=5.0, lon=5.0, geonameid=12)
    place = note_location(parsed, [kel], [], _NamesGazetteer(), lexicons=_lexicons())
    assert place is not None and place.text == "Kel e Marra" and place.country == "BBB"


def test_a_village_inside_the_found_province_refines_it(nlp) -> None:
    text = "On 5 June 2022, rebels shelled Osk in Quenby, wounding a farmer."
    parsed = nlp(text)
    quenby = _place(text, "Quenby", precision="admin1", country="BBB", lat=32.0, lon=32.0,
                    geonameid=4, admin1="Quenby")
    place = note_location(parsed, [quenby], [], _NamesGazetteer(), lexicons=_lexicons())
    assert place is not None and place.text == "Osk" and place.country == "BBB"
    assert place.lat == 32.4


def test_a_province_capital_named_like_its_province_gives_way_to_a_village_inside(nlp) -> None:
    text = "On 6 June 2022, rebels shelled Osk in Quenby, wounding a farmer."
    parsed = nlp(text)
    gazetteer = _NamesGazetteer()
    gazetteer.entries["quenby"].append(
        _FakeEntry(16, "Quenby", "PPLA", "BBB", "Quenby", None, 32.1, 32.1, 50000))
    quenby = _place(text, "Quenby", country="BBB", lat=32.1, lon=32.1, geonameid=16,
                    admin1="Quenby")
    place = note_location(parsed, [quenby], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.text == "Osk" and place.lat == 32.4


def test_a_place_outside_the_country_of_the_province_the_note_names_is_re_resolved(
        nlp) -> None:
    text = "On 7 June 2022, gunmen killed a guard near Osk in Quenby province."
    parsed = nlp(text)
    abroad = _place(text, "Osk", country="AAA", lat=6.0, lon=6.0, geonameid=15)
    place = note_location(parsed, [abroad], [], _NamesGazetteer(), lexicons=_lexicons())
    assert place is not None and place.country == "BBB" and place.lat == 32.4


def test_al_alone_is_never_a_candidate_name(nlp) -> None:
    gazetteer = _NamesGazetteer()
    gazetteer.entries["al"] = [_FakeEntry(17, "Al", "PPL", "CCC", "Fjord", None, 60.0, 8.0)]
    parsed = nlp("On 8 June 2022, members of the Al Vostra clan clashed with herders.")
    assert note_location(parsed, [], [], gazetteer, lexicons=_lexicons()) is None


def test_a_place_outside_the_province_named_right_after_it_moves_into_that_province(
        nlp) -> None:
    gazetteer = _NamesGazetteer()
    gazetteer.entries["tuvo"] = [
        _FakeEntry(21, "Tuvo", "PPL", "BBB", "Marrow", None, 20.0, 20.0, 40000),
        _FakeEntry(22, "Tuvo", "PPL", "BBB", "Quenby", None, 32.5, 32.5, 800)]
    text = "On 9 June 2022, a bomb hit a market in Tuvo, Quenby, killing one trader."
    parsed = nlp(text)
    wrong = _place(text, "Tuvo", country="BBB", lat=20.0, lon=20.0, geonameid=21, admin1="Marrow")
    place = note_location(parsed, [wrong], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.lat == 32.5


def test_a_month_is_never_taken_for_a_town(nlp) -> None:
    gazetteer = _NamesGazetteer()
    gazetteer.entries["may"] = [_FakeEntry(18, "May", "PPL", "CCC", "Fjord", None, 61.0, 9.0)]
    parsed = nlp("On 2 May 2022, unidentified men burned a lorry and fled.")
    assert note_location(parsed, [], [], gazetteer, lexicons=_lexicons()) is None


def test_a_name_spelled_with_a_final_h_is_found_without_it(nlp) -> None:
    gazetteer = _NamesGazetteer()
    gazetteer.entries["dorabiye"] = [
        _FakeEntry(19, "Dorabiye", "PPLA2", "BBB", "Quenby", None, 33.0, 33.0)]
    parsed = nlp("On 3 June 2022, truck drivers blocked the main bridge in Dorabiyeh for hours.")
    place = note_location(parsed, [], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.lat == 33.0


def test_a_district_in_parentheses_refines_the_province_before_it(nlp) -> None:
    gazetteer = _NamesGazetteer()
    gazetteer.entries["tal dune"] = [
        _FakeEntry(3, "Tal Dune", "ADM2", "BBB", "Quenby", "Tal Dune", 32.6, 32.6)]
    text = "On 11 June 2022, rebels attacked a post in the north of Quenby (Tal Dune, Quenby)."
    parsed = nlp(text)
    quenby = _place(text, "Quenby", precision="admin1", country="BBB", lat=32.0, lon=32.0,
                    geonameid=4, admin1="Quenby")
    dune = _place(text, "Tal Dune", precision="admin2", country="BBB", lat=32.6, lon=32.6,
                  geonameid=3)
    place = note_location(parsed, [quenby, dune], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.lat == 32.6


def test_an_acronym_is_not_taken_for_a_place(nlp) -> None:
    gazetteer = _NamesGazetteer()
    gazetteer.entries["pdq"] = [_FakeEntry(20, "Pdq", "PPL", "CCC", "Fjord", None, 62.0, 7.0)]
    parsed = nlp("On 4 June 2022, PDQ supporters marched to demand the release of a leader.")
    assert note_location(parsed, [], [], gazetteer, lexicons=_lexicons()) is None


def test_a_currency_s_country_does_not_frame_the_note(nlp) -> None:
    gazetteer = _NamesGazetteer()
    gazetteer.entries["pelmar"] = [
        _FakeEntry(31, "Pelmar", "PPL", "LBN", "Quenby", None, 34.0, 35.8, 90000),
        _FakeEntry(32, "Pelmar", "PPL", "USA", "Ohio", None, 40.0, -83.0, 900)]
    text = "On 3 May 2021, protesters angry at the rising US dollar rate blocked a road in Pelmar."
    parsed = nlp(text)
    place = note_location(parsed, [_place(text, "Pelmar")], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.country == "LBN"


def _town(text: str, name: str, gid: int, admin1: str, lat: float) -> Place:
    return _place(text, name, country="BBB", lat=lat, lon=lat, geonameid=gid, admin1=admin1)




def test_a_neighbourhood_of_another_province_does_not_replace_the_town(nlp) -> None:
    text = "On 4 June 2022, gendarmes killed two militants in Varosk district of Quenby."
    parsed = nlp(text)
    places = [_town(text, "Varosk", 21, "North Rim", 10.3),
              _town(text, "Quenby", 22, "Quenby", 41.0)]
    place = note_location(parsed, places, [], _FakeGazetteer(), lexicons=_lexicons())
    assert place is not None and place.text == "Quenby"




def test_a_demonym_frame_moves_a_place_whose_country_the_note_never_names(nlp) -> None:
    gazetteer = _FakeGazetteer()
    gazetteer.entries["dornleigh"] = [
        _FakeEntry(31, "Dornleigh", "PPL", "ZAF", "Gauteng", None, -26.0, 28.0, 7000),
        _FakeEntry(32, "Dornleigh", "PPLX", "KEN", "Nairobi", None, -1.27, 36.85)]
    text = "Kenyan youths clashed with police in Dornleigh after a grenade attack."
    parsed = nlp(text)
    abroad = _place(text, "Dornleigh", country="ZAF", lat=-26.0, lon=28.0, geonameid=31)
    place = note_location(parsed, [abroad], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.country == "KEN" and place.lat == -1.27


def test_a_demonym_frame_keeps_a_place_in_one_of_its_countries(nlp) -> None:
    gazetteer = _FakeGazetteer()
    gazetteer.entries["dornleigh"] = [
        _FakeEntry(31, "Dornleigh", "PPL", "UGA", "Central", None, 0.3, 32.5, 7000),
        _FakeEntry(32, "Dornleigh", "PPLX", "KEN", "Nairobi", None, -1.27, 36.85)]
    text = "Ugandan and Kenyan traders clashed in Dornleigh."
    parsed = nlp(text)
    home = _place(text, "Dornleigh", country="UGA", lat=0.3, lon=32.5, geonameid=31)
    place = note_location(parsed, [home], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.country == "UGA"


def test_a_backer_s_country_does_not_frame_the_note() -> None:
    from tocsin.mentions.place.note.location import _note_words_countries
    from tocsin.resources import load_spacy

    nlp = load_spacy()
    backed = _note_words_countries(
        _places(), nlp("Saudi-led coalition aircraft struck a Yemeni bridge."))
    assert "SAU" not in backed and "YEM" in backed
    plain = _note_words_countries(
        _places(), nlp("Saudi border guards shot a Yemeni smuggler."))
    assert "SAU" in plain






def _covering_gazetteer() -> _FakeGazetteer:
    """A fake gazetteer into which Burkina Faso's whole file was imported."""
    gazetteer = _FakeGazetteer()
    gazetteer.full_countries = frozenset({"BFA"})
    gazetteer.entries["tolga"] = [
        _FakeEntry(61, "Chitolga", "PPLA2", "JPN", "Aichi", None, 35.0, 137.0, 80000),
        _FakeEntry(62, "Tolga", "PPL", "BFA", "Centre-Ouest", None, 12.2, -2.4, 16000)]
    gazetteer.entries["mirkan"] = [
        _FakeEntry(63, "Mirkan", "PPLA", "SYR", "Hama", None, 35.1, 36.7, 90000),
        _FakeEntry(64, "Mirkan", "PPL", "BFA", "Sahel", None, 14.0, -1.0, 0)]
    return gazetteer


def test_a_note_without_frame_prefers_the_covered_country_over_a_small_place_abroad(
        nlp) -> None:
    gazetteer = _covering_gazetteer()
    text = "Students blocked the main road in Tolga to support their teachers."
    abroad = _place(text, "Tolga", country="JPN", lat=35.0, lon=137.0, geonameid=61)
    place = note_location(nlp(text), [abroad], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.country == "BFA" and place.lat == 12.2


def test_a_province_seat_abroad_keeps_its_name_against_a_covered_hamlet(nlp) -> None:
    gazetteer = _covering_gazetteer()
    text = "Drones targeted the airbase of Mirkan at night."
    seat = _place(text, "Mirkan", country="SYR", lat=35.1, lon=36.7, geonameid=63)
    place = note_location(nlp(text), [seat], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.country == "SYR"


def test_a_typed_name_is_looked_up_in_its_longest_known_form(nlp) -> None:
    gazetteer = _FakeGazetteer()
    gazetteer.entries["selo river county"] = [
        _FakeEntry(71, "Selo River", "ADM1", "BBB", "Selo River", None, -2.0, 40.0, 200000)]
    gazetteer.entries["selo"] = [_FakeEntry(72, "Selo", "PPLC", "AAA", "Capital", None,
                                            -18.9, 47.5, 1000000)]
    text = "On 3 May 2021, armed men killed four people in Selo River County."
    start = text.index("Selo River County")
    county = Place(text="Selo River County", start=start, end=start + 17, sentence=0,
                   precision="admin1")
    place = note_location(nlp(text), [county], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.country == "BBB"


def test_a_name_of_generic_words_only_is_no_candidate(nlp) -> None:
    gazetteer = _NamesGazetteer()
    gazetteer.entries["east district"] = [
        _FakeEntry(73, "East District", "ADM2", "CCC", "Hills", None, 27.3, 88.6)]
    parsed = nlp("Gunmen attacked a school compound in the East District on Monday.")
    assert note_location(parsed, [], [], gazetteer, lexicons=_lexicons()) is None


def test_a_month_abbreviation_is_never_taken_for_a_town(nlp) -> None:
    gazetteer = _NamesGazetteer()
    gazetteer.entries["aug"] = [_FakeEntry(74, "Augusta", "PPLA", "CCC", "Fjord", None, 44.3,
                                           -69.8, 18000)]
    parsed = nlp("On Aug 4th 2019, residents protested against evictions.")
    assert note_location(parsed, [], [], gazetteer, lexicons=_lexicons()) is None


def test_an_unknown_road_name_of_two_towns_is_placed_at_the_first(nlp) -> None:
    gazetteer = _FakeGazetteer()
    gazetteer.entries["osk"] = [_FakeEntry(75, "Osk", "PPL", "BBB", "Quenby", None, 43.0, 43.0)]
    text = "On 3 May 2021, protesters blocked the Osk-Pelmar highway with burning tyres."
    start = text.index("Osk-Pelmar")
    road = Place(text="Osk-Pelmar", start=start, end=start + 10, sentence=0, precision="town")
    place = note_location(nlp(text), [road], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.lat == 43.0


def test_a_name_of_several_countries_is_taken_in_the_one_covered_in_full(nlp) -> None:
    gazetteer = _covering_gazetteer()
    gazetteer.entries["doruna"] = [
        _FakeEntry(76, "Doruna", "PPL", "CIV", "Woroba", None, 8.0, -7.0, 500),
        _FakeEntry(77, "Doruna", "PPL", "BFA", "Cascades", None, 10.6, -5.1)]
    parsed = nlp("Residents of Doruna staged a march in support of the mayor.")
    place = note_location(parsed, [], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.country == "BFA"
    uncovered = _NamesGazetteer()  # no country covered in full: no guess
    uncovered.entries["doruna"] = gazetteer.entries["doruna"]
    assert note_location(parsed, [], [], uncovered, lexicons=_lexicons()) is None






def test_a_spot_read_abroad_stands_at_the_town_named_as_its_container(nlp) -> None:
    text = "On 4 July 2022, rioters smashed the windows of a bank at the Orvik junction in Pelmar."
    parsed = nlp(text)
    abroad = _place(text, "Orvik", country="CCC", lat=-5.0, lon=-5.0, geonameid=31)
    town = _place(text, "Pelmar", country="BBB", lat=40.0, lon=40.0, geonameid=2,
                  admin1="Quenby")
    place = note_location(parsed, [abroad, town], [], _FakeGazetteer(), lexicons=_lexicons())
    assert place is not None and place.country == "BBB" and place.lat == 40.0


def test_a_list_of_places_is_no_place_and_its_container(nlp) -> None:
    text = "On 4 July 2022, soldiers combed the forests of Orvik, Pelmar, and Tal Dune."
    parsed = nlp(text)
    first = _place(text, "Orvik", country="CCC", lat=-5.0, lon=-5.0, geonameid=31)
    town = _place(text, "Pelmar", country="BBB", lat=40.0, lon=40.0, geonameid=2)
    place = note_location(parsed, [first, town], [], _FakeGazetteer(), lexicons=_lexicons())
    assert place is not None and place.text == "Orvik"


def test_a_same_named_place_far_from_the_container_gives_way_to_the_container(nlp) -> None:
    gazetteer = _NamesGazetteer()
    gazetteer.entries["dorn"] = [
        _FakeEntry(41, "Dorn", "PPL", "BBB", "Marrow", None, 20.0, 20.0, 40000)]
    gazetteer.entries["vantor"] = [
        _FakeEntry(11, "Vantor", "PPLA", "BBB", "Quenby", None, 30.0, 30.0, 90000)]
    text = "On 9 July 2022, an arsonist set fire to a depot in Dorn industrial zone in Vantor."
    parsed = nlp(text)
    far = _place(text, "Dorn", country="BBB", lat=20.0, lon=20.0, geonameid=41, admin1="Marrow")
    city = _place(text, "Vantor", country="BBB", lat=30.0, lon=30.0, geonameid=11,
                  admin1="Quenby")
    place = note_location(parsed, [far, city], [], gazetteer, lexicons=_lexicons())
    assert place is not None and place.lat == 30.0


def test_the_name_the_coder_qualifies_in_parentheses_is_the_place(nlp) -> None:
    text = ("On 3 May 2021, stranded labourers blocked the Pelmar highway and stoned police at "
            "Varnu village (Tal Dune, Quenby), injuring two constables.")
    parsed = nlp(text)
    road = _place(text, "Pelmar", country="AAA", lat=10.0, lon=10.0, geonameid=1)
    place = note_location(parsed, [road], [], _FakeGazetteer(), lexicons=_lexicons())
    assert place is not None and place.lat == 40.1










def test_an_untagged_known_name_after_the_place_is_its_container(nlp) -> None:
    from tocsin.mentions.place.note.containers import inside_container, looked_up

    gazetteer = _FakeGazetteer()
    gazetteer.entries["karn"] = [
        _FakeEntry(81, "Karn", "PPL", "CCC", "Fjord", None, -20.0, -20.0, 900),
        _FakeEntry(82, "Karn", "PPL", "BBB", "Quenby", None, 40.9, 40.9, 300)]
    text = "On 30 April 2020, families clashed in the town of Karn in Quenby."
    sentence = next(iter(nlp(text).sents))
    abroad = _place(text, "Karn", country="CCC", lat=-20.0, lon=-20.0, geonameid=81)
    untagged = _place(text, "Quenby", precision=None)
    lex = _places()
    assert inside_container(sentence, abroad, [abroad], gazetteer, lex=lex) is abroad
    known = [abroad] + looked_up(lex, [abroad, untagged], [abroad], gazetteer)
    place = inside_container(sentence, abroad, known, gazetteer, lex=lex)
    assert place.country == "BBB" and place.lat == 40.9
