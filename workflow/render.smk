rule render_section:
    """Render one section's scene to video with Manim, in a subprocess with a time limit."""
    input:
        scene=f"{RESULTS}/{{topic}}/sections/{{section}}/scene.py",
    output:
        video=f"{RESULTS}/{{topic}}/sections/{{section}}/section.mp4",
        info=f"{RESULTS}/{{topic}}/sections/{{section}}/render.json",
    params:
        quality=config["quality"],
        timeout=config["render"]["timeout"],
        code=KIT_HASH,
    log:
        f"{RESULTS}/{{topic}}/logs/render_{{section}}.log",
    benchmark:
        f"{RESULTS}/{{topic}}/benchmarks/render_{{section}}.tsv"
    resources:
        mem_mb=2000,
        runtime=lambda wc, attempt: 20 * attempt,
    script:
        "../scripts/render_section.py"
