"""Inspector (创卫巡查): field inspection and rectification for city sanitation campaigns."""

__version__ = "0.1.0"
