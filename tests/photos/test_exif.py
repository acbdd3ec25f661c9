"""EXIF reading: GPS in every encoding we met, capture times, broken blocks."""

from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest
from PIL.TiffImagePlugin import IFDRational

from inspector.photos.exif import read_exif_tags, read_gps
from inspector.photos.facts import GpsFix
from inspector.photos.ingest import inspect_photo
from tests.photos import corpus
from tests.photos.corpus import BYTE, DOUBLE, RATIONAL, SHORT, SRATIONAL

LAT, LON = corpus.HANGZHOU


def facts_with(limits, ifd0=(), exif=None, gps=None):
    data = corpus.jpeg(exif=corpus.tiff_exif(ifd0=ifd0, exif=exif, gps=gps))
    return inspect_photo(data, **limits)


# --- GPS through a real JPEG (as Pillow presents the tags) ------------------------------
@pytest.mark.parametrize(
    ("name", "gps", "expected", "problems"),
    [
        ("rationals N/E", corpus.gps_ifd(), (LAT, LON), ()),
        ("rationals S/W", corpus.gps_ifd(lat_ref="S", lon_ref="W"), (-LAT, -LON), ()),
        ("refs with padding", corpus.gps_ifd(lat_ref="N  ", lon_ref="e"), (LAT, LON), ()),
        ("doubles d/m/s", corpus.gps_ifd(lat=(30.0, 16.0, 26.832), lon=(120.0, 9.0, 18.54), kind=DOUBLE), (LAT, LON), ()),
        ("one decimal rational", corpus.gps_ifd(lat=((3027412, 100000),), lon=((12015515, 100000),)), (LAT, LON), ()),
        ("decimal minutes", corpus.gps_ifd(lat=((30, 1), (164472, 10000), (0, 1)), lon=((120, 1), (93090, 10000), (0, 1))), (LAT, LON), ()),
        ("signed rationals", corpus.gps_ifd(lat=((-30, 1), (16, 1), (26832, 1000)), lon=corpus.HANGZHOU_DMS_LON, kind=SRATIONAL, lat_ref=None, lon_ref=None), (-LAT, LON), ("gps_lat_ref_missing", "gps_lon_ref_missing")),
        ("missing refs", corpus.gps_ifd(lat_ref=None, lon_ref=None), (LAT, LON), ("gps_lat_ref_missing", "gps_lon_ref_missing")),
        ("invalid ref", corpus.gps_ifd(lat_ref="X"), (LAT, LON), ("gps_lat_ref_invalid",)),
    ],
)
def test_gps_encodings_are_read(name, gps, expected, problems, limits):
    facts = facts_with(limits, gps=gps)

    assert facts.gps is not None, name
    assert (facts.gps.lat, facts.gps.lon) == (pytest.approx(expected[0], abs=1e-6), pytest.approx(expected[1], abs=1e-6))
    assert facts.exif_problems == problems


@pytest.mark.parametrize(
    ("name", "gps", "problem"),
    [
        ("zero denominator in degrees", corpus.gps_ifd(lat=((30, 0), (16, 1), (0, 1))), "gps_lat_zero_denominator"),
        ("0/0 seconds", corpus.gps_ifd(lon=((120, 1), (9, 1), (0, 0))), "gps_lon_zero_denominator"),
        ("text instead of numbers", [(corpus.GPS_LAT, *corpus.ascii_value("thirty")), (corpus.GPS_LON, RATIONAL, corpus.HANGZHOU_DMS_LON)], "gps_lat_not_a_number"),
        ("five values", corpus.gps_ifd(lat=((30, 1),) * 5), "gps_lat_wrong_shape"),
        ("minutes over 60", corpus.gps_ifd(lat=((30, 1), (75, 1), (0, 1))), "gps_lat_out_of_range"),
        ("latitude over 90", corpus.gps_ifd(lat=((95, 1), (0, 1), (0, 1))), "gps_out_of_range"),
        ("only latitude", [(corpus.GPS_LAT, RATIONAL, corpus.HANGZHOU_DMS_LAT)], "gps_incomplete"),
        ("null island", corpus.gps_ifd(lat=((0, 1), (0, 1), (0, 1)), lon=((0, 1), (0, 1), (0, 1))), "gps_no_fix"),
    ],
)
def test_unreadable_gps_is_recorded_not_fatal(name, gps, problem, limits):
    facts = facts_with(limits, gps=gps)

    assert facts.gps is None, name
    assert problem in facts.exif_problems
    assert facts.width == 320  # the photo itself is accepted


def test_altitude_and_its_reference(limits):
    above = facts_with(limits, gps=corpus.gps_ifd(extra=[(corpus.GPS_ALT, RATIONAL, ((4321, 100),))]))
    below = facts_with(
        limits,
        gps=corpus.gps_ifd(extra=[(corpus.GPS_ALT, RATIONAL, ((1250, 10),)), (corpus.GPS_ALT_REF, BYTE, (1,))]),
    )
    broken = facts_with(limits, gps=corpus.gps_ifd(extra=[(corpus.GPS_ALT, RATIONAL, ((5, 0),))]))

    assert above.gps.alt == pytest.approx(43.21)
    assert below.gps.alt == pytest.approx(-125.0)
    assert broken.gps == GpsFix(pytest.approx(LAT), pytest.approx(LON), None)
    assert broken.exif_problems == ("gps_alt_zero_denominator",)


