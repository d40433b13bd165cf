"""Chinese, Japanese and Korean text: font choice, line wrapping and a rendered section.

DejaVu Sans has no CJK glyphs; text with CJK characters is drawn in Noto Sans
CJK (Debian's fonts-noto-cjk, installed by ./setup.sh), and wraps between CJK
characters as well as at spaces, following the basic line breaking rules
(no closing punctuation at the start of a line, no opening one at its end).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from manim import Text

from conftest import DATA, ROOT
from lessonreel import grid, theme
from lessonreel import visuals as V

CJK = DATA / "cjk"
SIZE = theme.LINE_FONT_SIZE


@pytest.fixture(autouse=True, scope="module")
def _scratch_media(tmp_path_factory):
    """Manim's text cache (SVG files of measured Text) in a scratch folder, not ./media."""
    from manim import tempconfig

    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):
        yield


def _cjk_font_installed(lang: str = "zh") -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True, text=True).stdout
    return "Noto Sans CJK" in out


needs_cjk_font = pytest.mark.skipif(not _cjk_font_installed(),
                                    reason="no Noto Sans CJK font (Debian's fonts-noto-cjk; ./setup.sh installs it)")


def width_of(text: str, font_size: float = SIZE) -> float:
    return Text(text, font=theme.font_for(text), font_size=font_size).width


def check_lines(text: str, lines: list[str], width: float) -> None:
    """The wrapping invariants every CJK text keeps."""
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing added
    for line in lines:
        assert line == line.strip()
    for line in lines[1:]:
        assert line[0] not in V.NO_LINE_START, lines
    for line in lines[:-1]:
        assert line[-1] not in V.NO_LINE_END, lines
    for line in lines:
        if len(V._atoms(line)) > 1:  # a piece that cannot break may be wider than the line, alone
            assert width_of(line) <= width + 1e-6, (line, width)


