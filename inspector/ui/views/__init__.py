"""One module per screen; each view keeps its state and rebuilds its controls in ``render``."""
