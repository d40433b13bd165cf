rule scene:
    """Write one section's Manim scene from its storyboard entry.

    The storyboard is `ancient` and the section's own entry comes in as params:
    editing one section regenerates only that section's scene.
    """
    input:
        storyboard=ancient(f"{RESULTS}/{{topic}}/storyboard.json"),
    output:
        scene=f"{RESULTS}/{{topic}}/sections/{{section}}/scene.py",
    params:
        engine=ENGINE,
        spec=section_spec,
        code=SCENE_HASH,
        llm=LLM,
    resources:
        llm_calls=1,
    log:
        f"{RESULTS}/{{topic}}/logs/scene_{{section}}.log",
    script:
        "../scripts/scene.py"
