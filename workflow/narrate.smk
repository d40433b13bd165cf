rule narrate:
    """Speak one section's narration before its scene is written (speech comes before code).

    Every narrated step is spoken by the engine in config.yaml's `narration:`
    (espeak-ng offline by default), its real length measured; the audio is
    taken from the narration cache (<cache.dir>/narration, by a hash of text,
    engine, voice and settings) when it is there. narration.json lists each
    step's audio, text, seconds and words, and the section's pace.

    The storyboard is `ancient` and what the section says comes in as params:
    editing one section re-speaks only that section.
    """
    input:
        storyboard=ancient(f"{RESULTS}/{{topic}}/storyboard.json"),
    output:
        narration=f"{RESULTS}/{{topic}}/sections/{{section}}/narration.json",
        voice=directory(f"{RESULTS}/{{topic}}/sections/{{section}}/voice"),
    params:
        spec=get_section_narration,
        settings=NARRATION_SPEAKING,
        llm=NARRATION_LLM,
        code=NARRATION_HASH,
    resources:
        llm_calls=1 if NARRATION_LLM else 0,
    log:
        f"{RESULTS}/{{topic}}/logs/narrate_{{section}}.log",
    script:
        "../scripts/narrate.py"
