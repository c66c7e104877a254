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
    # roles said after the names, in the words real lists use
    ("市工商质监局牵头负责", ["市工商质监局"], False),
    ("A局牵头抓总", ["A局"], False),
    ("市财政局等按职责分工负责", ["市财政局"], True),
    ("乡镇人民政府按职责分工", ["乡镇人民政府"], False),
    ("县司法局，乡镇人民政府按职责分工分别负责", ["县司法局", "乡镇人民政府"], False),
    ("国务院各部门分别负责", ["国务院各部门"], False),
    # 及 joins two addressees; 以及/涉及 are words, not separators
    ("市级各有关部门及各县市区政府按职责分工负责", ["市级各有关部门", "各县市区政府"], False),
    ("涉及部门", ["涉及部门"], False),
    ("市住房和城乡建设局", ["市住房和城乡建设局"], False),
    # collective addressees stay whole, even written with 、 or a stray space
    ("各区、县级市", ["各区、县级市"], False),
    ("市发改委、各区、县级市", ["市发改委", "各区、县级市"], False),
    ("各县（市、区）", ["各县（市、区）"], False),
    ("各乡镇人民政府、街道办事处", ["各乡镇人民政府、街道办事处"], False),
    ("各镇（街道）、各有关部门", ["各镇（街道）", "各有关部门"], False),
    ("各地、各部门", ["各地", "各部门"], False),
    ("各区、县级市配合", ["各区、县级市"], False),
    ("由市政务服务管理局牵头", ["市政务服务管理局"], False),
    ("具体由市住建局负责", ["市住建局"], False),
    ("各区政府及时配合", ["各区政府"], False),
    ("区财政局以及区审计局", ["区财政局", "区审计局"], False),
    ("市公安局及其派出机构", ["市公安局及其派出机构"], False),
    ("市委组织部、市委宣传部等有关部门", ["市委组织部", "市委宣传部"], True),
    ("各县区（开发区） 安委会", ["各县区（开发区）安委会"], False),
    # 请…协调解决 (a 督查 report asking offices to act): 请 is no part of a name
    ("请市文明办协调解决", ["市文明办"], False),
    ("请市文明办、市城管局协调解决", ["市文明办", "市城管局"], False),
    ("请示办", ["请示办"], False),
    ("请示办负责", ["请示办"], False),
    ("市区域协调办", ["市区域协调办"], False),
    # 会同 (and 会 for it) between two offices joins them; 工会, 协会, 党委会 keep their 会
    ("宣传处会办公室", ["宣传处", "办公室"], False),
    ("市发改局会同市财政局", ["市发改局", "市财政局"], False),
    ("市总工会、市计生协会", ["市总工会", "市计生协会"], False),
    ("局党委会", ["局党委会"], False),
    # 落实 / 参照落实 said after a name is a role, not part of it
    ("市直有关部门落实", ["市直有关部门"], False),
    ("市财政局、市民政局等有关部门落实", ["市财政局", "市民政局"], True),
    ("市落实办", ["市落实办"], False),
]


@pytest.mark.parametrize("text,exp_names,exp_etc", SPLITS)
def test_split_offices(text, exp_names, exp_etc):
    got = split_offices(text, document=True)
    assert (got.names, got.etc) == (exp_names, exp_etc)


COLLECTIVE = [
    # name, is it a group rather than one office
    ("各有关单位", True),
    ("市直各部门", True),
    ("各处室（单位）", True),
    ("市级有关部门", True),
    ("相关处室", True),
    ("市直单位", True),
    ("市安委会各成员单位", True),
    ("各区、县级市", True),
    ("办公室", False),
    ("市发改委", False),
    ("人事教育处", False),
    ("乡镇人民政府", True),  # a level, no place named: which township?
    ("市委宣传部", False),
    ("市政府办公室", False),
]


@pytest.mark.parametrize("name,exp", COLLECTIVE)
def test_collective_addressees(name, exp):
    from qingdan.offices import is_collective

    assert is_collective(name) is exp


def test_a_masters_cell_is_not_split_at_及():
    """A master made before 及 separated offices keeps its 办公室及保卫处, and the forms sent for it."""
    assert split_offices("办公室及保卫处、人事处").names == ["办公室及保卫处", "人事处"]
    assert split_offices("办公室及保卫处", document=True).names == ["办公室", "保卫处"]


def test_collective_addressees_are_listed_but_get_no_form():
    got = split_offices("市发改委、各区、县级市、市财政局")
    assert got.names == ["市发改委", "各区、县级市", "市财政局"]
    assert got.respondents == ["市发改委", "市财政局"]
    assert got.collective == ["各区、县级市"]
    assert split_offices(got.cell()).names == got.names  # the cell reads back the same


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
