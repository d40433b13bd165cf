checkpoint storyboard:
    """Turn the outline into ordered steps (line, narration, visual, duration).

    A checkpoint: how many sections a topic has is only known from its storyboard.
    """
    input:
        topic=get_topic_file,
        outline=f"{RESULTS}/{{topic}}/outline.json",
    output:
        storyboard=f"{RESULTS}/{{topic}}/storyboard.json",
    params:
        engine=ENGINE,
        pacing=get_pacing,
        code=STORYBOARD_HASH,
        llm=LLM,
    resources:
        llm_calls=1,
    log:
        f"{RESULTS}/{{topic}}/logs/storyboard.log",
    script:
        "../scripts/storyboard.py"