def test_no_gps_tags_is_not_a_problem(limits):
    facts = facts_with(limits, gps=[(0, BYTE, (2, 3, 0, 0))])  # GPSVersionID only

    assert facts.gps is None
    assert facts.exif_problems == ()


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_garbage_exif_block_does_not_refuse_the_photo(limits):
    data = corpus.jpeg(exif=b"Exif\x00\x00" + b"MM\x00*\x00\x00\x00\x08\xff\xff" + bytes(range(256)) * 3)

    facts = inspect_photo(data, **limits)

    assert (facts.width, facts.gps, facts.taken_at, facts.orientation) == (320, None, None, 1)
    assert facts.exif_problems  # something was recorded


# --- GPS from plain tag dictionaries (piexif-style and Pillow-style values) --------------
@pytest.mark.parametrize(
    "lat",
    [
        ((30, 1), (16, 1), (26832, 1000)),  # tuples of (num, den) pairs
        [(30, 1), (16, 1), (26832, 1000)],
        (IFDRational(30, 1), IFDRational(16, 1), IFDRational(26832, 1000)),
        (Fraction(30), Fraction(16), Fraction(26832, 1000)),
        (30.0, 16.0, 26.832),
        30.27412,
        "30.27412",
        b"30.27412\x00",
        (3027412, 100000),  # a bare pair: one rational of decimal degrees
    ],
)
def test_read_gps_accepts_every_number_form(lat):
    problems: list[str] = []

    fix = read_gps({1: "N", 2: lat, 3: b"E\x00", 4: (120.15515,)}, problems)

    assert fix == GpsFix(pytest.approx(LAT, abs=1e-6), pytest.approx(LON, abs=1e-6), None)
    assert problems == []


@pytest.mark.parametrize(
    ("lat", "problem"),
    [
        ((IFDRational(30, 0), IFDRational(1, 1), IFDRational(0, 1)), "gps_lat_zero_denominator"),
        (((30, 1), (0, 0), (0, 1)), "gps_lat_zero_denominator"),
        (float("nan"), "gps_lat_not_a_number"),
        (object(), "gps_lat_not_a_number"),
        ((), "gps_lat_wrong_shape"),
        ({"deg": 30}, "gps_lat_not_a_number"),
        (True, "gps_lat_not_a_number"),
    ],
)
def test_read_gps_records_what_it_cannot_read(lat, problem):
    problems: list[str] = []

    fix = read_gps({1: "N", 2: lat, 3: "E", 4: 120.0}, problems)

    assert fix is None
    assert problems == [problem]


# --- capture time ----------------------------------------------------------------------
def test_time_with_offset_is_aware(limits):
    facts = facts_with(
        limits,
        exif=[
            (corpus.DATETIME_ORIGINAL, *corpus.ascii_value("2026:07:15 09:30:05")),
            (corpus.OFFSET_TIME_ORIGINAL, *corpus.ascii_value("-03:30")),
        ],
    )

    assert facts.taken_at == datetime(2026, 7, 15, 9, 30, 5, tzinfo=timezone(-timedelta(hours=3, minutes=30)))


def test_time_without_offset_is_naive(limits):
    facts = facts_with(limits, exif=[(corpus.DATETIME_ORIGINAL, *corpus.ascii_value("2026:07:15 09:30:05"))])

    assert facts.taken_at == datetime(2026, 7, 15, 9, 30, 5)
    assert facts.taken_at.tzinfo is None


def test_datetime_is_the_fallback(limits):
    facts = facts_with(limits, ifd0=[(corpus.DATETIME, *corpus.ascii_value("2025:12:31 23:59:59"))])

    assert facts.taken_at == datetime(2025, 12, 31, 23, 59, 59)


def test_original_time_wins_over_datetime(limits):
    facts = facts_with(
        limits,
        ifd0=[(corpus.DATETIME, *corpus.ascii_value("2026:08:01 10:00:00"))],
        exif=[(corpus.DATETIME_ORIGINAL, *corpus.ascii_value("2026:07:15 09:30:05"))],
    )

    assert facts.taken_at == datetime(2026, 7, 15, 9, 30, 5)


@pytest.mark.parametrize("raw", ["0000:00:00 00:00:00", "    :  :     :  :  ", "yesterday", "2026:13:45 25:61:00"])
def test_unreadable_time_is_recorded(raw, limits):
    facts = facts_with(limits, exif=[(corpus.DATETIME_ORIGINAL, *corpus.ascii_value(raw))])

    assert facts.taken_at is None
    assert facts.exif_problems == ("taken_at_invalid",)


def test_bad_offset_keeps_naive_time():
    reading = read_exif_tags({}, {0x9003: "2026:07:15 09:30:05", 0x9011: "+99:00"}, {})

    assert reading.taken_at == datetime(2026, 7, 15, 9, 30, 5)
    assert reading.problems == ("taken_at_offset_invalid",)


def test_subseconds_are_kept():
    reading = read_exif_tags({}, {0x9003: "2026:07:15 09:30:05", 0x9291: "042"}, {})

    assert reading.taken_at == datetime(2026, 7, 15, 9, 30, 5, 42000)


@pytest.mark.parametrize(("value", "orientation", "problems"), [(6, 6, ()), ((8,), 8, ()), (0, 1, ("orientation_invalid",)), (9, 1, ("orientation_invalid",)), ("x", 1, ("orientation_invalid",))])
def test_orientation_values(value, orientation, problems):
    reading = read_exif_tags({0x0112: value}, {}, {})

    assert (reading.orientation, reading.problems) == (orientation, problems)


def test_wrongly_typed_orientation_in_a_file(limits):
    facts = facts_with(limits, ifd0=[(corpus.ORIENTATION, SHORT, (42,))])

    assert facts.orientation == 1
    assert facts.exif_problems == ("orientation_invalid",)
