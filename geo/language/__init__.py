"""The English text layer both text steps read: sentences (:mod:`.sentences`) and the word
lists kept as data under ``data/lexicon/en/`` (:mod:`.words`). Name folding for lookups
("St. Petersburg" == "Saint-Petersburg") is :mod:`geo.core.text`."""
