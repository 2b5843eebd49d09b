"""The Textual coding workbench (a thin layer over qualcode.project.Project)."""
