"""Text layer shared by the extraction stages: script folding, the NER model and the words
several stages must agree on (articles, calendar words, titles).

It sits below ``places`` and ``actors`` so that neither has to import the other: both read
names the same way and share one pass of the model over a document.
"""
