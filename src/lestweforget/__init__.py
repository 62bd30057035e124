"""Lest We Forget: an atlas and field guide of war-crime sites, mass graves and memorials."""

__version__ = "0.1.0"
