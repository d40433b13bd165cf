"""The layout Critic: measure a section's layout from a trace, show a vision model keyframes, fix the scene.

Modules import what they need directly (e.g. ``from lessonreel.critic.vision import
propose_moves``); this file stays free of imports so each part loads on its own.
"""
