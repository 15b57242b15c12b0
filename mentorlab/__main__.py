"""``python -m mentorlab`` runs the command line."""

from .cli import app

app(prog_name="mentorlab")
