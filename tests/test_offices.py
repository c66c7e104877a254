"""Office lists and safe file names, as exp/got tables."""

import pytest

from qingdan.offices import merge_roles, safe_filename, split_offices

SPLITS = [
    # text, expected names, expected trailing 等
    ("人事教育处", ["人事教育处"], False),
    ("人事教育处、办公室、机关党委、机关纪委", ["人事教育处", "办公室", "机关党委", "机关纪委"], False),
    ("人事教育处、机关党委、机关纪委等", ["人事教育处", "机关党委", "机关纪委"], True),
    ("人事教育处，办公室;规财处", ["人事教育处", "办公室", "规财处"], False),
    ("人事教育处,办公室；规财处/机关党委", ["人事教育处", "办公室", "规财处", "机关党委"], False),
    ("人事教育处 办公室\u3000规财处", ["人事教育处", "办公室", "规财处"], False),
    ("人事教育处、、办公室、", ["人事教育处", "办公室"], False),
    ("办公室、办公室、人事教育处", ["办公室", "人事教育处"], False),
    ("办公室（含信访、保密）、人事教育处", ["办公室（含信访、保密）", "人事教育处"], False),
    ("办公室、人事教育处等单位", ["办公室", "人事教育处"], True),
    ("办公室、人事教育处等相关处室", ["办公室", "人事教育处"], True),
    ("办公室、等", ["办公室"], True),
    ("高等教育处", ["高等教育处"], False),
    ("人事处（牵头）、办公室", ["人事处", "办公室"], False),
    ("人事教育处牵头，办公室配合", ["人事教育处", "办公室"], False),
    ("人事处(牵头单位)、人事处", ["人事处"], False),
    ("办 公 室、人 事 处", ["办公室", "人事处"], False),
    ("办公室 人事处 规财处", ["办公室", "人事处", "规财处"], False),
    ("信访办 纪 委", ["信访办", "纪委"], False),
    ("", [], False),
    ("  ", [], False),
]


@pytest.mark.parametrize("text,exp_names,exp_etc", SPLITS)
def test_split_offices(text, exp_names, exp_etc):
    got = split_offices(text)
    assert (got.names, got.etc) == (exp_names, exp_etc)


def test_cell_keeps_trailing_etc():
    assert split_offices("人事教育处、机关党委等").cell() == "人事教育处、机关党委等"
    assert split_offices("人事教育处，机关党委").cell() == "人事教育处、机关党委"
    assert split_offices("").cell() == ""


def test_lead_office_first_then_responsible_then_helpers():
    got = merge_roles("办公室", "人事教育处、办公室", "规财处、人事教育处等")
    assert got.names == ["办公室", "人事教育处", "规财处"]
    assert got.etc


NAMES = [
    ("人事教育处", "人事教育处"),
    ("办公室/信访办", "办公室_信访办"),
    ('a:b*c?d"e<f>g|h\\i', "a_b_c_d_e_f_g_h_i"),
    (".隐藏", "隐藏"),
    ("CON", "_CON"),
    ("con.txt", "_con.txt"),
    ("LPT1", "_LPT1"),
    ("结尾点.", "结尾点"),
    ("   ", "未命名"),
    ("处" * 200, "处" * 80),
]


@pytest.mark.parametrize("name,exp", NAMES)
def test_safe_filename(name, exp):
    assert safe_filename(name) == exp


RUNS = [
    (["1-01"], "1-01"),
    (["1-01", "1-02"], "1-01、1-02"),
    (["1-01", "1-02", "1-03", "2-05"], "1-01～1-03、2-05"),
    (["1-31", "1-32", "2-01", "2-02", "2-03"], "1-31、1-32、2-01～2-03"),
    (["1-01", "1-03", "1-04", "1-05"], "1-01、1-03～1-05"),
    (["1-099", "1-100", "1-101"], "1-099～1-101"),
    ([], ""),
]


@pytest.mark.parametrize("codes,exp", RUNS)
def test_compress_codes(codes, exp):
    from qingdan.show import compress_codes

    assert compress_codes(codes) == exp


def test_text_units_match_east_asian_width():
    """The fast regex counts the same wide characters as unicodedata."""
    import unicodedata

    from qingdan.layout import text_units

    sample = "深入学习贯彻党的二十大精神（２０２３）ABC abc 123、，。“”《》한글カタカナ😀"
    wide = sum(1 for ch in sample if unicodedata.east_asian_width(ch) in "WF")
    assert text_units(sample) == pytest.approx(2.1 * wide + 1.1 * (len(sample) - wide))
