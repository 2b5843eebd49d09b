"""Screens of the coding workbench, one per module."""
