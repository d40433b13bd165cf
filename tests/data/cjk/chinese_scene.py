# A Chinese section on the scene kit: title, two lecture lines long enough to
# wrap in the lecture column, bullets and a paragraph on the grid, with a
# Latin word and numbers inside the Chinese text (tests/test_scripts_cjk.py).

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = '光合作用'
    section_title = '植物如何制造养分'
    lines = [
        '植物利用阳光，把二氧化碳和水转化为葡萄糖和氧气。',
        '叶绿体中的叶绿素吸收光能（主要是红光和蓝光），为反应提供能量。',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        inputs = V.bullets([
            '原料：二氧化碳（CO2）和水',
            '条件：光照和叶绿体',
            '产物：葡萄糖和氧气',
        ], self.area_size("A1", "F3"))
        self.place_in(inputs, "A1", "F3")
        self.play(FadeIn(inputs), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        note = V.text('一片叶子每小时大约能固定 2 到 5 毫克二氧化碳，这个过程叫做 Calvin 循环。',
                      self.area_size("A4", "F6"))
        self.place_in(note, "A4", "F6")
        self.play(FadeIn(note), run_time=0.4)
        self.wait(0.3)

        self.finish(0.3)
