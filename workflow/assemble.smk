rule assemble:
    """Join the sections (critic-revised when the critic is on) in numeric order into video.mp4, and record manifest.json.

    Video is joined without re-encoding; the sections' narration becomes one
    loudness-normalised AAC track, and video.srt / video.vtt hold subtitles
    timed from where each voice really starts (with narration engine none:
    a silent video, no subtitles).
    """
    input:
        videos=get_section_videos,
        infos=get_section_infos,
        layouts=get_section_layouts,
        narrations=get_section_narrations,
        timings=get_section_timings,
        storyboard=ancient(f"{RESULTS}/{{topic}}/storyboard.json"),
    output:
        video=report(
            f"{RESULTS}/{{topic}}/video.mp4",
            caption="report/video.rst",
            category="{topic}",
            labels={"file": "video"},
        ),
        manifest=f"{RESULTS}/{{topic}}/manifest.json",
        **get_subtitle_outputs(),
    params:
        quality=get_quality,
        narration={k: NARRATION[k] for k in ("engine", "subtitles", "loudness")},
        code=ASSEMBLER_HASH,
    log:
        f"{RESULTS}/{{topic}}/logs/assemble.log",
    benchmark:
        f"{RESULTS}/{{topic}}/benchmarks/assemble.tsv"
    script:
        "../scripts/assemble.py"
