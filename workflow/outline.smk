rule outline:
    """Plan the lesson: sections and their lecture lines."""
    input:
        topic=get_topic_file,
    output:
        outline=f"{RESULTS}/{{topic}}/outline.json",
    params:
        engine=config["engine"],
        code=PLANNER_HASH,
    log:
        f"{RESULTS}/{{topic}}/logs/outline.log",
    script:
        "../scripts/outline.py"
