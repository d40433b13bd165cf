rule assemble:
    """Join the sections (critic-revised when the critic is on) in numeric order into video.mp4, and record manifest.json."""
    input:
        videos=get_section_videos,
        infos=get_section_infos,
        layouts=get_section_layouts,
        storyboard=ancient(f"{RESULTS}/{{topic}}/storyboard.json"),
    output:
        video=report(
            f"{RESULTS}/{{topic}}/video.mp4",
            caption="report/video.rst",
            category="{topic}",
            labels={"file": "video"},
        ),
        manifest=f"{RESULTS}/{{topic}}/manifest.json",
    params:
        quality=get_quality,
        code=ASSEMBLER_HASH,
    log:
        f"{RESULTS}/{{topic}}/logs/assemble.log",
    benchmark:
        f"{RESULTS}/{{topic}}/benchmarks/assemble.tsv"
    script:
        "../scripts/assemble.py"
