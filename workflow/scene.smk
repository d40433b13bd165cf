rule scene:
    """Write one section's Manim scene from its storyboard entry.

    With verification on (the LLM engine's default) the scene must pass the
    sandbox's static gate and a dry run first; ScopeRefine repairs it when it
    does not. scene.original.py keeps what the engine first wrote.

    The storyboard is `ancient` and the section's own entry comes in as params:
    editing one section regenerates only that section's scene. Its narration
    (measured speech) sets how long each narrated step lasts.
    """
    input:
        storyboard=ancient(f"{RESULTS}/{{topic}}/storyboard.json"),
        narration=f"{RESULTS}/{{topic}}/sections/{{section}}/narration.json",
    output:
        scene=f"{RESULTS}/{{topic}}/sections/{{section}}/scene.py",
        original=f"{RESULTS}/{{topic}}/sections/{{section}}/scene.original.py",
        repair=f"{RESULTS}/{{topic}}/sections/{{section}}/repair.json",
    params:
        engine=ENGINE,
        spec=section_spec,
        code=SCENE_HASH,
        llm=LLM,
        repair=config["repair"],
    resources:
        llm_calls=1,
    log:
        f"{RESULTS}/{{topic}}/logs/scene_{{section}}.log",
    script:
        "../scripts/scene.py"
