rule render_section:
    """Render one section's scene to video with Manim, in a sandboxed subprocess with a time limit.

    The same run records the layout after every play/wait (layout-trace.jsonl)
    for the critic, and when each step's narration starts (for the subtitles);
    Manim mixes the narration (voice/) into the video.

    An identical render already in the content cache (config.yaml `cache:`,
    lessonreel/cache.py) is copied instead: render.json says "cache": "hit".
    Where the cache is and whether it is used are read from the config when
    the job runs, not given as params, so moving the cache reruns nothing.
    """
    input:
        scene=f"{RESULTS}/{{topic}}/sections/{{section}}/scene.py",
        voice=f"{RESULTS}/{{topic}}/sections/{{section}}/voice",
    output:
        video=f"{RESULTS}/{{topic}}/sections/{{section}}/section.mp4",
        info=f"{RESULTS}/{{topic}}/sections/{{section}}/render.json",
        trace=f"{RESULTS}/{{topic}}/sections/{{section}}/layout-trace.jsonl",
    params:
        quality=get_quality,
        code=KIT_HASH,
    log:
        f"{RESULTS}/{{topic}}/logs/render_{{section}}.log",
    benchmark:
        f"{RESULTS}/{{topic}}/benchmarks/render_{{section}}.tsv"
    resources:
        mem_mb=2000,
        runtime=lambda wc, attempt: 20 * attempt,
        # The render's own time limit grows with each retry too (not a param: changing
        # it must not re-render anything); runtime above is what a cluster allots.
        render_timeout=lambda wc, attempt: config["render"]["timeout"] * attempt,
    script:
        "../scripts/render_section.py"
