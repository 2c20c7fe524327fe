"""Places: the offline gazetteer, disambiguation of namesakes, place mentions with their role
(venue or not) and the venue table; ``online`` is the opt-in Nominatim fallback."""
