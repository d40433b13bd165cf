rule outline:
    """Plan the lesson: sections and their lecture lines."""
    input:
        topic=get_topic_file,
    output:
        outline=f"{RESULTS}/{{topic}}/outline.json",
    params:
        engine=ENGINE,
        settings=get_topic_meta,
        code=OUTLINE_HASH,
        llm=LLM,
    resources:
        llm_calls=1,
    log:
        f"{RESULTS}/{{topic}}/logs/outline.log",
    script:
        "../scripts/outline.py"
