"""Geography for evidence: distances, nearest site, same-spot check, GCJ-02, place names.

Positions are stored as WGS-84 (what phone GPS and EXIF give). GCJ-02, the
offset datum Chinese map tiles use, is converted to and from only at the map.
"""
