# A Japanese section on the scene kit (kana, kanji, 「」 and 、。 punctuation),
# for looking at rendered frames by hand, e.g.
#   .venv/bin/python -m manim render -ql tests/data/cjk/japanese_scene.py Section01
# (tests/test_scripts_cjk.py renders the Chinese one).

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = '光合成'
    section_title = '植物はどうやって養分を作るのか'
    lines = [
        '植物は光エネルギーを使って、「二酸化炭素」と水からデンプンを作ります。',
        'このはたらきを光合成といい、葉の葉緑体で行われます。',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        steps = V.bullets([
            '光を受け取る（葉緑素）',
            'でんぷんと酸素ができる',
        ], self.area_size("A1", "F3"))
        self.place_in(steps, "A1", "F3")
        self.play(FadeIn(steps), run_time=0.4)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        note = V.text('ジャガイモのでんぷんも、もとは葉で作られたものです。', self.area_size("A4", "F6"))
        self.place_in(note, "A4", "F6")
        self.play(FadeIn(note), run_time=0.4)
        self.wait(0.3)

        self.finish(0.3)
