rule critic:
    """Measure one rendered section's layout, fix it, and keep the fix only if it measures better.

    Writes layout.json (problems with times, objects, cells and source lines;
    a score; every round of fixes and its verdict), scene.critic.py (the
    revised scene, or the same code) and section.critic.mp4 (its render, or
    a hard link to section.mp4 when nothing changed). With a model for the
    critic role, a vision model looks at keyframes with the grid drawn over.
    The render of a revised scene goes through the content cache like
    render_section's (read from the config at run time, not a param).
    """
    # With the vision model it calls the API: keep it on the submitting host (compute
    # nodes often have no internet); without, it is a job like a render.
    localrule: VISION
    input:
        scene=f"{RESULTS}/{{topic}}/sections/{{section}}/scene.py",
        video=f"{RESULTS}/{{topic}}/sections/{{section}}/section.mp4",
        trace=f"{RESULTS}/{{topic}}/sections/{{section}}/layout-trace.jsonl",
        voice=f"{RESULTS}/{{topic}}/sections/{{section}}/voice",
    output:
        scene=f"{RESULTS}/{{topic}}/sections/{{section}}/scene.critic.py",
        video=f"{RESULTS}/{{topic}}/sections/{{section}}/section.critic.mp4",
        layout=f"{RESULTS}/{{topic}}/sections/{{section}}/layout.json",
    params:
        quality=get_quality,
        critic=config["critic"],
        engine=ENGINE,
        llm=LLM,
        code=CRITIC_HASH,
    resources:
        mem_mb=2000,
        runtime=lambda wc, attempt: 20 * attempt,
        # The render's own time limit grows with each retry too (not a param: changing
        # it must not re-render anything); runtime above is what a cluster allots.
        render_timeout=lambda wc, attempt: config["render"]["timeout"] * attempt,
        llm_calls=1 if VISION else 0,
    log:
        f"{RESULTS}/{{topic}}/logs/critic_{{section}}.log",
    benchmark:
        f"{RESULTS}/{{topic}}/benchmarks/critic_{{section}}.tsv"
    script:
        "../scripts/critic.py"