def old_wrap(text: str, font_size: float, width: float, font: str = theme.FONT) -> list[str]:
    """wrap_text as it was before CJK support: the reference for space-separated scripts."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and Text(candidate, font=font, font_size=font_size).width > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


# ----------------------------------------------------------------- fonts ---

def test_font_follows_the_script_and_the_language():
    assert theme.font_for("Photosynthesis makes sugar") == theme.FONT
    assert theme.font_for("Фотосинтез, φωτοσύνθεση") == theme.FONT  # DejaVu Sans has Cyrillic and Greek
    if not _cjk_font_installed():
        assert theme.font_for("光合作用") == theme.FONT  # no CJK font: Pango's fallback, no warning
        pytest.skip("no Noto Sans CJK font (fonts-noto-cjk) to choose")
    assert theme.font_for("光合作用") == "Noto Sans CJK SC"
    assert theme.font_for("光合作用 in 2 steps") == "Noto Sans CJK SC"  # one font for the whole mixed line
    assert theme.font_for("光合成とは") == "Noto Sans CJK JP"  # kana: Japanese
    assert theme.font_for("광합성") == "Noto Sans CJK KR"
    assert theme.font_for("光合成", language="ja") == "Noto Sans CJK JP"  # kanji alone: the lesson's language
    assert theme.font_for("光合作用", language="zh-TW") == "Noto Sans CJK TC"
    assert theme.font_for("光合作用", language="en") == "Noto Sans CJK SC"
    assert theme.font_for("print('光')", theme.MONO_FONT) == "Noto Sans Mono CJK SC"
    assert theme.font_for("光合作用", "DejaVu Serif") == "DejaVu Serif"  # a font the caller chose stays


def test_language_of_the_scene_picks_the_variant(monkeypatch):
    if not _cjk_font_installed():
        pytest.skip("no Noto Sans CJK font (fonts-noto-cjk)")
    monkeypatch.setattr(theme, "LANGUAGE", "ja")
    assert theme.font_for("葉緑体") == "Noto Sans CJK JP"
    assert theme.font_for("leaf") == theme.FONT


# -------------------------------------------------------------- wrapping ---

def test_space_separated_scripts_wrap_exactly_as_before():
    texts = ["Every plant and animal is built from tiny units called cells.",
             "Фотосинтез превращает энергию света в энергию химических связей",
             "Η φωτοσύνθεση μετατρέπει το φως σε χημική ενέργεια",
             "a  supercalifragilisticexpialidocious   word", ""]
    for text in texts:
        for width in (1.2, 3.8, 9.0):
            assert V.wrap_text(text, SIZE, width) == old_wrap(text, SIZE, width)


def test_chinese_breaks_between_characters():
    text = "植物利用阳光，把二氧化碳和水转化为葡萄糖和氧气，并把能量储存在葡萄糖中。"
    assert " " not in text
    for width in (2.0, 3.0, 3.81, 5.5):
        lines = V.wrap_text(text, SIZE, width)
        assert len(lines) >= 2
        check_lines(text, lines, width)
    assert V.wrap_text(text, SIZE, 40.0) == [text]


def test_japanese_keeps_punctuation_with_its_word():
    text = "光合成は、植物が光エネルギーを使って「二酸化炭素」と水からデンプンを作るはたらきです。"
    for width in (1.5, 2.2, 3.0, 3.81, 4.6):
        check_lines(text, V.wrap_text(text, SIZE, width), width)
    five = width_of("あいうえお") + 0.01  # five kana per line
    # A line may not start with "。": the last kana goes down with it.
    lines = V.wrap_text("あいうえお。かきくけこ", SIZE, five)
    assert lines[0] == "あいうえ" and lines[1].startswith("お。")
    # Nor end with "「": the bracket goes down with what it opens.
    assert V.wrap_text("かきくけ「こさ」です", SIZE, five)[:2] == ["かきくけ", "「こさ」で"]
    # Small kana and the prolonged sound mark do not start a line either.
    for line in V.wrap_text("エネルギーとチョコレートとシャッター", SIZE, five)[1:]:
        assert line[0] not in "ーョャッ"


def test_korean_breaks_at_spaces_and_keeps_words_whole():
    text = "광합성은 식물이 빛 에너지를 이용하여 이산화탄소와 물로 포도당을 만드는 과정입니다."
    words = text.split()
    widest = max(width_of(w) for w in words)
    for width in (widest + 0.01, 2.5, 3.81):
        lines = V.wrap_text(text, SIZE, width)
        assert len(lines) >= 2
        assert " ".join(lines) == text
        assert [w for line in lines for w in line.split()] == words  # no word cut in two
        check_lines(text, lines, width)
    # A word wider than the line breaks between its syllables; the others stay whole.
    narrow = width_of("이산화탄") + 0.01
    lines = V.wrap_text(text, SIZE, narrow)
    check_lines(text, lines, narrow)
    cut = [w for w in words if w not in {x for line in lines for x in line.split()}]
    assert cut and all(width_of(w) > narrow for w in cut)
    # Without spaces, Korean still wraps, between syllables.
    solid = text.replace(" ", "")
    lines = V.wrap_text(solid, SIZE, 2.5)
    assert len(lines) >= 3 and "".join(lines) == solid
    check_lines(solid, lines, 2.5)


def test_latin_words_and_numbers_inside_cjk_stay_whole():
    text = "在2023年，Python 3.12 和 NumPy 被广泛用于科学计算，例如 machine learning 和 3D 图形。"
    whole = ["2023", "Python", "3.12", "NumPy", "machine", "learning", "3D"]
    for width in (1.0, 1.8, 2.6, 3.81):
        lines = V.wrap_text(text, SIZE, width)
        check_lines(text, lines, width)
        for token in whole:
            assert any(token in line for line in lines), (token, lines)
        # the spaces around Latin words survive where the line does not break
        assert all("  " not in line for line in lines)
    japanese = "速度は 9.8 m/s² で、約3秒後に地面に着きます。"
    for width in (1.2, 2.4):
        lines = V.wrap_text(japanese, SIZE, width)
        check_lines(japanese, lines, width)
        assert any("9.8" in line for line in lines) and any("m/s²" in line for line in lines)


def test_paragraph_rows_share_one_font_and_one_line_pitch():
    width = width_of("国国国国") + 0.05
    block = V.paragraph("国国国国 abcdefgh 国国国国", width, font_size=SIZE)
    assert [row.text for row in block] == ["国国国国", "abcdefgh", "国国国国"]
    assert len({row.font for row in block}) == 1 and block[1].font == theme.font_for("国")
    em, _ = V._line_metrics(block[0].font, SIZE)
    pitch = em + 0.35 * SIZE / 48
    # Han rows around a Latin row sit two pitches apart: rows follow baselines, not their ink.
    assert block[0].get_bottom()[1] - block[2].get_bottom()[1] == pytest.approx(2 * pitch, abs=1e-3)
    assert block[0].get_left()[0] == pytest.approx(block[2].get_left()[0], abs=1e-3)
    centred = V.paragraph("国国国国 abcdefgh 国国国国", width, font_size=SIZE, align="center")
    assert {round(row.get_center()[0], 3) for row in centred} == {0.0}


# ------------------------------------------------------------- rendering ---

@pytest.mark.render
@needs_cjk_font
def test_a_chinese_section_renders_inside_its_layout(tmp_path):
    """Title, wrapped lecture lines and grid visuals in Chinese: drawn in the CJK font, inside the frame."""
    from lessonreel.critic.analyze import report_for
    from lessonreel.render import render_scene

    scene = CJK / "chinese_scene.py"
    source = scene.read_text(encoding="utf-8")
    assert theme.font_for("植物利用阳光") == "Noto Sans CJK SC"
    fc = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fc, fc  # fontconfig resolves the family to the real Noto CJK file

    trace = tmp_path / "layout-trace.jsonl"
    render_scene(scene, "Section01", tmp_path / "section.mp4", "preview", project_root=ROOT, package_root=ROOT,
                 timeout=180, trace=trace)
    assert (tmp_path / "section.mp4").stat().st_size > 0
    report = report_for(trace, source)
    bad = [p for p in report["problems"] if p["kind"] in ("off_frame", "lecture_column", "tiny_text")]
    assert not bad, bad
    assert {o["name"] for o in report["objects"]} >= {"inputs", "note"}
    assert all(o["font"] >= theme.MIN_FONT_SIZE for o in report["objects"] if o["font"] is not None)

    from lessonreel.critic.analyze import load_trace

    units = [u for s in load_trace(trace).snapshots for u in s.units]
    lecture = [u.bbox for u in units if u.role == "lecture"]
    title = [u.bbox for u in units if u.role == "title"]
    assert len({tuple(b) for b in lecture}) == 2 and title
    one_row = Text("国", font=theme.font_for("国"), font_size=SIZE).height
    for left, bottom, right, top in lecture:
        assert grid.SAFE.left <= left and right <= grid.LECTURE_COLUMN.right  # wrapped inside the column
        assert top - bottom > 2 * one_row  # each line is long enough to wrap (two rows or more)
    for left, bottom, right, top in title:
        assert grid.SAFE.left - 0.01 <= left and right <= grid.SAFE.right + 0.01 and bottom >= grid.TITLE_BAR.bottom - 0.01
