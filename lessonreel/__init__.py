"""lessonreel: turn learning topics into educational videos through Manim code.

The package holds all logic; the Snakemake rules and the scripts they call only
wire files to the functions here.
"""

__version__ = "0.1.0"
