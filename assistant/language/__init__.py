"""Language knowledge in one place: general English data (words.py) and the spaCy model (nlp.py).

Nothing here names a place, person, outlet or topic of any corpus: only the English a
question or a news sentence is written in (reporting verbs, titles, question words).
"""
